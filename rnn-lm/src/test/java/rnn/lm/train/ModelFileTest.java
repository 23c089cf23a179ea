package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;

/** The two kinds of model file, and caller metadata that can never change how a file reads. */
class ModelFileTest {

    @TempDir
    Path dir;

    record Trained(LanguageModel model, TrainingConfig config, Trainer trainer) {
    }

    static Trained trained(boolean optimizerInCode) {
        Corpus c = TrainingTest.corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(12), TrainingTest.naive(), 5);
        TrainingConfig cfg = TrainingTest.config(1, Sampling.SEQUENTIAL).toBuilder().optOptimizer("adam")
                .optLearningRate(0.01).build();
        Trainer t = optimizerInCode ? new Trainer(model, cfg, c.ids(), new int[0], cfg.createOptimizer())
                : new Trainer(model, cfg, c.ids(), new int[0]);
        t.run(TrainingListener.NONE);
        return new Trained(model, cfg, t);
    }

    @Test
    void callerMetadataCannotUseAnyKeyTheFileWritesItself() throws Exception {
        Trained t = trained(false);
        Path file = dir.resolve("m.safetensors");
        for (String key : List.of("format", "kind", "cell", "vocabulary", "tokenizer", "hidden", "batch", "optimizer",
                "history", "global_step", "weight_decay", "forget_bias")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelFile.save(file, t.model(), t.config(), t.trainer(), Map.of(key, "x")), key);
            assertTrue(e.getMessage().contains("metadata key '" + key + "' is one the model file writes itself"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ModelFile.saveForInference(file, t.model(), Map.of(key, "x")), key);
        }
        assertThrows(IllegalArgumentException.class, () -> ModelFile.saveForInference(file, t.model(), Map.of(" ", "x")));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("note", null);
        assertThrows(NullPointerException.class, () -> ModelFile.saveForInference(file, t.model(), nullValue));
        assertFalse(Files.exists(file), "nothing written");
    }

    /** If a new key is written, it must be reserved too, or a caller's key of that name would shadow or break it. */
    @Test
    void everyKeyEitherKindWritesIsReserved() throws Exception {
        Trained t = trained(true); // an optimizer given in code adds optimizer_class
        Path checkpoint = dir.resolve("c.safetensors");
        Path inference = dir.resolve("i.safetensors");
        ModelFile.save(checkpoint, t.model(), t.config(), t.trainer(), Map.of("source", "test"));
        ModelFile.saveForInference(inference, t.model(), Map.of("note", "hello"));
        Set<String> written = new TreeSet<>(Safetensors.read(checkpoint).metadata().keySet());
        written.remove("source");
        assertTrue(written.contains(OptimizerMetadata.INSTANCE), written.toString());
        Set<String> inferenceKeys = new TreeSet<>(Safetensors.read(inference).metadata().keySet());
        inferenceKeys.remove("note");
        written.addAll(inferenceKeys);
        written.removeAll(ModelFile.RESERVED_KEYS);
        assertEquals(Set.of(), written, "keys written but not reserved");
    }

    @Test
    void anInferenceOnlyFileHoldsTheModelAloneAndLoadsWithTheSameOutputs() throws Exception {
        Trained t = trained(false);
        Path file = dir.resolve("i.safetensors");
        ModelFile.saveForInference(file, t.model(), Map.of("note", "hello", "source", "test"));

        Safetensors.Contents raw = Safetensors.read(file);
        assertEquals("inference", raw.metadata().get("kind"));
        assertEquals(ModelFile.FORMAT, raw.metadata().get("format"));
        for (String absent : List.of("optimizer", "batch", "lr", "history", "rng", "global_step", "epoch")) {
            assertFalse(raw.metadata().containsKey(absent), absent);
        }
        assertTrue(raw.tensors().keySet().stream().noneMatch(k -> k.startsWith("optimizer.")), raw.tensors().keySet().toString());

        ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
        assertFalse(loaded.resumable());
        assertEquals(List.of(), loaded.history());
        assertEquals(Map.of("note", "hello", "source", "test"), loaded.callerMetadata());
        IllegalStateException e = assertThrows(IllegalStateException.class, loaded::config);
        assertTrue(e.getMessage().contains("saved for inference only"), e.getMessage());
        assertThrows(IllegalStateException.class, loaded::progress);
        assertEquals(t.model().vocabulary(), loaded.model().vocabulary());
        assertEquals(t.model().config(), loaded.model().config());
        for (int i = 0; i < t.model().net().parameters().size(); i++) {
            assertArrayEquals(t.model().net().parameters().get(i).value(), loaded.model().net().parameters().get(i).value());
        }
        int[] ids = TrainingTest.corpus().ids();
        assertEquals(Perplexity.of(t.model(), ids, 4, 10), Perplexity.of(loaded.model(), ids, 4, 10));
    }

    @Test
    void aCheckpointIsResumableAndFilesWithoutAKindAreCheckpoints() throws Exception {
        Trained t = trained(false);
        Path file = dir.resolve("c.safetensors");
        ModelFile.save(file, t.model(), t.config(), t.trainer(), Map.of("source", "test"));
        assertEquals("checkpoint", Safetensors.read(file).metadata().get("kind"));
        assertTrue(ModelFile.load(file, TrainingTest.naive()).resumable());

        // As written before the kind was recorded.
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> old = new LinkedHashMap<>(contents.metadata());
        old.remove("kind");
        Path legacy = dir.resolve("legacy.safetensors");
        Safetensors.write(legacy, new LinkedHashMap<>(contents.tensors()), old);
        ModelFile.Loaded loaded = ModelFile.load(legacy, TrainingTest.naive());
        assertTrue(loaded.resumable());
        assertEquals(t.trainer().history(), loaded.history());

        old.put("kind", "mystery");
        Path odd = dir.resolve("odd.safetensors");
        Safetensors.write(odd, new LinkedHashMap<>(contents.tensors()), old);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(odd, TrainingTest.naive()));
        assertTrue(e.getMessage().contains("unknown model file kind 'mystery'"), e.getMessage());
    }

    @Test
    void anInferenceOnlyFileWithOptimizerStateIsRejected() throws Exception {
        Trained t = trained(false);
        Path file = dir.resolve("c.safetensors");
        ModelFile.save(file, t.model(), t.config(), t.trainer(), Map.of());
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        meta.put("kind", "inference");
        Path odd = dir.resolve("odd.safetensors");
        Safetensors.write(odd, new LinkedHashMap<>(contents.tensors()), meta);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(odd, TrainingTest.naive()));
        assertTrue(e.getMessage().contains("holds optimizer state"), e.getMessage());
    }
}
