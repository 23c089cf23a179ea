package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void uniformIsTheVocabularySize() {
        Baselines b = Baselines.measure(new int[] {1, 2, 1}, new int[] {3, 1}, 7);
        assertEquals(7.0, b.uniform());
    }

    @Test
    void smallCaseByHand() {
        // train a b a b (ids 1 2 1 2), V = 3, eval b a.
        Baselines b = Baselines.measure(new int[] {1, 2, 1, 2}, new int[] {2, 1}, 3);
        double pB = 3.0 / 7, pA = 3.0 / 7; // (2+1)/(4+3)
        assertEquals(Math.exp(-(Math.log(pB) + Math.log(pA)) / 2), b.unigram(), 1e-12);
        double pAgivenB = (1 + 1.0) / (1 + 3); // one b->a pair, b precedes once
        assertEquals(Math.exp(-(Math.log(pB) + Math.log(pAgivenB)) / 2), b.bigram(), 1e-12);
    }

    @Test
    void unseenTokensStayFinite() {
        Baselines b = Baselines.measure(new int[] {1, 1, 1}, new int[] {2, 3, 2}, 4);
        assertTrue(Double.isFinite(b.unigram()) && Double.isFinite(b.bigram()));
    }

    @Test
    void deterministicTextHasBigramCloseToOne() {
        int v = 5;
        int[] train = new int[100_000];
        for (int i = 0; i < train.length; i++) {
            train[i] = 1 + i % 4;
        }
        int[] eval = java.util.Arrays.copyOf(train, 10_000);
        Baselines b = Baselines.measure(train, eval, v);
        // P(next | a) = (c + 1) / (c + 5) with c = 25 000: only smoothing keeps it below 1.
        assertEquals(1.0, b.bigram(), 2e-3);
        assertEquals(4.0, b.unigram(), 1e-2);
    }

    /**
     * Above 2048 tokens pair counts go in a map instead of a dense table: both must give the closed
     * form. Train 1 2 3 1 2 (N = 5), evaluate 1 2 4, for V = 2000 (dense) and V = 5000 (sparse), with
     * add-one smoothing worked out by hand:
     * <ul>
     * <li>unigram counts c(1) = 2, c(2) = 2, c(4) = 0, so P(1) = P(2) = 3 / (5 + V), P(4) = 1 / (5 + V);
     * <li>pairs (1, 2) twice, (2, 3) and (3, 1) once; 1 precedes twice, 2 once (the last 2 precedes
     *     nothing), so P(2 | 1) = (2 + 1) / (2 + V), P(4 | 2) = (0 + 1) / (1 + V), and the first token
     *     is scored by the unigram model.
     * </ul>
     * The same again with token 2 renamed 4999, which only the sparse table can hold. Both sides are
     * computed in double from the same few logarithms, so they agree to rounding: 1e-12 relative.
     */
    @Test
    void sparseAndDenseCountsGiveTheClosedForm() {
        for (int v : new int[] {2000, 5000}) {
            double unigram = Math.exp(-(Math.log(3.0 / (5 + v)) + Math.log(3.0 / (5 + v)) + Math.log(1.0 / (5 + v))) / 3);
            double bigram = Math.exp(-(Math.log(3.0 / (5 + v)) + Math.log(3.0 / (2 + v)) + Math.log(1.0 / (1 + v))) / 3);
            Baselines b = Baselines.measure(new int[] {1, 2, 3, 1, 2}, new int[] {1, 2, 4}, v);
            assertEquals(unigram, b.unigram(), 1e-12 * unigram, "unigram, V = " + v);
            assertEquals(bigram, b.bigram(), 1e-12 * bigram, "bigram, V = " + v);
            if (v > 4999) {
                Baselines high = Baselines.measure(new int[] {1, 4999, 3, 1, 4999}, new int[] {1, 4999, 4}, v);
                assertEquals(unigram, high.unigram(), 1e-12 * unigram, "unigram with id 4999, V = " + v);
                assertEquals(bigram, high.bigram(), 1e-12 * bigram, "bigram with id 4999, V = " + v);
            }
        }
    }

    @Test
    void timeMachineNaturalText() {
        Corpus c = Corpus.fromFile(TimeMachineFile.require(), Tokenizer.D2L, 0, false);
        Corpus.Split s = c.split(0.1);
        Baselines b = Baselines.measure(s.train(), s.validation(), c.vocabulary().size());
        assertEquals(28.0, b.uniform());
        // An independent Python computation of these formulas on the same split.
        assertEquals(17.0599, b.unigram(), 1e-3);
        assertEquals(10.0073, b.bigram(), 1e-3);
        assertTrue(b.uniform() > b.unigram() && b.unigram() > b.bigram());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Baselines.measure(new int[] {1}, new int[0], 3));
        assertThrows(IllegalArgumentException.class, () -> Baselines.measure(new int[] {3}, new int[] {1}, 3));
        assertThrows(IllegalArgumentException.class, () -> Baselines.measure(new int[] {1}, new int[] {-1}, 3));
        assertThrows(IllegalArgumentException.class, () -> Baselines.measure(new int[] {0}, new int[] {0}, 0));
    }

    /** The formulas written out over whole arrays, as before the ids were read in chunks. */
    private static double[] reference(int[] train, int[] eval, int v) {
        long[] unigram = new long[v];
        long[] predecessor = new long[v];
        Map<Long, Long> pairs = new HashMap<>();
        for (int i = 0; i < train.length; i++) {
            unigram[train[i]]++;
            if (i + 1 < train.length) {
                predecessor[train[i]]++;
                pairs.merge((long) train[i] * v + train[i + 1], 1L, Long::sum);
            }
        }
        double uni = 0;
        double bi = 0;
        for (int i = 0; i < eval.length; i++) {
            double p = (unigram[eval[i]] + 1.0) / ((double) train.length + v);
            uni -= Math.log(p);
            bi -= i == 0 ? Math.log(p) : Math.log((pairs.getOrDefault((long) eval[i - 1] * v + eval[i], 0L) + 1.0)
                    / (predecessor[eval[i - 1]] + (double) v));
        }
        return new double[] {Math.exp(uni / eval.length), Math.exp(bi / eval.length)};
    }

    @Test
    void compactAndSlicedIdsGiveExactlyTheNumbersOfWholeArrays() {
        qt().withExamples(40).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            int v = 1 + r.nextInt(r.nextBoolean() ? 300 : 3000); // widths 1, 2; dense and sparse pairs
            int n = 2 + r.nextInt(r.nextBoolean() ? 200 : 150_000); // across the 65,536-id chunks
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = r.nextInt(4) == 0 ? r.nextInt(v) : r.nextInt(Math.min(v, 8));
            }
            Corpus.Split split = new Corpus("t", Tokenizer.RAW, Vocabulary.build(java.util.stream.IntStream.range(1,
                    v).map(i -> 0x100 + i).toArray()), TokenIds.compact(ids, v)).split(0.1 + 0.5 * r.nextDouble());
            int[] train = split.train();
            int[] eval = split.validation();
            if (eval.length == 0) {
                return;
            }
            Baselines b = Baselines.measure(split.trainTokens(), split.validationTokens(), v);
            double[] expected = reference(train, eval, v);
            assertEquals(v, b.uniform());
            assertEquals(expected[0], b.unigram(), 0.0, "seed " + seed);
            assertEquals(expected[1], b.bigram(), 0.0, "seed " + seed);
            assertEquals(b, Baselines.measure(train, eval, v));
        });
    }
}
