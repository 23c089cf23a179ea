package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.example.lion.Lion;

import rnn.api.Parameter;
import rnn.api.optim.Optimizer;
import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Corpus;

/**
 * Optimizers named in a training config and a model file: built-ins and a plug-in ({@code lion}, the
 * example module's, on the test class path) train by name and resume bit-identically, an instance
 * given in code trains too, files from before plug-ins still load, and a missing plug-in is one clear line.
 */
class OptimizerPluginTest {

    static Corpus corpus() {
        return TrainingTest.corpus();
    }

    static TrainingConfig.Builder settings() {
        return TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(3).optSeed(5)
                .optLearningRate(0.01);
    }

    static LanguageModel model(Corpus c) {
        return new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(12), TrainingTest.naive(), 3);
    }

    /** Weights after all of cfg's epochs in one go. */
    static List<float[]> straight(TrainingConfig cfg) {
        Corpus c = corpus();
        LanguageModel m = model(c);
        new Trainer(m, cfg, c.ids(), new int[0]).run(TrainingListener.NONE);
        return m.net().parameters().stream().map(p -> p.value().clone()).toList();
    }

    /** Trains all epochs but the last, saves, rewrites the file's metadata, loads and finishes: the weights. */
    static List<float[]> resumed(TrainingConfig cfg, Path file, UnaryOperator<Map<String, String>> rewrite) throws Exception {
        Corpus c = corpus();
        LanguageModel first = model(c);
        Trainer part = new Trainer(first, cfg.withEpochs(cfg.epochs() - 1), c.ids(), new int[0]);
        part.run(TrainingListener.NONE);
        ModelFile.save(file, first, cfg, part, Map.of("source", "test"));
        rewriteMetadata(file, rewrite);
        ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
        Trainer rest = new Trainer(loaded.model(), loaded.config(), c.ids(), new int[0]);
        rest.restore(loaded.progress());
        rest.run(TrainingListener.NONE);
        return loaded.model().net().parameters().stream().map(p -> p.value().clone()).toList();
    }

    static void rewriteMetadata(Path file, UnaryOperator<Map<String, String>> rewrite) throws Exception {
        Safetensors.Contents contents = Safetensors.read(file);
        Safetensors.write(file, new LinkedHashMap<>(contents.tensors()), rewrite.apply(new LinkedHashMap<>(contents.metadata())));
    }

    static void assertSameWeights(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
        }
    }

    @Test
    void aPlugInOptimizerTrainsByNameAndResumesBitIdentically(@TempDir Path dir) throws Exception {
        TrainingConfig cfg = settings().optOptimizer("lion", Map.of("beta2", "0.95")).optLearningRate(3e-3).build();
        assertEquals(Map.of("beta1", 0.9, "beta2", 0.95, "weight_decay", 0.0), cfg.optimizerValues());
        assertEquals(Lion.class.getPackage(), cfg.createOptimizer().getClass().getPackage());
        Path file = dir.resolve("m.safetensors");
        assertSameWeights(straight(cfg), resumed(cfg, file, m -> m));
        Map<String, String> meta = Safetensors.read(file).metadata();
        assertEquals("lion", meta.get("optimizer"));
        assertEquals("{\"beta1\":0.9,\"beta2\":0.95,\"weight_decay\":0.0}", meta.get("optimizer_hyperparameters"));
        assertFalse(meta.containsKey("weight_decay"), "the decay is one of the hyperparameters now");
        assertEquals(cfg, ModelFile.load(file, TrainingTest.naive()).config().withEpochs(cfg.epochs()));
    }

    @Test
    void everyBuiltInResumesBitIdenticallyWithItsHyperparameters(@TempDir Path dir) throws Exception {
        Map<String, Map<String, ?>> runs = new LinkedHashMap<>();
        runs.put("momentum", Map.of("momentum", 0.8, "weight_decay", 1e-3));
        runs.put("adagrad", Map.of("eps", 1e-6));
        runs.put("rmsprop", Map.of("alpha", "0.9"));
        runs.put("adamw", Map.of("beta2", 0.99));
        for (var run : runs.entrySet()) {
            TrainingConfig cfg = settings().optOptimizer(run.getKey(), run.getValue()).build();
            Path file = dir.resolve(run.getKey() + ".safetensors");
            assertSameWeights(straight(cfg), resumed(cfg, file, m -> m));
            assertEquals(cfg.optimizerValues(), ModelFile.load(file, TrainingTest.naive()).config().optimizerValues(),
                    run.getKey());
        }
    }

    /** A Lion instance made in code, not found by name. */
    static Optimizer lion() {
        return new Lion().create(2e-3, Map.of("beta1", 0.9, "beta2", 0.99, "weight_decay", 0.1));
    }

    @Test
    void anOptimizerInstanceFromCodeTrainsAndResumesWithTheSameInstance(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        TrainingConfig cfg = settings().optLearningRate(2e-3).build(); // names sgd, which the instance overrides
        LanguageModel straight = model(c);
        Trainer whole = new Trainer(straight, cfg, c.ids(), new int[0], lion());
        assertFalse(whole.optimizerFromConfig());
        whole.run(TrainingListener.NONE);

        LanguageModel first = model(c);
        Trainer part = new Trainer(first, cfg.withEpochs(2), c.ids(), new int[0], lion());
        part.run(TrainingListener.NONE);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, first, cfg, part, Map.of("source", "test"));
        ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
        assertEquals(lion().getClass().getName(), loaded.metadata().get("optimizer_class"));
        assertTrue(loaded.progress().optimizerState().keySet().stream().allMatch(k -> k.endsWith(".m")));
        Trainer rest = new Trainer(loaded.model(), loaded.config(), c.ids(), new int[0], lion());
        rest.restore(loaded.progress());
        rest.run(TrainingListener.NONE);
        for (int i = 0; i < straight.net().parameters().size(); i++) {
            Parameter expected = straight.net().parameters().get(i);
            assertArrayEquals(expected.value(), loaded.model().net().parameters().get(i).value(), expected.name());
        }
    }

    @Test
    void modelFilesFromBeforePlugInsStillLoadAndContinueExactly(@TempDir Path dir) throws Exception {
        // Old files hold "optimizer" and "weight_decay" only; every other setting was the default.
        UnaryOperator<Map<String, String>> old = m -> {
            try {
                Map<String, Double> values = SettingsJson.read(Path.of("x"), "optimizer_hyperparameters",
                        m.remove("optimizer_hyperparameters"));
                m.put("weight_decay", Double.toString(values.getOrDefault("weight_decay", 0.0)));
                return m;
            } catch (CheckpointException e) {
                throw new AssertionError(e);
            }
        };
        for (String name : List.of("sgd", "nesterov", "adagrad", "rmsprop", "adam")) {
            TrainingConfig cfg = settings().optOptimizer(name).build();
            assertSameWeights(straight(cfg), resumed(cfg, dir.resolve(name + ".safetensors"), old));
        }
        // An AdamW file from before kept no decay unless asked: it must not pick up today's default 0.01.
        TrainingConfig adamw = settings().optOptimizer("adamw").optWeightDecay(0).build();
        Path file = dir.resolve("adamw.safetensors");
        assertSameWeights(straight(adamw), resumed(adamw, file, old));
        assertEquals(0.0, ModelFile.load(file, TrainingTest.naive()).config().weightDecay());
        // A weight decay the optimizer cannot take is inconsistent metadata.
        rewriteMetadata(file, m -> {
            m.put("optimizer", "rmsprop");
            m.put("weight_decay", "0.1");
            return m;
        });
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(file, TrainingTest.naive()));
        assertTrue(e.getMessage().contains("rmsprop"), e.getMessage());
    }

    @Test
    void aMissingOptimizerPlugInIsOneLineSayingHowToAddIt(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        LanguageModel m = model(c);
        TrainingConfig cfg = settings().optEpochs(1).build();
        Trainer t = new Trainer(m, cfg, c.ids(), new int[0]);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, m, cfg, t, Map.of("source", "test"));
        rewriteMetadata(file, meta -> {
            meta.put("optimizer", "nadam");
            return meta;
        });
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.load(file, TrainingTest.naive()));
        assertTrue(missing.getMessage().contains("optimizer 'nadam'"), missing.getMessage());
        assertTrue(missing.getMessage().contains("put its module on the module path: RNN_PLUGIN_PATH="), missing.getMessage());
        assertTrue(missing.getMessage().contains("available: adagrad, adam, adamw, lion, momentum"), missing.getMessage());
        assertFalse(missing.getMessage().contains("\n"), missing.getMessage());
        // Malformed hyperparameters are refused with the key named.
        rewriteMetadata(file, meta -> {
            meta.put("optimizer", "sgd");
            meta.put("optimizer_hyperparameters", "{\"weight_decay\": \"0.1\"}");
            return meta;
        });
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(file, TrainingTest.naive()));
        assertTrue(e.getMessage().contains("optimizer_hyperparameters"), e.getMessage());
    }

    @Test
    void hyperparametersAreResolvedAndCheckedWhenTheConfigIsBuilt() {
        assertEquals(0.01, settings().optOptimizer("adamw").build().weightDecay(), "PyTorch's AdamW default");
        assertEquals(0.0, settings().optOptimizer("adam").build().weightDecay());
        assertEquals(0.2, settings().optOptimizer("adamw").optWeightDecay(0.2).build().optimizerValues().get("weight_decay"));
        assertEquals(Map.of("alpha", 0.95, "eps", 1e-8), settings().optOptimizer("rmsprop").optWeightDecay(0).build()
                .optimizerValues(), "a weight decay of 0 is no decay, which every optimizer does");
        IllegalArgumentException wd = assertThrows(IllegalArgumentException.class,
                () -> settings().optOptimizer("rmsprop").optWeightDecay(0.1).build());
        assertEquals("weight decay is not supported by optimizer rmsprop (it has no weight_decay hyperparameter); "
                + "optimizers with one: adam, adamw, lion, momentum, nesterov, sgd", wd.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> settings().optOptimizer("adam", Map.of("beta3", "0.5")).build());
        assertEquals("optimizer adam has no hyperparameter 'beta3'; valid: beta1, beta2, eps, weight_decay", key.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> settings().optOptimizer("adam", Map.of("beta1", "high")).build());
        assertEquals("optimizer adam beta1 must be a number, got 'high'", text.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> settings().optOptimizer("momentum", Map.of("momentum", 1.0)).build());
        assertEquals("optimizer momentum momentum must be in [0, 1), got 1.0", range.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> settings().optOptimizer("sgdx").build());
        assertTrue(unknown.getMessage().startsWith("unknown optimizer 'sgdx'; available: adagrad, adam"), unknown.getMessage());
        // The learning rate reaches the optimizer exactly, as a double.
        Optimizer o = settings().optLearningRate(0.1).build().createOptimizer();
        assertEquals(0.1, o.learningRate(), 0.0);
    }

    @Test
    void hyperparameterJsonReadsBackExactly() throws Exception {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("beta1", 0.9);
        values.put("eps", 1e-8);
        values.put("weight_decay", 0.0);
        values.put("x", -3.25e-300);
        String json = SettingsJson.write(values);
        assertEquals("{\"beta1\":0.9,\"eps\":1.0E-8,\"weight_decay\":0.0,\"x\":-3.25E-300}", json);
        assertEquals(values, SettingsJson.read(Path.of("f"), "k", json));
        assertEquals(Map.of(), SettingsJson.read(Path.of("f"), "k", " { } "));
        assertEquals(Map.of("a", 1.0), SettingsJson.read(Path.of("f"), "k", "{ \"a\" : 1 }"));
        for (String bad : List.of("", "[]", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1,\"a\":2}", "{\"A\":1}", "{\"a\":NaN}",
                "{\"a\":\"1\"}", "{a:1}")) {
            assertThrows(CheckpointException.class, () -> SettingsJson.read(Path.of("f"), "k", bad), bad);
        }
    }
}
