package rnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue: every case ends with one {@code error:} line on stderr and a non-zero exit
 * (2 for usage, 1 for runtime), no stack trace, and leaves what is already in {@code --out} untouched.
 */
class BadInputTest {

    @TempDir
    static Path dir;
    static Path out;
    static Path good;
    static Path model;
    static byte[] modelBytes;
    static byte[] metricsBytes;

    @BeforeAll
    static void setUp() throws Exception {
        good = dir.resolve("good.txt");
        Files.writeString(good, "the time traveller for so it will be convenient to speak of him was expounding ".repeat(20));
        out = dir.resolve("out");
        CliTest.Result r = CliTest.rnn("train", "--corpus", good.toString(), "--hidden", "8", "--batch", "2", "--steps", "5",
                "--epochs", "1", "--backend", "naive", "--out", out.toString(), "--sample-length", "0");
        assertEquals(0, r.exit(), r.err());
        model = out.resolve("model.safetensors");
        modelBytes = Files.readAllBytes(model);
        metricsBytes = Files.readAllBytes(out.resolve("metrics.json"));
        CliTest.Result w = CliTest.rnn("train", "--corpus", good.toString(), "--tokens", "word", "--hidden", "8", "--batch", "2",
                "--steps", "5", "--epochs", "1", "--backend", "naive", "--out", dir.resolve("words").toString(), "--sample-length", "0");
        assertEquals(0, w.exit(), w.err());
        wordModel = dir.resolve("words").resolve("model.safetensors");
    }

    static Path wordModel;

    record Case(String name, int exit, String message, String... args) {
    }

