package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.lm.text.Corpus;
import rnn.lm.text.Tokenizer;

/** Decoding against misuse: top-k under ties, and logits that are not numbers. */
class GeneratorTest {

    /** How often each id is drawn in {@code n} samples. */
    private static int[] histogram(float[] logits, Decoding.Sample s, int n) {
        int v = logits.length;
        int[] counts = new int[v];
        Rng rng = new Rng(5);
        float[] probs = new float[v];
        for (int i = 0; i < n; i++) {
            counts[Generator.sample(logits, v, s, rng, probs)]++;
        }
        return counts;
    }

    @Test
    void topKKeepsExactlyKCandidatesAndTiesGoToTheLowerId() {
        // Three ids tie for the largest logit: top-2 keeps ids 1 and 2, never 3.
        float[] logits = {1f, 2f, 2f, 2f, 0f};
        int[] counts = histogram(logits, new Decoding.Sample(1.0, 2), 20_000);
        assertEquals(0, counts[3], "id 3 ties with 1 and 2 but top-2 keeps only two: " + Arrays.toString(counts));
        assertEquals(0, counts[0] + counts[4], Arrays.toString(counts));
        // The two kept candidates are equally likely: 10 000 each, σ ≈ 71.
        assertEquals(10_000, counts[1], 400, Arrays.toString(counts));
        assertEquals(20_000, counts[1] + counts[2]);

        // A tie at the k-th place: top-2 of {3, 1, 1, 1} keeps 0 and the lowest tied id, 1.
        int[] atBoundary = histogram(new float[] {3f, 1f, 1f, 1f}, new Decoding.Sample(1.0, 2), 20_000);
        assertEquals(0, atBoundary[2] + atBoundary[3], Arrays.toString(atBoundary));
        assertTrue(atBoundary[1] > 0, Arrays.toString(atBoundary));
    }

    @Test
    void topOneIsGreedyEvenWhenTheBestLogitsTie() {
        float[] logits = {0f, 4f, 4f, 4f};
        assertEquals(1, Generator.argmax(logits, logits.length));
        int[] counts = histogram(logits, new Decoding.Sample(1.0, 1), 1_000);
        assertEquals(1_000, counts[1], Arrays.toString(counts));
    }

    @Test
    void topKNotBelowTheVocabularyKeepsEveryToken() {
        float[] logits = {0f, 0f, 0f};
        for (int k : new int[] {3, 4, Integer.MAX_VALUE}) {
            int[] counts = histogram(logits, new Decoding.Sample(1.0, k), 3_000);
            assertTrue(Arrays.stream(counts).allMatch(c -> c > 800), k + ": " + Arrays.toString(counts));
        }
    }

