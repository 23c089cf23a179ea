package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void sparseCountsAgreeWithDense() {
        // A vocabulary above 2048 uses a map for pair counts.
        Baselines small = Baselines.measure(new int[] {1, 2, 3, 1, 2}, new int[] {1, 2, 4}, 5);
        Baselines large = Baselines.measure(new int[] {1, 2, 3, 1, 2}, new int[] {1, 2, 4}, 5000);
        Baselines denseLarge = Baselines.measure(new int[] {1, 2, 3, 1, 2}, new int[] {1, 2, 4}, 2000);
        assertTrue(small.bigram() < large.bigram());
        assertTrue(denseLarge.bigram() < large.bigram());
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
}
