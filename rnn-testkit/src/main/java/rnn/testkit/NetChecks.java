package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import java.util.Map;

import org.quicktheories.core.Gen;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;

/**
 * The checks on whole networks that both views of the contract run: a backend's ({@link GradientContract},
 * over the built-in cells) and a cell's ({@link CellContract}, over every backend).
 *
 * <p><b>Finite differences in float32.</b> The check is directional: for each tensor θ and a unit
 * direction v (a random one, and the gradient itself), the central difference
 * {@code D(ε) = (L(θ+εv) - L(θ-εv)) / 2ε} is extrapolated as {@code (4·D(ε/2) - D(ε)) / 3}
 * (Richardson) and compared with {@code ∇L·v}. The extrapolation cancels the O(ε²) truncation term,
 * which alone was seen to reach 8 % where tanh curves sharply (hidden = 1, 36 inputs); what remains is
 * O(ε⁴) plus the float32 rounding of the forward pass (loss ≈ log V ≤ 3.4, relative noise ≈ 1e-6)
 * divided by ε: ≈ 5e-4 with ε = 1e-2. Hence the tolerance: an absolute 1e-3 plus a relative 2e-2.
 * A wrong gradient (a missing term, a transposed matrix, an off-by-one step) is off by far more,
 * typically by 30 % or more.
 */
final class NetChecks {

    static final double EPSILON = 1e-2;
    static final double ABS_TOLERANCE = 1e-3;
    static final double REL_TOLERANCE = 2e-2;

    /**
     * Agreement between two computations of the same function (backends, thread counts, or a fused
     * and a derived backward), relative to the loss and to each gradient tensor's largest element. They
     * sum in other orders, may add the bias before or after the recurrent product, and may approximate
     * tanh to 2e-6: each GEMM differs by about k·u ≈ 40·6e-8 = 2.4e-6 relative, compounded over at most
     * 12 steps and 2 layers of backward recursion; 1e-4 leaves a margin of several times that, and a
     * real bug is off by orders more.
     */
    static final double LOSS_TOLERANCE = 1e-5;
    static final double GRADIENT_TOLERANCE = 1e-4;

    private NetChecks() {
    }

    /** Sizes around common vector lengths get extra weight. */
    private static Gen<Integer> size(int max) {
        return integers().between(1, max).mix(arbitrary().pick(1, 7, 15, 16, 17, 31, 33)
                .map(s -> Math.min(s, max)), 40);
    }

    /**
     * Generated problems of one cell: batch 1-8, input 1-40, hidden 1-40, steps 1-12, vocabulary 2-30,
     * 1 to {@code layersMax} layers; a third of them with inter-layer dropout 0.2 or 0.5 (under a fixed
     * mask, see {@link NetCase}), a quarter with an embedding of width 1-16.
     */
    static Gen<NetCase> cases(CellProvider cell, Map<String, ?> options, int layersMax) {
        Gen<Integer> batch = integers().between(1, 8);
        Gen<Integer> input = size(40);
        Gen<Integer> hidden = size(40);
        Gen<Integer> steps = integers().between(1, 12);
        Gen<Integer> vocab = integers().between(2, 30);
        Gen<Integer> layers = integers().between(1, layersMax);
        Gen<Double> dropout = arbitrary().pick(0.0, 0.0, 0.0, 0.0, 0.2, 0.5);
        Gen<Integer> embedding = integers().between(1, 16).mix(arbitrary().constant(0), 75);
        Gen<Long> seed = longs().all();
        return in -> new NetCase(cell, options, layers.generate(in), batch.generate(in), input.generate(in),
                hidden.generate(in), steps.generate(in), vocab.generate(in), dropout.generate(in),
                embedding.generate(in), seed.generate(in));
    }