    private static LanguageModel smallModel() {
        Corpus c = Corpus.fromText("test", TrainingTest.TEXT, Tokenizer.D2L, 0);
        return new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(8), TrainingTest.naive(), 1);
    }

    private static Parameter parameter(LanguageModel model, String name) {
        return model.net().parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static Parameter bias(LanguageModel model) {
        return parameter(model, "b_q");
    }

    private static void assertBroken(LanguageModel model, String what) {
        Generator g = new Generator(model);
        for (Decoding d : new Decoding[] {new Decoding.Greedy(), new Decoding.Sample(1.0, Integer.MAX_VALUE),
                new Decoding.Sample(0.7, 3)}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> g.continueText("the time", 10, d, new Rng(1)), d + " on " + what);
            assertTrue(e.getMessage().contains("the model's logits at step 1 are not finite (" + what),
                    e.getMessage());
            assertTrue(e.getMessage().contains("retrain or load another model"), e.getMessage());
        }
    }

    @Test
    void aNaNWeightFailsGenerationInsteadOfWritingUnk() {
        LanguageModel model = smallModel();
        parameter(model, "b_h").value()[0] = Float.NaN; // one hidden unit is NaN, and through W_hq every logit
        assertBroken(model, "NaN");
    }

    @Test
    void infiniteLogitsFailGeneration() {
        LanguageModel model = smallModel();
        Arrays.fill(bias(model).value(), Float.NEGATIVE_INFINITY);
        assertBroken(model, "every logit is -Infinity");
        LanguageModel positive = smallModel();
        bias(positive).value()[3] = Float.POSITIVE_INFINITY;
        assertBroken(positive, "Infinity");
    }

    @Test
    void someNegativeInfiniteLogitsAreZeroProbabilities() {
        LanguageModel model = smallModel();
        float[] b = bias(model).value();
        Arrays.fill(b, Float.NEGATIVE_INFINITY);
        b[5] = 0f;
        b[7] = 0f;
        Generator g = new Generator(model);
        int[] ids = g.continueIds(new int[] {1}, 50, new Decoding.Sample(1.0, 4), new Rng(2));
        for (int i = 1; i < ids.length; i++) {
            assertTrue(ids[i] == 5 || ids[i] == 7, Arrays.toString(ids));
        }
        int greedy = g.continueIds(new int[] {1}, 1, new Decoding.Greedy(), new Rng(2))[1];
        assertTrue(greedy == 5 || greedy == 7, "greedy picked " + greedy);
    }

    /** The loop as it was before streaming, kept verbatim as the reference the streaming loop must match. */
    private static int[] referenceIds(LanguageModel model, int[] prefix, int length, Decoding decoding, Rng rng) {
        int v = model.vocabulary().size();
        int[] out = new int[prefix.length + length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        model.net().setTraining(false);
        java.util.List<rnn.api.cell.State> states = model.newStates(1);
        int[] token = new int[1];
        float[] probs = new float[v];
        for (int i = 1; i < out.length; i++) {
            token[0] = out[i - 1];
            model.net().forward(token, null, 1, states);
            if (i < prefix.length) {
                continue;
            }
            float[] logits = model.net().logits();
            Generator.requireFinite(logits, v, i - prefix.length + 1);
            out[i] = switch (decoding) {
                case Decoding.Greedy g -> Generator.argmax(logits, v);
                case Decoding.Sample s -> Generator.sample(logits, v, s, rng, probs);
            };
        }
        return out;
    }

    private static final Decoding[] DECODINGS = {new Decoding.Greedy(), new Decoding.Sample(1.0, Integer.MAX_VALUE),
        new Decoding.Sample(2.5, Integer.MAX_VALUE), new Decoding.Sample(0.8, 3)};

    /** Characters (one outside the BMP, two chars each in Java) and words, every decoding, several seeds. */
    private static java.util.List<LanguageModel> models() {
        String text = TrainingTest.TEXT + " \uD83D\uDE00 café \uD83D\uDE00 ";
        java.util.List<LanguageModel> models = new java.util.ArrayList<>();
        for (Tokenizer t : new Tokenizer[] {Tokenizer.D2L, Tokenizer.RAW, Tokenizer.WORD}) {
            Corpus c = Corpus.fromText("test", text, t, 0);
            // A large init spreads the logits, so that samples differ from greedy and between seeds.
            models.add(new LanguageModel(c.vocabulary(), c.tokenizer(), new ModelConfig("gru", java.util.Map.of(), 16, 2,
                    new rnn.api.cell.Init.Normal(1.0), 0, 0), TrainingTest.naive(), 3));
        }
        return models;
    }

    @Test
    void continueIdsGivesTheIdsOfTheLoopBeforeStreaming() {
        for (LanguageModel model : models()) {
            Generator g = new Generator(model);
            for (Decoding d : DECODINGS) {
                for (int[] prefix : new int[][] {{1}, {2, 3, 4, 5}}) {
                    for (int length : new int[] {0, 1, 300}) {
                        assertArrayEquals(referenceIds(model, prefix, length, d, new Rng(9)),
                                g.continueIds(prefix, length, d, new Rng(9)), model.tokenizer() + " " + d + " " + length);
                    }
                }
            }
        }
    }

    @Test
    void theStreamingFormWritesTheTextOfTheStringForm() throws Exception {
        for (LanguageModel model : models()) {
            Generator g = new Generator(model);
            String prefix = model.tokenizer() == Tokenizer.WORD ? "the time traveller" : "the \uD83D\uDE00 time";
            for (Decoding d : DECODINGS) {
                for (long seed : new long[] {1, 2, 77}) {
                    for (int length : new int[] {0, 1, 500}) {
                        StringBuilder streamed = new StringBuilder();
                        g.continueText(prefix, length, d, new Rng(seed), streamed);
                        String whole = g.continueText(prefix, length, d, new Rng(seed));
                        assertEquals(whole, streamed.toString(), model.tokenizer() + " " + d + " seed " + seed);
                    }
                }
            }
            String greedy = g.continueText(prefix, 200, new Decoding.Greedy(), new Rng(1));
            String sampled = g.continueText(prefix, 200, new Decoding.Sample(2.5, Integer.MAX_VALUE), new Rng(1));
            assertTrue(!greedy.equals(sampled), "the cases differ: " + greedy + " / " + sampled);
            if (model.tokenizer() == Tokenizer.RAW) {
                // Generated, not only in the prefix: the two-char path of a code point outside the BMP ran.
                assertTrue(sampled.substring(prefix.length()).contains("\uD83D\uDE00"), sampled);
            }
        }
    }

    /** A writer that fails ends generation there: no token is computed for nobody. */
    @Test
    void aFailingWriterStopsGeneration() {
        LanguageModel model = smallModel();
        Generator g = new Generator(model);
        int[] appended = {0};
        Appendable failsAfter100 = new Appendable() {
            @Override
            public Appendable append(CharSequence s) throws java.io.IOException {
                return append(s, 0, s.length());
            }

            @Override
            public Appendable append(CharSequence s, int start, int end) throws java.io.IOException {
                for (int i = start; i < end; i++) {
                    append(s.charAt(i));
                }
                return this;
            }

            @Override
            public Appendable append(char c) throws java.io.IOException {
                if (++appended[0] > 100) {
                    throw new java.io.IOException("closed");
                }
                return this;
            }
        };
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> g.continueText("the", Integer.MAX_VALUE, new Decoding.Greedy(), new Rng(1), failsAfter100));
        assertEquals("closed", e.getMessage());
        assertEquals(101, appended[0]);
        // An int array cannot hold what the stream can.
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> g.continueIds(new int[] {1, 2}, Integer.MAX_VALUE, new Decoding.Greedy(), new Rng(1)));
        assertTrue(tooLong.getMessage().contains("stream them with continueText"), tooLong.getMessage());
    }
}