    static List<Case> catalogue() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "hello world");
        Path badUtf8 = dir.resolve("bad-utf8.txt");
        Files.write(badUtf8, new byte[] {'a', 'b', 'c', (byte) 0xC3, '(', 'd'});
        Path binary = dir.resolve("binary.bin");
        Files.write(binary, new byte[] {0x7F, 'E', 'L', 'F', 0, 0, 1, 2, 3});
        Path dataHome = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataHome.resolve("timemachine.txt"), "not the time machine");
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(modelBytes, modelBytes.length / 2));
        // A checkpoint whose optimizer is a plug-in that is not installed here.
        Path plugin = Files.createDirectories(dir.resolve("plugin-run"));
        rnn.lm.checkpoint.Safetensors.Contents contents = rnn.lm.checkpoint.Safetensors.read(model);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(contents.metadata());
        meta.put("optimizer", "lion");
        meta.put("optimizer_hyperparameters", "{\"beta1\":0.9,\"beta2\":0.99}");
        rnn.lm.checkpoint.Safetensors.write(plugin.resolve("model.safetensors"),
                new java.util.LinkedHashMap<>(contents.tensors()), meta);
        // A model whose weights hold a NaN (ModelFile.save refuses to write one; a bit flip or another tool need not).
        Path nanModel = dir.resolve("nan.safetensors");
        java.util.Map<String, rnn.lm.checkpoint.Safetensors.Tensor> nanTensors = new java.util.LinkedHashMap<>(contents.tensors());
        rnn.lm.checkpoint.Safetensors.Tensor bh = nanTensors.get("b_h");
        float[] nanBias = bh.data().clone();
        nanBias[0] = Float.NaN;
        nanTensors.put("b_h", new rnn.lm.checkpoint.Safetensors.Tensor(bh.shape(), nanBias));
        rnn.lm.checkpoint.Safetensors.write(nanModel, nanTensors, contents.metadata());
        Path nanRun = Files.createDirectories(dir.resolve("nan-run"));
        Files.copy(nanModel, nanRun.resolve("model.safetensors"));
        // The same model saved for inference only: no optimizer state or progress to resume from.
        Path inference = Files.createDirectories(dir.resolve("inference-run"));
        try (rnn.api.Backend naive = rnn.api.Backends.create("naive", new rnn.api.BackendOptions(1))) {
            rnn.lm.train.ModelFile.saveForInference(inference.resolve("model.safetensors"),
                    rnn.lm.train.ModelFile.load(model, naive).model(), java.util.Map.of());
        }
        String o = out.toString();
        String c = good.toString();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("missing file", 1, "missing.txt", "train", "--corpus", dir.resolve("missing.txt").toString(), "--out", o));
        cases.add(new Case("directory", 1, "directory", "train", "--corpus", dir.toString(), "--out", o));
        cases.add(new Case("empty corpus", 1, "empty", "train", "--corpus", empty.toString(), "--out", o));
        cases.add(new Case("corpus shorter than one batch", 2, "tokens", "train", "--corpus", tiny.toString(), "--out", o));
        cases.add(new Case("invalid UTF-8", 1, "byte offset 3", "train", "--corpus", badUtf8.toString(), "--out", o));
        cases.add(new Case("binary file", 1, "binary", "train", "--corpus", binary.toString(), "--out", o));
        cases.add(new Case("unknown dataset", 2, "unknown dataset", "train", "--dataset", "nope", "--out", o));
        cases.add(new Case("hash mismatch", 1, "SHA-1", "train", "--dataset", "timemachine", "--data-home", dataHome.toString(), "--out", o));
        cases.add(new Case("both --dataset and --corpus", 2, "mutually exclusive", "train", "--dataset", "timemachine",
                "--corpus", c, "--out", o));
        cases.add(new Case("unknown backend", 2, "available:", "train", "--corpus", c, "--backend", "gpu", "--out", o));
        for (String[] flag : new String[][] {{"--hidden", "0", "hidden"}, {"--batch", "0", "batch"},
                {"--steps", "-1", "steps"}, {"--epochs", "0", "epochs"}, {"--lr", "0", "learning rate"},
                {"--lr", "NaN", "learning rate"}, {"--lr", "Infinity", "learning rate"}, {"--val-fraction", "1", "val-fraction"},
                {"--val-fraction", "-0.1", "val-fraction"}, {"--dropout", "1", "dropout"}, {"--threads", "0", "threads"},
                {"--optimizer", "sgdx", "optimizer"}, {"--init", "gaussian", "init"}, {"--cell", "tree", "cell"}}) {
            cases.add(new Case(flag[0] + " " + flag[1], 2, flag[2], "train", "--corpus", c, flag[0], flag[1], "--out", o));
        }
        for (String[] opt : new String[][] {{"adam", "beta3=0.5", "valid: beta1, beta2, eps, weight_decay"},
                {"adam", "beta1=high", "beta1 must be a number, got 'high'"}, {"adam", "beta1=1", "beta1 must be in [0, 1)"},
                {"momentum", "momentum=-0.5", "momentum must be in [0, 1)"}, {"adam", "beta1", "KEY=VALUE"},
                {"sgd", "eps=1e-8", "valid: weight_decay"}, {"adagrad", "eps=0", "eps must be positive"}}) {
            cases.add(new Case("--optimizer " + opt[0] + " --optimizer-opt " + opt[1], 2, opt[2], "train", "--corpus", c,
                    "--optimizer", opt[0], "--optimizer-opt", opt[1], "--out", o));
        }
        cases.add(new Case("--weight-decay for an optimizer without one", 2, "not supported by optimizer rmsprop", "train",
                "--corpus", c, "--optimizer", "rmsprop", "--weight-decay", "0.1", "--out", o));
        cases.add(new Case("weight decay given twice", 2, "give the weight decay once", "train", "--corpus", c,
                "--weight-decay", "0.1", "--optimizer-opt", "weight_decay=0.1", "--out", o));
        cases.add(new Case("negative --weight-decay", 2, "weight_decay must be non-negative", "train", "--corpus", c,
                "--weight-decay", "-1", "--out", o));
        cases.add(new Case("resume with other optimizer options", 2, "does not match the checkpoint's weight_decay=0.0",
                "train", "--resume", o, "--optimizer-opt", "weight_decay=0.5", "--out", o));
        cases.add(new Case("resume with an unknown optimizer option", 2, "valid: weight_decay", "train", "--resume", o,
                "--optimizer-opt", "beta1=0.5", "--out", o));
        cases.add(new Case("generate from a model whose optimizer is not installed", 2,
                "optimizer 'lion', which is not installed", "generate", "--model", plugin.resolve("model.safetensors").toString()));
        cases.add(new Case("resume a run whose optimizer is not installed", 2, "RNN_PLUGIN_PATH=", "train", "--resume",
                plugin.toString(), "--out", o));
        cases.add(new Case("resume from a model saved for inference only", 2, "was saved for inference only", "train",
                "--resume", inference.toString(), "--out", o));
        cases.add(new Case("temperature 0", 2, "temperature", "generate", "--model", model.toString(), "--temperature", "0"));
        cases.add(new Case("top-k 0", 2, "top-k", "generate", "--model", model.toString(), "--top-k", "0"));
        cases.add(new Case("prefix of unknown characters", 2, "no character the model knows", "generate", "--model",
                model.toString(), "--prefix", "zzzz"));
        cases.add(new Case("generate from a model with a NaN weight", 1, "tensor b_h holds NaN at index 0 of [8]",
                "generate", "--model", nanModel.toString()));
        cases.add(new Case("evaluate a model with a NaN weight", 1, "retrain, or load another model", "eval",
                "--model", nanModel.toString(), "--corpus", c));
        cases.add(new Case("resume a checkpoint with a NaN weight", 1, "tensor b_h holds NaN", "train", "--resume",
                nanRun.toString(), "--out", o));
        // The edited files: sizes that no tensor backs are refused before anything is made from them.
        cases.add(new Case("train --hidden 100000", 2, "W_hh [100000, 100000] and its gradient would need 74.5 GiB "
                + "(80,000,000,000 bytes), and one array of 10,000,000,000 elements is more than a Java array holds", "train",
                "--corpus", c, "--hidden", "100000", "--out", o));
        cases.add(new Case("diagnose --hidden 100000", 2, "W_hh [100000, 100000] and its gradient would need 74.5 GiB",
                "diagnose", "--corpus", c, "--hidden", "100000", "--out", dir.resolve("diagnose").toString()));
        cases.add(new Case("model metadata with 100000 layers", 1, "model metadata says 100000 layers, but the file holds "
                + "the tensors of 1 layer", "generate", "--model", edited(contents, "layers", "100000").toString()));
        cases.add(new Case("model metadata with hidden 2000000000", 1, "model metadata says hidden 2000000000",
                "generate", "--model", edited(contents, "hidden", "2000000000").toString()));
        cases.add(new Case("model metadata with cell transformer", 2, "needs cell 'transformer', which no module here provides",
                "generate", "--model", edited(contents, "cell", "transformer").toString()));
        for (String n : new String[] {"0", "-1"}) {
            cases.add(new Case("--tokens word --min-freq " + n, 2, "--min-freq must be ≥ 1, got " + n, "train", "--corpus", c,
                    "--tokens", "word", "--min-freq", n, "--out", o));
        }
        cases.add(new Case("--min-freq above every word's count", 2, "no word of " + c + " occurs at least 1000 times", "train",
                "--corpus", c, "--tokens", "word", "--min-freq", "1000", "--out", o));
        cases.add(new Case("prefix of unknown words", 2, "has no word the model knows (xyzzy, plugh are not in its vocabulary",
                "generate", "--model", wordModel.toString(), "--prefix", "Xyzzy plugh!"));
        cases.add(new Case("train --tokens word with a prefix of unknown words", 2,
                "--prefix 'xyzzy plugh' has no word of this corpus's vocabulary", "train", "--corpus", c, "--tokens", "word",
                "--prefix", "xyzzy plugh", "--out", o));
        cases.add(new Case("resume with another --min-freq", 2, "--min-freq 2 does not match the checkpoint's 1", "train",
                "--resume", o, "--min-freq", "2", "--out", o));
        cases.add(new Case("corrupt model file", 1, "truncated.safetensors", "generate", "--model", truncated.toString()));
        cases.add(new Case("not a model file", 1, "good.txt", "eval", "--model", good.toString(), "--corpus", c));
        cases.add(new Case("resume with another configuration", 2, "does not match the checkpoint", "train", "--resume", o,
                "--hidden", "64", "--out", o));
        cases.add(new Case("resume on another corpus", 2, "trained on", "train", "--resume", o, "--corpus", tiny.toString(),
                "--out", o));
        return cases;
    }

    /** The model file of the catalogue's run with one metadata value replaced. */
    private static Path edited(rnn.lm.checkpoint.Safetensors.Contents contents, String key, String value) throws Exception {
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(contents.metadata());
        meta.put(key, value);
        Path file = dir.resolve("edited-" + key + ".safetensors");
        rnn.lm.checkpoint.Safetensors.write(file, new java.util.LinkedHashMap<>(contents.tensors()), meta);
        return file;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputFailsWithOneClearLineAndLosesNothing() throws Exception {
        return catalogue().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            CliTest.Result r = CliTest.rnn(k.args());
            List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), k.name() + ": " + r.err());
            assertTrue(errors.get(0).contains(k.message()), k.name() + ": " + errors.get(0));
            assertTrue(!r.err().contains("\tat "), k.name() + ": no stack trace: " + r.err());
            assertEquals(k.exit(), r.exit(), k.name() + ": " + errors.get(0));
            assertArrayEquals(modelBytes, Files.readAllBytes(model), k.name() + " changed model.safetensors");
            assertArrayEquals(metricsBytes, Files.readAllBytes(out.resolve("metrics.json")), k.name() + " changed metrics.json");
            System.getLogger("rnn.cli.test").log(System.Logger.Level.DEBUG, k.name() + " -> exit " + r.exit() + ": " + errors.get(0));
        }));
    }
}