    /** Analytic gradients of every parameter, the input and each initial state against finite differences. */
    static void gradients(Backend backend, NetCase c) {
        NetCase.Instance net = c.new Instance(backend);
        NetCase.Gradients g = net.gradients();
        List<float[]> analytic = g.all();
        List<NetCase.Target> targets = net.targetsToPerturb();
        Rng rng = new Rng(c.seed() ^ 0x5DEECE66DL);
        for (int t = 0; t < targets.size(); t++) {
            float[] values = targets.get(t).values();
            float[] grad = analytic.get(t);
            // Two directions: a random one, and the gradient itself (largest signal, checks the scale).
            for (int d = 0; d < 2; d++) {
                double[] v = new double[values.length];
                double norm = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = d == 0 ? rng.nextGaussian() : grad[i];
                    norm += v[i] * v[i];
                }
                norm = Math.sqrt(norm);
                if (norm == 0) {
                    continue;
                }
                double predicted = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] /= norm;
                    predicted += grad[i] * v[i];
                }
                float[] saved = values.clone();
                // Richardson extrapolation of two central differences cancels the eps^2 term.
                double numeric = (4 * centralDifference(net, values, saved, v, EPSILON / 2)
                        - centralDifference(net, values, saved, v, EPSILON)) / 3;
                double err = Math.abs(numeric - predicted);
                double scale = Math.max(Math.abs(numeric), Math.abs(predicted));
                double rel = err / Math.max(scale, ABS_TOLERANCE / REL_TOLERANCE);
                Report.gradientCheck(backend.name() + " " + c.cell().name(), rel);
                if (err > ABS_TOLERANCE + REL_TOLERANCE * scale) {
                    throw new AssertionError("gradient of " + targets.get(t).name() + " along "
                            + (d == 0 ? "a random direction" : "itself") + ": analytic " + predicted
                            + ", finite difference " + numeric + " for " + c);
                }
            }
        }
    }

    private static double centralDifference(NetCase.Instance net, float[] values, float[] saved, double[] v, double eps) {
        for (int i = 0; i < v.length; i++) {
            values[i] = (float) (saved[i] + eps * v[i]);
        }
        double plus = net.loss();
        for (int i = 0; i < v.length; i++) {
            values[i] = (float) (saved[i] - eps * v[i]);
        }
        double minus = net.loss();
        System.arraycopy(saved, 0, values, 0, saved.length);
        return (plus - minus) / (2 * eps);
    }

    /** {@code actual} agrees with {@code expected} within {@link #LOSS_TOLERANCE} and {@link #GRADIENT_TOLERANCE}. */
    static void agree(String what, NetCase c, NetCase.Gradients expected, NetCase.Gradients actual) {
        Report.crossBackend(what, expected, actual);
        assertEquals(expected.loss(), actual.loss(), LOSS_TOLERANCE * expected.loss(),
                () -> what + ": loss differs for " + c);
        List<float[]> e = expected.all(), a = actual.all();
        assertEquals(e.size(), a.size(), () -> what + ": number of gradient tensors for " + c);
        for (int i = 0; i < e.size(); i++) {
            float[] ei = e.get(i);
            float[] ai = a.get(i);
            assertEquals(ei.length, ai.length, what + ": size of gradient tensor " + i);
            double scale = 0;
            for (float x : ei) {
                scale = Math.max(scale, Math.abs(x));
            }
            double tol = GRADIENT_TOLERANCE * Math.max(scale, 1e-3);
            int idx = i;
            for (int j = 0; j < ei.length; j++) {
                double diff = Math.abs(ei[j] - ai[j]);
                int jj = j;
                assertTrue(diff <= tol, () -> what + ": gradient tensor " + idx + " element " + jj + " differs by "
                        + diff + " (> " + tol + ") for " + c);
            }
        }
    }

    static void assertExactlyEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) { // == rather than bits: +0 and -0 are the same number
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", not " + expected[i]);
            }
        }
    }

    static void assertIdentical(NetCase c, NetCase.Gradients first, NetCase.Gradients second) {
        assertEquals(first.loss(), second.loss(), () -> "loss of " + c);
        for (int i = 0; i < first.all().size(); i++) {
            assertExactlyEqual(first.all().get(i), second.all().get(i), "tensor " + i + " of " + c);
        }
    }
}
