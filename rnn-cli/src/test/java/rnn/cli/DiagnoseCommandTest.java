package rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn diagnose} end to end, in process: the comparison, its files, and its errors. */
class DiagnoseCommandTest {

    record Result(int exit, String out, String err) {
    }

    static Result rnn(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @TempDir
    static Path dir;
    static Path corpus;

    @BeforeAll
    static void writeCorpus() throws Exception {
        corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, ("The Time Traveller (for so it will be convenient to speak of him) was expounding a "
                + "recondite matter to us. His grey eyes shone and twinkled, and his usually pale face was flushed.\n").repeat(6));
    }

    static double factor(String out, String cell) {
        Matcher m = Pattern.compile("(?m)^\\s+" + cell + "\\s+gradient ×([0-9.e+-]+) per step back").matcher(out);
        assertTrue(m.find(), cell + " rate in\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void compareRunsRnnGruAndLstmOnTheSameWindowsAndWritesPlotAndNumbers() throws Exception {
        Path out = dir.resolve("diag");
        Result r = rnn("diagnose", "--compare", "--corpus", corpus.toString(), "--hidden", "32", "--steps", "30",
                "--batch", "4", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        double rnn = factor(r.out(), "rnn"), gru = factor(r.out(), "gru"), lstm = factor(r.out(), "lstm");
        assertTrue(rnn < 1 && gru < 1 && lstm < 1, r.out());
        assertTrue(rnn < lstm && rnn < gru, "the tanh RNN decays fastest:\n" + r.out());
        assertTrue(r.out().contains("The tanh RNN's gradient vanishes fastest"), r.out());
        assertTrue(r.out().matches("(?s).*half-life [0-9.]+ steps.*"), r.out());
        // The table: d = 1, 10, 20, 30 with g and J for each cell.
        assertTrue(r.out().matches("(?s).*\\n\\s+d\\s+rnn g\\s+rnn J\\s+gru g\\s+gru J\\s+lstm g\\s+lstm J\\n.*"), r.out());
        for (int d : new int[] {1, 10, 20, 30}) {
            assertTrue(r.out().matches("(?s).*\\n\\s+" + d + "(\\s+\\d\\.\\d\\de[+-]\\d+){6}\\n.*"), "row " + d + "\n" + r.out());
        }
        assertTrue(r.out().contains("LSTM: w.r.t. H"), r.out());

        String svg = Files.readString(out.resolve("gradient-decay.svg"));
        assertTrue(svg.startsWith("<svg") && svg.strip().endsWith("</svg>"), svg);
        assertEquals(6, svg.split("<polyline", -1).length - 1, "g and J for three cells");
        assertTrue(svg.contains("stroke-dasharray=\"6,4\"") && svg.contains("lstm ‖∂h_T/∂h_t‖_F"), svg);
        String json = Files.readString(out.resolve("gradient-decay.json"));
        for (String key : new String[] {"\"steps\": 30", "\"name\": \"rnn\"", "\"name\": \"gru\"", "\"name\": \"lstm\"",
                "\"gradient_factor_per_step\"", "\"jacobian_factor_per_step\"", "\"d\": 30", "\"g\"", "\"J\"", "\"log10_g\""}) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        try (var files = Files.list(out)) {
            assertEquals(java.util.List.of("gradient-decay.json", "gradient-decay.svg"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temp files left behind");
        }
    }

    @Test
    void diagnosesASavedModel() throws Exception {
        Path run = dir.resolve("run");
        Result t = rnn("train", "--corpus", corpus.toString(), "--hidden", "16", "--batch", "4", "--steps", "8",
                "--epochs", "2", "--backend", "naive", "--threads", "1", "--out", run.toString(), "--sample-length", "0");
        assertEquals(0, t.exit(), t.err() + t.out());
        Path out = dir.resolve("diag-model");
        Result r = rnn("diagnose", "--model", run.resolve("model.safetensors").toString(), "--corpus", corpus.toString(),
                "--steps", "12", "--batch", "2", "--backend", "naive", "--threads", "1", "--out", out.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("trained 2 epoch(s)"), r.out());
        factor(r.out(), "rnn");
        assertTrue(Files.exists(out.resolve("gradient-decay.svg")));
    }

    @Test
    void badFlagsExitTwoWithOneLine() {
        String c = corpus.toString(), o = dir.resolve("bad").toString();
        String[][] bad = {
            {"--steps", "0"}, {"--batch", "0"}, {"--hidden", "0"}, {"--layers", "-1"}, {"--probes", "0"},
            {"--init-std", "0"}, {"--cell", "tree"}, {"--compare", "--cell", "gru"}, {"--forget-bias", "1"},
            {"--steps", "100000"}, {"--model", "x.safetensors", "--hidden", "8"}, {"--steps", "ten"},
        };
        for (String[] flags : bad) {
            String[] args = new String[flags.length + 5];
            args[0] = "diagnose";
            System.arraycopy(flags, 0, args, 1, flags.length);
            System.arraycopy(new String[] {"--corpus", c, "--out", o}, 0, args, flags.length + 1, 4);
            Result r = rnn(args);
            assertEquals(2, r.exit(), String.join(" ", flags) + ": " + r.err() + r.out());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written on a usage error");
    }

    @Test
    void missingFilesExitOne() {
        Result r = rnn("diagnose", "--model", dir.resolve("none.safetensors").toString(), "--corpus", corpus.toString(),
                "--out", dir.resolve("m").toString());
        assertEquals(1, r.exit(), r.err());
        Result c = rnn("diagnose", "--corpus", dir.resolve("none.txt").toString(), "--out", dir.resolve("m").toString());
        assertEquals(1, c.exit(), c.err());
        assertTrue(c.err().startsWith("error: ") && c.err().strip().lines().count() == 1, c.err());
    }
}
