package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;

import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.Parameter;
import rnn.api.optim.Clipping;

/** Properties of the loss and of gradient clipping that hold for any input. */
public interface LossContract {

    Backend backend(int threads);

    @Test
    default void crossEntropyIsNonNegative() {
        try (Backend b = backend(1)) {
            qt().withExamples(Fixtures.EXAMPLES).forAll(integers().between(1, 40), integers().between(2, 600),
                    longs().all()).checkAssert((rows, cols, seed) -> {
                        Rng rng = new Rng(seed);
                        float[] logits = Fixtures.gaussian(rng, rows * cols, 10);
                        int[] targets = new int[rows];
                        for (int i = 0; i < rows; i++) {
                            targets[i] = rng.nextInt(cols);
                        }
                        double loss = b.softmaxCrossEntropy(rows, cols, logits, 0, targets, 0, 1f, null, 0);
                        assertTrue(loss >= 0, "cross-entropy " + loss + " < 0");
                    });
        }
    }

    @Test
    default void uniformLogitsGivePerplexityEqualToVocabularySize() {
        try (Backend b = backend(1)) {
            for (int v : new int[] {2, 7, 28, 33, 513}) {
                for (float level : new float[] {0f, -3.5f, 12f}) {
                    int rows = 35;
                    float[] logits = new float[rows * v];
                    java.util.Arrays.fill(logits, level);
                    int[] targets = new int[rows];
                    for (int i = 0; i < rows; i++) {
                        targets[i] = i % v;
                    }
                    double mean = b.softmaxCrossEntropy(rows, v, logits, 0, targets, 0, 1f, null, 0) / rows;
                    assertEquals(v, Math.exp(mean), 1e-9 * v, "perplexity of uniform logits over " + v + " classes");
                }
            }
        }
    }

    @Test
    default void clippingNeverRaisesTheNormAndLeavesSmallGradientsAlone() {
        try (Backend b = backend(1)) {
            qt().withExamples(Fixtures.EXAMPLES).forAll(integers().between(1, 5), doubles().between(1e-3, 1e3),
                    longs().all()).checkAssert((count, theta, seed) -> {
                        Rng rng = new Rng(seed);
                        List<Parameter> ps = new java.util.ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            Parameter p = Parameter.zeros("p" + i, 1 + rng.nextInt(600));
                            float[] g = Fixtures.gaussian(rng, p.size(), Math.exp(6 * rng.nextDouble() - 3));
                            System.arraycopy(g, 0, p.grad(), 0, g.length);
                            ps.add(p);
                        }
                        List<float[]> before = ps.stream().map(p -> p.grad().clone()).toList();
                        double norm = new Clipping.GlobalNorm(theta).apply(b, ps);
                        double after = Clipping.globalNorm(b, ps);
                        assertTrue(after <= norm * (1 + 1e-6), "clipping raised the norm " + norm + " to " + after);
                        if (norm <= theta) {
                            for (int i = 0; i < count; i++) {
                                assertArrayEquals(before.get(i), ps.get(i).grad(), "a gradient under θ was changed");
                            }
                        } else {
                            assertEquals(theta, after, 1e-5 * theta, "clipped norm equals θ");
                        }
                    });
        }
    }
}
