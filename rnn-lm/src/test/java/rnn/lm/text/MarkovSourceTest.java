package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MarkovSourceTest {

    @Test
    void parsesSpecsWithDefaults() {
        assertEquals(new MarkovSource(3, 5, 42), MarkovSource.parse("markov:order=3,vocab=5,seed=42"));
        assertEquals(new MarkovSource(2, 8, 1), MarkovSource.parse("markov"));
        assertEquals(new MarkovSource(2, 12, 1), MarkovSource.parse("markov:vocab=12"));
        assertEquals(new MarkovSource(1, 8, -7), MarkovSource.parse("markov: seed = -7 , order=1"));
        MarkovSource m = new MarkovSource(4, 6, 9);
        assertEquals(m, MarkovSource.parse(m.spec()));
        assertTrue(MarkovSource.isSpec("markov:order=1"));
        assertTrue(!MarkovSource.isSpec("markovian.txt"));
    }

    @Test
    void rejectsBadSpecs() {
        for (String bad : new String[] {"markov:order=0", "markov:order=7", "markov:vocab=1", "markov:vocab=65",
                "markov:order=4,vocab=32", "markov:order=x", "markov:depth=2", "markov:order", "markov:order=2,order=3",
                "markov:,", "text.txt"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MarkovSource.parse(bad), bad);
            assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), e.getMessage());
        }
        // 10^6 contexts is the limit, allowed.
        assertEquals(6, MarkovSource.parse("markov:order=6,vocab=10").order());
    }

    @Test
    void entropyRateOfATwoStateChainByHand() {
        // P = [[0.9, 0.1], [0.3, 0.7]]: stationary (0.75, 0.25).
        MarkovChain chain = MarkovChain.explicit(1, 2, new double[] {0.9, 0.1, 0.3, 0.7});
        assertArrayEquals(new double[] {0.75, 0.25}, chain.stationary(), 1e-7);
        double h0 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1));
        double h1 = -(0.3 * Math.log(0.3) + 0.7 * Math.log(0.7));
        assertEquals(0.75 * h0 + 0.25 * h1, chain.entropyRate(), 1e-7);
    }

    @Test
    void entropyRateOfASecondOrderChainByHand() {
        // Order 2 over {a, b}: the next symbol repeats the older of the two with probability 0.8.
        // Each context's row has entropy H(0.8), so the rate is H(0.8) whatever pi is.
        double[] p = new double[8];
        for (int c = 0; c < 4; c++) {
            int older = c / 2;
            p[c * 2 + older] = 0.8;
            p[c * 2 + 1 - older] = 0.2;
        }
        MarkovChain chain = MarkovChain.explicit(2, 2, p);
        assertEquals(-(0.8 * Math.log(0.8) + 0.2 * Math.log(0.2)), chain.entropyRate(), 1e-7);
        double sum = 0;
        for (double x : chain.stationary()) {
            sum += x;
        }
        assertEquals(1, sum, 1e-12);
    }

    @Test
    void generatesDeterministicTextOverItsAlphabet() {
        MarkovSource m = MarkovSource.parse("markov:order=2,vocab=5,seed=3");
        String a = m.generate(2000);
        assertEquals(a, m.generate(2000));
        assertEquals(2000, a.length());
        assertTrue(a.chars().allMatch(c -> c >= 'a' && c <= 'e'), a);
        assertNotEquals(a, new MarkovSource(2, 5, 4).generate(2000));
        assertEquals("", m.generate(0));
        Corpus c = m.corpus(500);
        assertEquals(500, c.length());
        assertEquals(m.spec(), c.source());
        assertTrue(c.vocabulary().size() <= 6);
    }

    @Test
    void optimumIsWellBelowTheVocabularySize() {
        MarkovSource m = new MarkovSource(2, 8, 1);
        assertTrue(m.optimumPerplexity() < 8 * 0.75, "optimum " + m.optimumPerplexity());
        assertTrue(m.optimumPerplexity() > 1.5, "optimum " + m.optimumPerplexity());
        assertEquals(Math.exp(m.entropyRate()), m.optimumPerplexity(), 1e-12);
    }

    @Test
    void empiricalLogLossOfTheTrueModelMatchesTheEntropyRate() {
        MarkovSource m = new MarkovSource(2, 8, 11);
        MarkovChain chain = MarkovChain.of(m);
        String text = m.generate(200_000);
        int k = m.order();
        int context = 0;
        for (int i = 0; i < k; i++) {
            context = chain.next(context, MarkovChain.symbolIndex(text.charAt(i)));
        }
        double nll = 0;
        for (int i = k; i < text.length(); i++) {
            int s = MarkovChain.symbolIndex(text.charAt(i));
            nll -= Math.log(chain.probability(context, s));
            context = chain.next(context, s);
        }
        double empirical = nll / (text.length() - k);
        assertEquals(m.entropyRate(), empirical, 0.01 * m.entropyRate());
    }

    @Test
    void largeChainsStayTractable() {
        // 40^3 = 64 000 contexts of 40 symbols: 2.56 million transitions.
        MarkovSource m = MarkovSource.parse("markov:order=3,vocab=40,seed=5");
        double h = m.entropyRate();
        assertTrue(h > 0 && h < Math.log(40), "entropy rate " + h);
    }
}
