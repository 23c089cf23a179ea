package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;
import rnn.api.Parameter;
import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;
import rnn.lm.text.Tokenizer;

class TrainingTest {

    static final String TEXT = "the time traveller for so it will be convenient to speak of him was expounding "
            + "a recondite matter to us his grey eyes shone and twinkled and his usually pale face was flushed "
            + "and animated the fire burned brightly and the soft radiance of the incandescent lights ";

    static Backend naive() {
        return Backends.create("naive", new BackendOptions(1));
    }

    static Corpus corpus() {
        return Corpus.fromText("test", TEXT.repeat(4), Tokenizer.D2L, 0);
    }

    static TrainingConfig config(int epochs, Sampling sampling) {
        return TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(epochs).optSampling(sampling).optSeed(7).build();
    }

    @Test
    void perplexityFallsFromTheUniformBaselineAndValidationIsMeasured() {
        Corpus c = corpus();
        Corpus.Split split = c.split(0.1);
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(32), naive(), 1);
        double before = Perplexity.of(model, split.validation(), 4, 10);
        // Weights start at N(0, 0.01): the model is near uniform over the vocabulary.
        assertEquals(c.vocabulary().size(), before, 0.05 * c.vocabulary().size());
        Trainer t = new Trainer(model, config(30, Sampling.SEQUENTIAL), split.train(), split.validation());
        assertTrue(t.run(TrainingListener.NONE));
        List<EpochStats> h = t.history();
        assertEquals(30, h.size());
        assertTrue(h.get(29).trainPerplexity() < 0.5 * h.get(0).trainPerplexity(), h.get(0) + " → " + h.get(29));
        assertTrue(h.get(29).valPerplexity() < before, "validation perplexity " + h.get(29).valPerplexity());
        assertTrue(h.get(29).tokensPerSecond() > 0);
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndMetrics() {
        for (Sampling s : Sampling.values()) {
            List<float[]> a = trainWeights(s), b = trainWeights(s);
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), s + ": parameter " + i);
            }
        }
    }

    private static List<float[]> trainWeights(Sampling s) {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 3);
        new Trainer(model, config(3, s), c.ids(), new int[0]).run(TrainingListener.NONE);
        return model.net().parameters().stream().map(p -> p.value().clone()).toList();
    }

    @Test
    void aStopRequestRollsBackToTheEpochBoundarySoResumingIsExact(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        TrainingConfig cfg = config(4, Sampling.RANDOM);
        LanguageModel straight = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 5);
        Trainer full = new Trainer(straight, cfg, c.ids(), new int[0]);
        full.run(TrainingListener.NONE);

        LanguageModel first = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 5);
        Trainer interrupted = new Trainer(first, cfg, c.ids(), new int[0]);
        boolean completed = interrupted.run(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double ppl, double tps) {
                if (epoch == 3 && done == 2) {
                    interrupted.requestStop();
                }
            }
        });
        assertTrue(!completed && interrupted.history().size() == 2);
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, first, cfg, interrupted, java.util.Map.of("source", "test"));

        ModelFile.Loaded loaded = ModelFile.load(file, naive());
        Trainer resumed = new Trainer(loaded.model(), loaded.config(), c.ids(), new int[0]);
        resumed.restore(loaded.progress());
        assertTrue(resumed.run(TrainingListener.NONE));
        for (int i = 0; i < straight.net().parameters().size(); i++) {
            Parameter expected = straight.net().parameters().get(i);
            assertArrayEquals(expected.value(), loaded.model().net().parameters().get(i).value(), expected.name());
        }
        for (int e = 0; e < 4; e++) {
            assertEquals(full.history().get(e).trainPerplexity(), resumed.history().get(e).trainPerplexity());
        }
    }

    @Test
    void modelFileRoundTripKeepsPerplexityAndRejectsOtherFiles(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 5);
        Trainer t = new Trainer(model, config(2, Sampling.SEQUENTIAL), c.ids(), new int[0]);
        t.run(TrainingListener.NONE);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model, config(2, Sampling.SEQUENTIAL), t, java.util.Map.of("source", "test"));
        ModelFile.Loaded loaded = ModelFile.load(file, naive());
        assertEquals(c.vocabulary(), loaded.model().vocabulary());
        assertEquals(Perplexity.of(model, c.ids(), 4, 10), Perplexity.of(loaded.model(), c.ids(), 4, 10));
        assertEquals(t.history(), loaded.history());

        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a model");
        assertThrows(CheckpointException.class, () -> ModelFile.load(junk, naive()));
    }

    @Test
    void generationIsDeterministicAndTopOneIsGreedy() {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(32), naive(), 1);
        new Trainer(model, config(20, Sampling.SEQUENTIAL), c.ids(), new int[0]).run(TrainingListener.NONE);
        Generator g = new Generator(model);
        String greedy = g.continueText("the time", 30, new Decoding.Greedy(), new Rng(1));
        assertTrue(greedy.startsWith("the time") && greedy.length() == 38, greedy);
        assertEquals(greedy, g.continueText("the time", 30, new Decoding.Sample(1.0, 1), new Rng(99)));
        String s1 = g.continueText("the", 40, new Decoding.Sample(0.8, 5), new Rng(3));
        assertEquals(s1, g.continueText("the", 40, new Decoding.Sample(0.8, 5), new Rng(3)));
        assertThrows(IllegalArgumentException.class, () -> new Decoding.Sample(0, 5));
        assertThrows(IllegalArgumentException.class, () -> new Decoding.Sample(1, 0));
    }

    @Test
    void concurrentGenerateCallsOnOneModelGiveTheSequentialResults() throws Exception {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(32), naive(), 1);
        new Trainer(model, config(5, Sampling.SEQUENTIAL), c.ids(), new int[0]).run(TrainingListener.NONE);
        Generator shared = new Generator(model);
        int n = 16;
        String[] expected = new String[n];
        for (int i = 0; i < n; i++) {
            expected[i] = shared.continueText("the", 40, new Decoding.Sample(1.0, 5), new Rng(i));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int seed = i;
                results.add(pool.submit(() -> shared.continueText("the", 40, new Decoding.Sample(1.0, 5), new Rng(seed))));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i], results.get(i).get(), "sample " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resumingAnLstmWithAdamAndDropoutIsBitIdentical(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        ModelConfig mc = new ModelConfig("lstm", java.util.Map.of("forget_bias", 1.0), 12, 2, new rnn.api.cell.Init.Uniform(0.08), 0.3, 0);
        TrainingConfig cfg = TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(3).optSeed(11)
                .optOptimizer("adam").optLearningRate(0.01)
                .optSchedule(new rnn.api.optim.LearningRateSchedule.StepDecay(0.9, 1)).build();
        LanguageModel straight = new LanguageModel(c.vocabulary(), c.tokenizer(), mc, naive(), 2);
        new Trainer(straight, cfg, c.ids(), new int[0]).run(TrainingListener.NONE);

        LanguageModel first = new LanguageModel(c.vocabulary(), c.tokenizer(), mc, naive(), 2);
        Trainer part = new Trainer(first, cfg.withEpochs(2), c.ids(), new int[0]);
        part.run(TrainingListener.NONE);
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, first, cfg, part, java.util.Map.of("source", "test"));
        ModelFile.Loaded loaded = ModelFile.load(file, naive());
        Trainer resumed = new Trainer(loaded.model(), loaded.config(), c.ids(), new int[0]);
        resumed.restore(loaded.progress());
        resumed.run(TrainingListener.NONE);
        for (int i = 0; i < straight.net().parameters().size(); i++) {
            Parameter expected = straight.net().parameters().get(i);
            assertArrayEquals(expected.value(), loaded.model().net().parameters().get(i).value(), expected.name());
        }
    }

    @Test
    void nonFiniteStepsAreSkippedAndCountedThenStopTrainingWithAClearMessage() {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 1);
        // A learning rate of 1e38 takes the weights to the edge of float range: the logits overflow to infinity.
        TrainingConfig cfg = TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(50).optLearningRate(1e38)
                .optMaxBadSteps(3).build();
        Trainer t = new Trainer(model, cfg, c.ids(), new int[0]);
        TrainingException e = assertThrows(TrainingException.class, () -> t.run(TrainingListener.NONE));
        assertTrue(e.getMessage().startsWith("3 non-finite losses or gradients in a row"), e.getMessage());
        assertTrue(e.getMessage().contains("Lower the learning rate (now 1.0E38)"), e.getMessage());

        // With a patient limit the same run goes on: every bad step is skipped and counted, and no
        // update ever writes a non-finite weight.
        LanguageModel patient = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 1);
        Trainer p = new Trainer(patient, cfg.toBuilder().optEpochs(2).optMaxBadSteps(1_000).build(), c.ids(), new int[0]);
        assertTrue(p.run(TrainingListener.NONE));
        int skipped = p.history().stream().mapToInt(EpochStats::skippedSteps).sum();
        assertTrue(skipped > 0, "skipped steps counted: " + p.history());
        for (Parameter param : patient.net().parameters()) {
            for (float w : param.value()) {
                assertTrue(Float.isFinite(w), param.name() + " holds " + w);
            }
        }
    }

    @Test
    void nonFiniteWeightsNeverReplaceAGoodModelFile(@TempDir Path dir) throws Exception {
        Corpus c = corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), naive(), 1);
        TrainingConfig cfg = config(1, Sampling.SEQUENTIAL);
        Trainer t = new Trainer(model, cfg, c.ids(), new int[0]);
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, model, cfg, t, java.util.Map.of("source", "test"));
        byte[] good = Files.readAllBytes(file);
        model.net().parameters().get(0).value()[3] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelFile.save(file, model, cfg, t, java.util.Map.of("source", "test")));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void nonsenseHyperparametersFailBeforeAnyWork() {
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optBatch(0).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optLearningRate(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optClip(-1).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder().optEpochs(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().optOptimizer("rmsprop").optWeightDecay(0.1).build());
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.d2l(0));
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.parseInit("gaussian"));
    }
}
