package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.cell.Init;
import rnn.lm.text.Corpus;

/** Sizes too large to allocate are refused before any work, with the array and its bytes. */
class MemoryEstimateTest {

    private static final long SIX_GIB = 6L << 30;

    private static ModelShape shape(String cell, int hidden, int layers, int embedding, int vocabulary) {
        try (Backend naive = TrainingTest.naive()) {
            return ModelShape.of(new ModelConfig(cell, Map.of(), hidden, layers, new Init.Normal(0.01), 0, embedding),
                    vocabulary, naive);
        }
    }

    @Test
    void theParametersOfD2lsModelAreCountedExactlyAsTheNetworkHasThem() {
        Corpus c = TrainingTest.corpus();
        try (Backend naive = TrainingTest.naive()) {
            for (ModelConfig config : new ModelConfig[] {ModelConfig.d2l(12),
                new ModelConfig("lstm", Map.of(), 7, 3, new Init.Xavier(), 0.5, 5), new ModelConfig("gru", Map.of(), 9, 2,
                    new Init.Uniform(0.08), 0, 0)}) {
                LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), config, naive, 1);
                ModelShape shape = ModelShape.of(config, c.vocabulary().size(), naive);
                long params = model.net().parameters().stream().mapToLong(p -> p.size()).sum();
                assertEquals(params, shape.parameters(), config.toString());
                assertEquals(8 * params, MemoryEstimate.model(shape).bytes(), "values and gradients, float32: " + config);
                Map<String, long[]> listed = new java.util.LinkedHashMap<>();
                shape.forEach(listed::put);
                assertEquals(model.net().parameters().stream().map(p -> p.name()).toList(), java.util.List.copyOf(listed.keySet()));
                model.net().parameters().forEach(p -> assertEquals(java.util.Arrays.toString(p.shape()),
                        java.util.Arrays.toString(listed.get(p.name())), p.name()));
            }
        }
    }

    @Test
    void aModelBeyondTheHeapIsRefusedNamingItsLargestTensorAndItsBytes() {
        // --hidden 30000: W_hh alone is 9·10^8 floats, 7.2 GB with its gradient.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.model(shape("rnn", 30000, 1, 0, 28)).require(SIX_GIB));
        assertTrue(e.getMessage().startsWith("the model would need at least 6.7 GiB (7,213,680,224 bytes), "), e.getMessage());
        assertTrue(e.getMessage().contains("more than this JVM's heap of at most 6.0 GiB (6,442,450,944 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("W_hh [30000, 30000] and its gradient, would need 6.7 GiB (7,200,000,000 bytes)"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("use a smaller --hidden, or raise the heap with RNN_JAVA_OPTS=-Xmx11g"), e.getMessage());
        MemoryEstimate.model(shape("rnn", 30000, 1, 0, 28)).require(16L << 30); // fits a 16 GiB heap
    }

    @Test
    void anArrayBeyondWhatJavaHoldsIsRefusedWhateverTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.model(shape("rnn", 100_000, 1, 0, 28)).require(Long.MAX_VALUE));
        assertEquals("W_hh [100000, 100000] and its gradient would need 74.5 GiB (80,000,000,000 bytes), and one array of "
                + "10,000,000,000 elements is more than a Java array holds (2,147,483,639): use a smaller --hidden", e.getMessage());
        // An LSTM's fused W_h is 4H wide: 4·25000² overflows an int although 25000² does not.
        e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.model(shape("lstm", 25_000, 1, 0, 28)).require(Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("W_h [25000, 100000] and its gradient would need"), e.getMessage());
    }

    @Test
    void hugeLayerCountsAndVocabulariesAreCountedWithoutListingThem() {
        MemoryEstimate layers = MemoryEstimate.model(shape("gru", 512, 2_000_000_000, 0, 28));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layers.require(SIX_GIB));
        assertTrue(e.getMessage().contains("the largest part, l1.W_x … l1999999999.W_x [512, 1536] and its gradient, would need"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("use a smaller --hidden or --layers"), "no heap is that large: " + e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.model(shape("rnn", 8, 1, 100_000_000, 28)).require(Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("E [28, 100000000] and its gradient would need 20.9 GiB"), e.getMessage());
        assertTrue(e.getMessage().endsWith("use a smaller --embedding"), e.getMessage());
    }

    @Test
    void aTrainingBatchTooLargeForItsBuffersIsRefusedNamingTheBuffer() {
        ModelShape d2l = shape("rnn", 512, 1, 0, 28);
        // --batch 2000000000: the logits of one step would be [7·10^10, 28].
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.training(d2l, 2_000_000_000, 35).require(Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("gate activations [70000000000, 512] and their gradient would need"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("use a smaller --batch or --steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MemoryEstimate.training(d2l, 100_000, 35).require(SIX_GIB));
        assertTrue(e.getMessage().startsWith("training with batch 100000 × 35 steps would need at least"), e.getMessage());
        assertTrue(e.getMessage().contains("the largest part, gate activations [3500000, 512] and their gradient, "
                + "would need 13.4 GiB (14,336,000,000 bytes): use a smaller --batch or --steps, or raise the heap"), e.getMessage());
        MemoryEstimate.training(d2l, 32, 35).require(SIX_GIB); // d2l's own run
        // The entry for the trainer, which knows the batch: an existing model and the run's sizes.
        Corpus c = TrainingTest.corpus();
        try (Backend naive = TrainingTest.naive()) {
            LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive, 0);
            MemoryEstimate.requireTraining(model, 32, 35);
            e = assertThrows(IllegalArgumentException.class, () -> MemoryEstimate.requireTraining(model, 2_000_000_000, 35));
            assertTrue(e.getMessage().contains("[70000000000, " + c.vocabulary().size() + "]")
                    || e.getMessage().contains("[70000000000, 16]"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.training(shape("lstm", 256, 3, 0, 28), 20_000, 35).require(SIX_GIB));
        assertTrue(e.getMessage().contains("the largest part, gate activations [700000, 1024] and their gradient, in each of 3 "
                + "layers, would need 16.0 GiB (17,203,200,000 bytes)"), e.getMessage());
    }

    @Test
    void loadingCountsTheTensorsReadBesideTheModelBuiltFromThem() {
        ModelShape h4096 = shape("rnn", 4096, 1, 0, 28);
        long read = 4 * h4096.parameters();
        assertEquals(3 * read, MemoryEstimate.loading(h4096, read).bytes());
        MemoryEstimate.model(h4096).require(2 * read + 1024); // building alone would fit
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryEstimate.loading(h4096, read).require(2 * read + 1024));
        assertTrue(e.getMessage().startsWith("loading the model would need at least 194.7 MiB (204,128,592 bytes)"), e.getMessage());
    }

    @Test
    void theLanguageModelRefusesBeforeAllocating() {
        Corpus c = TrainingTest.corpus();
        try (Backend naive = TrainingTest.naive()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LanguageModel(c.vocabulary(),
                    c.tokenizer(), ModelConfig.d2l(100_000), naive, 0));
            assertTrue(e.getMessage().startsWith("W_hh [100000, 100000] and its gradient would need 74.5 GiB"), e.getMessage());
        }
    }

    @Test
    void sizesReadAsPeopleReadThem() {
        assertEquals("1,023 bytes", MemoryEstimate.size(1023));
        assertEquals("1.0 KiB (1,024 bytes)", MemoryEstimate.size(1024));
        assertEquals("40.0 GiB (42,949,672,960 bytes)", MemoryEstimate.size(40L << 30));
        assertEquals("8.0 EiB (more than 9,223,372,036,854,775,807 bytes)", MemoryEstimate.size(Long.MAX_VALUE));
        assertEquals("RNN_JAVA_OPTS=-Xmx2g", MemoryEstimate.heapOption(1L << 30));
        assertEquals("RNN_JAVA_OPTS=-Xmx384m", MemoryEstimate.heapOption(256L << 20));
    }
}
