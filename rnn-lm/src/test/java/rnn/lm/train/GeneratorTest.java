package rnn.lm.train;

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
}
