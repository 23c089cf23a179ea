package rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The command line end to end, in process: exit codes, one-line errors, files written, round trips. */
class CliTest {

    record Result(int exit, String out, String err) {
    }

    static Result rnn(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    /**
     * {@link #rnn}, with the libraries' log lines ({@code warning: ...}, which the console logger
     * writes to the process's stderr) caught and put after the command's own stderr.
     */
    static Result rnnWithLog(String... args) {
        java.io.PrintStream previous = ConsoleLoggerFinder.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        ConsoleLoggerFinder.err = new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Result r = rnn(args);
            return new Result(r.exit(), r.out(), r.err() + log.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            ConsoleLoggerFinder.err = previous;
        }
    }

    @TempDir
    static Path dir;
    static Path corpus;
    static Path run;

    @BeforeAll
    static void trainOnce() throws Exception {
        corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, ("The Time Traveller (for so it will be convenient to speak of him) was expounding a "
                + "recondite matter to us. His grey eyes shone and twinkled, and his usually pale face was flushed.\n").repeat(6));
        run = dir.resolve("run");
        Result r = rnn("train", "--corpus", corpus.toString(), "--hidden", "24", "--batch", "4", "--steps", "8",
                "--epochs", "6", "--backend", "naive", "--threads", "1", "--out", run.toString(), "--prefix", "the time");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("perplexity "), r.out());
        assertTrue(r.out().matches("(?s).*perplexity \\d+\\.\\d, \\d+\\.\\d tokens/sec on naive.*"), r.out());
    }

    /** Without --prefix, samples on a corpus other than timemachine start like its validation split, not with "time traveller". */
    @Test
    void theDefaultSamplePrefixComesFromTheCorpus() throws Exception {
        Result r = rnn("train", "--corpus", corpus.toString(), "--hidden", "8", "--batch", "4", "--steps", "8",
                "--epochs", "1", "--backend", "naive", "--threads", "1", "--out", dir.resolve("prefix").toString(),
                "--sample-length", "5");
        assertEquals(0, r.exit(), r.err() + r.out());
        Matcher m = Pattern.compile("(?m)^epoch 1 .* tokens/s  (.*)$").matcher(r.out());
        assertTrue(m.find(), r.out());
        String sample = m.group(1);
        assertEquals(10 + 5, sample.length(), "10 characters of the validation split, then 5 generated: " + sample);
        String text = Files.readString(corpus).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", " ");
        assertTrue(text.contains(sample.substring(0, 10)) && !sample.startsWith("time"), sample);
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("warning:")), r.err());
    }

    /** Names typed as before cells and optimizers were plug-ins (an enum, any case) still work, stored as the provider spells them. */
    @Test
    void cellAndOptimizerNamesInAnyCaseAsBefore() throws Exception {
        Path out = dir.resolve("cased");
        Result r = rnn("train", "--corpus", corpus.toString(), "--cell", "LSTM", "--optimizer", "Adam", "--lr", "0.01",
                "--hidden", "8", "--batch", "4", "--steps", "8", "--epochs", "1", "--backend", "naive", "--threads", "1",
                "--out", out.toString(), "--sample-length", "0");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("model lstm (forget_bias=0.0) hidden 8") && r.out().contains("; adam lr 0.01;"), r.out());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(metrics.contains("\"cell\": \"lstm\"") && metrics.contains("\"optimizer\": \"adam\""), metrics);
    }

    @Test
    void trainWritesModelMetricsAndCurve() throws Exception {
        String metrics = Files.readString(run.resolve("metrics.json"));
        for (String key : new String[] {"\"config\"", "\"backend\": \"naive\"", "\"threads\": 1", "\"epochs\"",
                "\"train_perplexity\"", "\"val_perplexity\"", "\"tokens_per_second\"", "\"baselines\"", "\"uniform\"",
                "\"unigram\"", "\"bigram\"", "\"optimum_perplexity\": null", "\"final\""}) {
            assertTrue(metrics.contains(key), key + " in " + metrics);
        }
        assertTrue(Files.readString(run.resolve("curve.svg")).startsWith("<svg"));
        assertTrue(Files.size(run.resolve("model.safetensors")) > 24 * 24 * 4);
        try (var files = Files.list(run)) {
            assertEquals(java.util.List.of("best.safetensors", "curve.svg", "metrics.json", "model.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temp files left behind");
        }
    }

    static double perplexity(Result r) {
        Matcher m = Pattern.compile("perplexity ([0-9.]+) on the whole text").matcher(r.out());
        assertTrue(m.find(), r.out() + r.err());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void evalAndGenerateAgreeAcrossBackends() {
        String model = run.resolve("model.safetensors").toString();
        Result naive = rnn("eval", "--model", model, "--corpus", corpus.toString(), "--backend", "naive");
        Result vector = rnn("eval", "--model", model, "--corpus", corpus.toString(), "--backend", "vector");
        assertEquals(0, naive.exit(), naive.err());
        assertEquals(0, vector.exit(), vector.err());
        assertEquals(perplexity(naive), perplexity(vector), 1e-4 * perplexity(naive));
        Result g1 = rnn("generate", "--model", model, "--prefix", "the time", "--length", "20", "--backend", "naive");
        Result g2 = rnn("generate", "--model", model, "--prefix", "the time", "--length", "20", "--backend", "vector");
        assertEquals(0, g1.exit(), g1.err());
        assertTrue(g1.out().startsWith("the time") && g1.out().strip().length() == 28, g1.out());
        assertEquals(g1.out(), g2.out(), "greedy generation is the same on both backends");
        Result sampled = rnn("generate", "--model", model, "--prefix", "the", "--length", "30", "--temperature", "0.7",
                "--top-k", "3", "--seed", "4");
        assertEquals(sampled.out(), rnn("generate", "--model", model, "--prefix", "the", "--length", "30",
                "--temperature", "0.7", "--top-k", "3", "--seed", "4").out());
    }

    /** Dropout acts between stacked layers: with one layer it would silently do nothing, so the run says so, once. */
    @Test
    void dropoutWithOneLayerWarnsOnce() {
        Result one = rnnWithLog("train", "--corpus", corpus.toString(), "--dropout", "0.5", "--layers", "1", "--hidden", "8",
                "--batch", "4", "--steps", "8", "--epochs", "2", "--backend", "naive", "--threads", "1",
                "--out", dir.resolve("dropout-1").toString(), "--sample-length", "0");
        assertEquals(0, one.exit(), one.err());
        java.util.List<String> warnings = one.err().lines().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), one.err());
        assertTrue(warnings.get(0).contains("dropout 0.5 has no effect") && warnings.get(0).contains("at least two layers"),
                warnings.get(0));
        Result two = rnnWithLog("train", "--corpus", corpus.toString(), "--dropout", "0.5", "--layers", "2", "--hidden", "8",
                "--batch", "4", "--steps", "8", "--epochs", "2", "--backend", "naive", "--threads", "1",
                "--out", dir.resolve("dropout-2").toString(), "--sample-length", "0");
        assertEquals(0, two.exit(), two.err());
        assertTrue(two.err().lines().noneMatch(l -> l.startsWith("warning: ")), "two layers use dropout: " + two.err());
    }

    /** A model saved from Java (inference only, no trainer) is read by generate and eval, and refused by --resume. */
    @Test
    void generateAndEvalReadAModelSavedFromJava() throws Exception {
        Path checkpoint = run.resolve("model.safetensors");
        Path saved = Files.createDirectories(dir.resolve("from-java")).resolve("model.safetensors");
        String fromJava;
        try (rnn.lm.CharModel model = rnn.lm.CharModel.load(checkpoint, "naive")) {
            model.save(saved, java.util.Map.of("note", "saved from Java"));
            fromJava = model.generate("the time", 20);
        }
        Result g = rnn("generate", "--model", saved.toString(), "--prefix", "the time", "--length", "20", "--backend", "naive");
        assertEquals(0, g.exit(), g.err());
        assertEquals(fromJava, g.out().strip());
        assertEquals(rnn("generate", "--model", checkpoint.toString(), "--prefix", "the time", "--length", "20",
                "--backend", "naive").out(), g.out(), "the same weights as the checkpoint");
        Result e = rnn("eval", "--model", saved.toString(), "--corpus", corpus.toString(), "--backend", "naive");
        assertEquals(0, e.exit(), e.err());
        assertTrue(Double.isFinite(perplexity(e)), e.out());
        Result resume = rnn("train", "--resume", saved.getParent().toString(), "--backend", "naive");
        assertEquals(2, resume.exit(), resume.err());
        assertTrue(resume.err().contains("was saved for inference only"), resume.err());
    }

    @Test
    void aWordModelTrainsGeneratesEvaluatesAndResumes() throws Exception {
        Path words = dir.resolve("words");
        Result r = rnn("train", "--corpus", corpus.toString(), "--tokens", "word", "--hidden", "16", "--batch", "2",
                "--steps", "6", "--epochs", "3", "--backend", "naive", "--threads", "1", "--out", words.toString(),
                "--sample-length", "4");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains(" tokens, vocabulary 30 (word tokens);"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("([a-z]+ ){5}[a-z]+")),
                "the default prefix is the validation split's first two words, then 4 generated: " + r.out());
        String metrics = Files.readString(words.resolve("metrics.json"));
        assertTrue(metrics.contains("\"tokens\": \"word\"") && metrics.contains("\"min_freq\": 1")
                && metrics.contains("\"vocab_size\": 30"), metrics);
        String model = words.resolve("model.safetensors").toString();
        Result g = rnn("generate", "--model", model, "--prefix", "The Time", "--length", "5", "--backend", "naive");
        assertEquals(0, g.exit(), g.err());
        assertTrue(g.out().strip().matches("the time( [a-z]+){5}"), g.out());
        Result e = rnn("eval", "--model", model, "--corpus", corpus.toString(), "--backend", "naive");
        assertEquals(0, e.exit(), e.err());
        assertTrue(perplexity(e) > 1 && perplexity(e) < 30, e.out());
        Result more = rnn("train", "--resume", words.toString(), "--epochs", "4", "--backend", "naive", "--threads", "1",
                "--out", words.toString(), "--sample-length", "0", "--tokens", "word", "--min-freq", "1");
        assertEquals(0, more.exit(), more.err());
        assertTrue(more.out().contains("resuming after epoch 3"), more.out());
        Result rare = rnn("train", "--corpus", corpus.toString(), "--tokens", "word", "--min-freq", "7", "--hidden", "8",
                "--batch", "2", "--steps", "6", "--epochs", "1", "--backend", "naive", "--threads", "1",
                "--out", dir.resolve("rare").toString(), "--sample-length", "0");
        assertEquals(0, rare.exit(), rare.err());
        assertTrue(rare.out().contains("vocabulary 5 (word tokens)"), "<unk>, and, his, to, was: " + rare.out());
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        for (String[] args : new String[][] {
                {"train", "--hidden", "0", "--corpus", "x"},
                {"train", "--lr", "NaN", "--corpus", "x"},
                {"train", "--no-such-flag"},
                {"train", "--val-fraction", "1.5", "--corpus", "x"},
                {"backends", "--backend", "gpu"},
                {"generate", "--model", "m", "--temperature", "0"},
                {"generate", "--model", "m", "--top-k", "0", "--temperature", "1"}}) {
            Result r = rnn(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void runtimeErrorsExit1WithOneLine() {
        Result r = rnn("train", "--corpus", dir.resolve("missing.txt").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r.err());
        assertTrue(r.err().contains("missing.txt"), r.err());
        Result bad = rnn("eval", "--model", corpus.toString(), "--corpus", corpus.toString());
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().startsWith("error: "), bad.err());
    }

    @Test
    void optimizersListsEveryProviderWithItsHyperparametersAndDefaults() {
        Result r = rnn("optimizers");
        assertEquals(0, r.exit(), r.err());
        for (String name : new String[] {"adagrad", "adam", "adamw", "momentum", "nesterov", "rmsprop", "sgd"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " (")), name + " in " + r.out());
        }
        assertTrue(r.out().matches("(?s).*adamw \\([^)]+\\): AdamW.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n    beta2 +0\\.999 +in \\[0, 1\\) .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n    eps +1e-8 +positive and finite .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n    weight_decay +0\\.01 .*"), "adamw's default decay: " + r.out());
        assertTrue(r.out().matches("(?s).*\\n    alpha +0\\.95 .*"), "rmsprop's char-rnn decay: " + r.out());
    }

    @Test
    void optimizerOptionsReachTheRunAndItsFilesAndResumeChecksThem() throws Exception {
        Path adamw = dir.resolve("adamw");
        Result r = rnn("train", "--corpus", corpus.toString(), "--hidden", "8", "--batch", "4", "--steps", "8",
                "--epochs", "1", "--backend", "naive", "--threads", "1", "--out", adamw.toString(), "--sample-length", "0",
                "--optimizer", "adamw", "--lr", "0.01", "--optimizer-opt", "beta2=0.99", "--optimizer-opt", "eps=1e-6");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("; adamw lr 0.01;"), r.out());
        String metrics = Files.readString(adamw.resolve("metrics.json"));
        assertTrue(metrics.contains("\"optimizer\": \"adamw\""), metrics);
        assertTrue(metrics.matches("(?s).*\"optimizer_hyperparameters\": \\{\\s*\"beta1\": 0\\.9,\\s*\"beta2\": 0\\.99,"
                + "\\s*\"eps\": 1\\.0E-6,\\s*\"weight_decay\": 0\\.01\\s*}.*"), metrics);
        assertTrue(metrics.contains("\"weight_decay\": 0.01"), "PyTorch's default AdamW decay: " + metrics);
        // Resuming takes the checkpoint's optimizer; options given again must match it.
        Result more = rnn("train", "--resume", adamw.toString(), "--epochs", "2", "--backend", "naive", "--threads", "1",
                "--out", adamw.toString(), "--sample-length", "0", "--optimizer-opt", "beta2=0.99");
        assertEquals(0, more.exit(), more.err());
        assertTrue(more.out().contains("; adamw lr 0.01;") && more.out().contains("resuming after epoch 1"), more.out());
        Result other = rnn("train", "--resume", adamw.toString(), "--epochs", "3", "--out", adamw.toString(),
                "--optimizer-opt", "beta2=0.9");
        assertEquals(2, other.exit(), other.err());
        assertEquals("error: --optimizer-opt beta2=0.9 does not match the checkpoint's beta2=0.99", other.err().strip());
        Result decay = rnn("train", "--resume", adamw.toString(), "--epochs", "3", "--out", adamw.toString(),
                "--weight-decay", "0");
        assertEquals(2, decay.exit(), decay.err());
        assertEquals("error: --weight-decay 0.0 does not match the checkpoint's 0.01", decay.err().strip());
    }

    /** Only the subcommand named first is built; help, usage and a misspelt name see all of them. */
    @Test
    void everyCommandIsListedAndEachParsesAlone() {
        Result usage = rnn();
        assertEquals(0, usage.exit(), usage.err());
        for (String name : Main.COMMANDS) {
            assertTrue(usage.out().contains("\n  " + name + " "), name + " in " + usage.out());
        }
        assertEquals(usage.out(), rnn("--help").out());
        Result help = rnn("help", "generate");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: rnn generate "), help.out());
        assertEquals(help.out(), rnn("generate", "--help").out());
        Result typo = rnn("genrate", "--model", "m");
        assertEquals(2, typo.exit(), typo.err());
        assertTrue(typo.err().startsWith("error: Unmatched arguments from index 0: 'genrate'"), typo.err());
    }

    @Test
    void aotTrainingRunsCommandLinesInOneJvmAndStopsAtTheFirstFailure() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, AotTraining.run(new String[] {"backends", ";", "--version"}, new PrintWriter(out, true),
                new PrintWriter(err, true)), err.toString());
        assertTrue(out.toString().contains("chosen: ") && out.toString().endsWith("rnn 0.1.0" + System.lineSeparator()),
                out.toString());
        out.getBuffer().setLength(0);
        assertEquals(2, AotTraining.run(new String[] {"train", "--no-such-flag", ";", "--version"}, new PrintWriter(out, true),
                new PrintWriter(err, true)));
        assertTrue(err.toString().contains("error: AOT training run failed (exit 2) at: rnn train --no-such-flag"), err.toString());
        assertEquals("", out.toString(), "the command lines after a failure do not run");
    }

    @Test
    void backendsListsBothAndTheChoice() {
        Result r = rnn("backends");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("naive") && r.out().contains("vector") && r.out().contains("chosen: vector"), r.out());
    }
}
