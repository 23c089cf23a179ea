package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.lm.checkpoint.Safetensors;

/**
 * A user's plug-in module on the module path, as {@code RNN_PLUGIN_PATH=… ./rnn} puts it there: the
 * example's MGU is listed, trains with the example's Lion, resumes bit-identically, evaluates and
 * generates; without the module its model file fails with one line that says what to add; bad cell settings fail with one line and
 * exit 2 before anything is written.
 */
class PluginModulesTest {

    static final Path EXAMPLE = ModulePathTest.ROOT.resolve("examples/mgu-lion/target/rnn-example-mgu-lion.jar");

    record Run(int exit, String out, String err) {
        String errorLine() {
            List<String> errors = err.lines().filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errors.size(), "one error line: " + err);
            return errors.get(0);
        }
    }

    static Run rnn(boolean withExample, Path dir, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String path = ModulePathTest.LIB + (withExample ? ":" + EXAMPLE : "");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-p", path,
                "-m", "rnn.cli/rnn.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "process ended");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static String[] train(Path dir, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--corpus", dir.resolve("corpus.txt").toString(), "--cell", "mgu",
                "--optimizer", "lion", "--lr", "0.003", "--hidden", "16", "--batch", "4", "--steps", "8", "--threads", "1", "--seed", "5", "--sampling", "random",
                "--sample-length", "0", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    static void exampleIsBuilt() {
        assertTrue(Files.isRegularFile(EXAMPLE), "the reactor builds " + EXAMPLE + " before this module");
    }

    @Test
    void theExamplesCellAndOptimizerAreListedWithTheirModule(@TempDir Path dir) throws Exception {
        Run r = rnn(true, dir, "cells");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("mgu (org.example.mgu): minimal gated unit (Zhou et al. 2016): one forget gate, one state H\n"
                + "    step language, backward derived; gates f|h; state H\n"), r.out());
        assertFalse(rnn(false, dir, "cells").out().contains("mgu"));
        Run o = rnn(true, dir, "optimizers");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("lion (org.example.mgu): Lion"), o.out());
        assertFalse(rnn(false, dir, "optimizers").out().contains("lion"));
    }

    @Test
    void theExampleCellTrainsResumesBitIdenticallyEvaluatesAndGenerates(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("corpus.txt"),
                "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us ".repeat(20));
        Path straight = dir.resolve("straight");
        Run s = rnn(true, dir, train(dir, straight, "--epochs", "3"));
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.out().contains("model mgu hidden 16") && s.out().contains("lion lr 0.003"), s.out());
        Path resumed = dir.resolve("resumed");
        assertEquals(0, rnn(true, dir, train(dir, resumed, "--epochs", "2")).exit());
        Run r = rnn(true, dir, train(dir, resumed, "--epochs", "3", "--resume", resumed.toString()));
        assertEquals(0, r.exit(), r.err());
        Map<String, Safetensors.Tensor> a = Safetensors.read(straight.resolve("model.safetensors")).tensors();
        Map<String, Safetensors.Tensor> b = Safetensors.read(resumed.resolve("model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).data(), b.get(name).data(), name + " after 2 epochs + resume to 3");
        }
        assertEquals(InterruptAndResumeTest.perplexities(straight), InterruptAndResumeTest.perplexities(resumed));
        String model = straight.resolve("model.safetensors").toString();
        Run eval = rnn(true, dir, "eval", "--model", model, "--corpus", dir.resolve("corpus.txt").toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.out().contains("perplexity"), eval.out());
        Run gen = rnn(true, dir, "generate", "--model", model, "--prefix", "the time", "--length", "20");
        assertEquals(0, gen.exit(), gen.err());
        assertTrue(gen.out().startsWith("the time"), gen.out());

        Run missing = rnn(false, dir, "generate", "--model", model, "--prefix", "the", "--length", "5");
        assertEquals(2, missing.exit(), missing.err());
        String line = missing.errorLine();
        assertTrue(line.contains("needs cell 'mgu'") && line.contains("RNN_PLUGIN_PATH"), line);

        // A built-in cell trained with the plug-in optimizer: resuming without the module is one line too.
        Path gru = dir.resolve("gru");
        List<String> gruArgs = new ArrayList<>(List.of(train(dir, gru, "--epochs", "1")));
        gruArgs.set(gruArgs.indexOf("mgu"), "gru");
        assertEquals(0, rnn(true, dir, gruArgs.toArray(String[]::new)).exit());
        Run resume = rnn(false, dir, "train", "--resume", gru.toString(), "--epochs", "2", "--out", gru.toString());
        assertEquals(2, resume.exit(), resume.err());
        String optimizerLine = resume.errorLine();
        assertTrue(optimizerLine.contains("optimizer 'lion', which is not installed") && optimizerLine.contains("RNN_PLUGIN_PATH"),
                optimizerLine);
    }

    @Test
    void badCellSettingsFailWithOneLineAndTouchNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("corpus.txt"), "abc ".repeat(100));
        Path out = dir.resolve("out");
        String[][] cases = {
                {"--cell", "transformer"},
                {"--cell", "lstm", "--cell-opt", "forget_gate=1"},
                {"--cell", "lstm", "--cell-opt", "forget_bias=open"},
                {"--cell", "lstm", "--cell-opt", "forget_bias=NaN"},
                {"--cell", "gru", "--forget-bias", "1"},
        };
        String[] expected = {
                "error: unknown cell 'transformer'; available: gru, lstm, mgu, rnn",
                "error: cell lstm has no hyperparameter 'forget_gate'; valid: forget_bias",
                "error: cell lstm forget_bias must be a number, got 'open'",
                "error: cell lstm forget_bias must be a finite number, got NaN",
                "error: cell gru has no hyperparameter 'forget_bias'; it takes none",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> a = new ArrayList<>(List.of("train", "--corpus", dir.resolve("corpus.txt").toString(), "--out",
                    out.toString(), "--epochs", "1"));
            a.addAll(List.of(cases[i]));
            Run r = rnn(true, dir, a.toArray(String[]::new));
            assertEquals(2, r.exit(), String.join(" ", cases[i]) + ": " + r.err());
            assertEquals(expected[i], r.errorLine());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", cases[i]));
        }
    }
}
