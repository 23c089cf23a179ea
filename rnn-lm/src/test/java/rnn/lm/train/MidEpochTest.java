package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;

/**
 * Issue 13: a checkpoint saved between any two updates resumes bit-identically inside the epoch (weights,
 * epoch and step metrics), and validations inside epochs are recorded on the split's fixed prefix.
 */
class MidEpochTest {

    static TrainingConfig config(Sampling sampling) {
        return TrainingConfig.builder().optBatch(3).optSteps(5).optEpochs(2).optSampling(sampling).optSeed(11)
                .optValEverySteps(4).optValMaxTokens(60).build();
    }

    static LanguageModel model(Corpus c) {
        return new LanguageModel(c.vocabulary(), c.tokenizer(), new ModelConfig("lstm", Map.of(), 12, 2,
                ModelConfig.parseInit("normal:0.1"), 0.2, 0), TrainingTest.naive(), 5);
    }

    @ParameterizedTest
    @EnumSource(Sampling.class)
    void aCheckpointSavedInsideAnEpochResumesBitIdentically(Sampling sampling, @TempDir Path dir) throws Exception {
        Corpus c = TrainingTest.corpus();
        Corpus.Split split = c.split(0.2);
        LanguageModel straightModel = model(c);
        Trainer straight = new Trainer(straightModel, config(sampling), split.trainTokens(), split.validationTokens());
        assertTrue(straight.run(TrainingListener.NONE));

        for (int stopAt : new int[] {1, 7, 13}) {
            LanguageModel first = model(c);
            Trainer t = new Trainer(first, config(sampling), split.trainTokens(), split.validationTokens());
            Path file = dir.resolve("at-" + stopAt + ".safetensors");
            List<Integer> seen = new ArrayList<>();
            t.run(new TrainingListener() {
                @Override
                public void onBatch(int epoch, int done, int total, double ppl, double tps) {
                    if (epoch == 2 && done == stopAt) {
                        try {
                            ModelFile.save(file, first, config(sampling), t, Map.of("source", "test"));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        seen.add(done);
                    }
                }
            });
            assertEquals(List.of(stopAt), seen);
            ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
            Trainer.Position at = loaded.progress().position();
            assertNotNull(at, "a checkpoint inside an epoch has a position");
            assertEquals(2, at.epoch());
            assertEquals(stopAt, at.nextBatch());
            assertEquals(sampling.carriesState(), !at.state().isEmpty(), "the carried state is saved when it is carried");

            Trainer resumed = new Trainer(loaded.model(), loaded.config(), split.trainTokens(), split.validationTokens());
            resumed.restore(loaded.progress());
            assertTrue(resumed.run(TrainingListener.NONE));
            for (int i = 0; i < straightModel.net().parameters().size(); i++) {
                assertArrayEquals(straightModel.net().parameters().get(i).value(),
                        loaded.model().net().parameters().get(i).value(), sampling + " stop at " + stopAt);
            }
            assertEquals(perplexities(straight), perplexities(resumed), sampling + " stop at " + stopAt);
            assertEquals(straight.globalStep(), resumed.globalStep());
        }
    }

    @ParameterizedTest
    @EnumSource(Sampling.class)
    void aStopThatKeepsThePartialEpochContinuesBitIdentically(Sampling sampling) {
        Corpus c = TrainingTest.corpus();
        Corpus.Split split = c.split(0.2);
        LanguageModel straightModel = model(c);
        Trainer straight = new Trainer(straightModel, config(sampling), split.trainTokens(), split.validationTokens());
        assertTrue(straight.run(TrainingListener.NONE));

        LanguageModel model = model(c);
        Trainer t = new Trainer(model, config(sampling), split.trainTokens(), split.validationTokens());
        t.keepPartialEpochOnStop(true);
        assertFalse(t.run(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double ppl, double tps) {
                if (epoch == 1 && done == 5) {
                    t.requestStop();
                }
            }
        }));
        assertEquals(5, t.globalStep(), "the updates of the partial epoch are kept");
        assertEquals(5, t.progress().position().nextBatch());
        assertTrue(t.run(TrainingListener.NONE));
        for (int i = 0; i < straightModel.net().parameters().size(); i++) {
            assertArrayEquals(straightModel.net().parameters().get(i).value(), model.net().parameters().get(i).value());
        }
        assertEquals(perplexities(straight), perplexities(t));
    }

    @ParameterizedTest
    @EnumSource(Sampling.class)
    void validationsInsideEpochsAreRecordedOnTheSplitsFixedPrefix(Sampling sampling) {
        Corpus c = TrainingTest.corpus();
        Corpus.Split split = c.split(0.2);
        LanguageModel model = model(c);
        Trainer t = new Trainer(model, config(sampling), split.trainTokens(), split.validationTokens());
        List<StepStats> told = new ArrayList<>();
        t.run(new TrainingListener() {
            @Override
            public void onValidation(StepStats s) {
                told.add(s);
                assertEquals(Perplexity.of(model, split.validationTokens().slice(0, 60), 3, 5), s.valPerplexity(),
                        "the first val_max_tokens of the split, as Perplexity.of measures them");
            }
        });
        assertEquals(told, t.stepHistory());
        assertFalse(told.isEmpty());
        for (StepStats s : told) {
            assertEquals(0, s.step() % 4, "every 4 updates: " + s);
        }
        int perEpoch = (int) (t.globalStep() / 2);
        long expected = java.util.stream.LongStream.rangeClosed(1, t.globalStep())
                .filter(g -> g % 4 == 0 && (g - 1) % perEpoch + 1 < perEpoch).count();
        assertEquals(expected, told.size(), "none at an epoch's last batch, where the epoch's own validation stands");
    }

    @org.junit.jupiter.api.Test
    void nonsenseSizesAreRefusedWithTheirSize() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().optBatch(2_000_000_000).build());
        assertTrue(e.getMessage().contains("70,000,000,000 tokens"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().optValEverySteps(-1).build());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.builder().optValMaxTokens(-1).build());
    }

    private static List<Double> perplexities(Trainer t) {
        List<Double> out = new ArrayList<>();
        t.history().forEach(s -> {
            out.add(s.trainPerplexity());
            out.add(s.valPerplexity());
        });
        t.stepHistory().forEach(s -> {
            out.add((double) s.step());
            out.add(s.trainPerplexity());
            out.add(s.valPerplexity());
        });
        return out;
    }
}
