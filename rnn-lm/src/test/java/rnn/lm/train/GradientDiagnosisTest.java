package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;
import rnn.api.cell.Init;
import rnn.api.nn.RecurrentNet;
import rnn.api.cell.State;
import rnn.lm.text.Corpus;
import rnn.lm.text.Tokenizer;

/**
 * The diagnosis against finite differences on tiny models, against the linear-combination identities
 * that isolate the last step's loss with the public API, and the d2l story: a tanh RNN's gradient
 * vanishes faster than an LSTM's.
 */
class GradientDiagnosisTest {

    static final Backend NAIVE = Backends.create("naive", new BackendOptions(1));
    static final int V = 6, H = 5, B = 2, T = 6;
    static final String TEXT = "the time traveller for so it will be convenient to speak of him was expounding "
            + "a recondite matter to us his grey eyes shone and twinkled and his usually pale face was flushed "
            + "and animated the fire burned brightly and the soft radiance of the incandescent lights ";

    static RecurrentNet tiny(String cell, int layers) {
        return RecurrentNet.builder().setBackend(NAIVE).setInputSize(V).setHiddenSize(H).setOutputSize(V)
                .optCell(cell).optLayers(layers).optInit(new Init.Normal(0.6)).optSeed(11).build();
    }

    static int[][] tinyWindows() {
        Rng rng = new Rng(5);
        int[][] w = new int[B][T + 1];
        for (int[] row : w) {
            for (int i = 0; i < row.length; i++) {
                row[i] = rng.nextInt(V);
            }
        }
        return w;
    }

    static float[] unitProbes(int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] p = new float[rows * H];
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int i = 0; i < H; i++) {
                p[r * H + i] = (float) rng.nextGaussian();
                sq += p[r * H + i] * p[r * H + i];
            }
            for (int i = 0; i < H; i++) {
                p[r * H + i] /= (float) Math.sqrt(sq);
            }
        }
        return p;
    }

    static float[] oneHot(int[] w, int t) {
        float[] x = new float[V];
        x[w[t]] = 1f;
        return x;
    }

    /** The states of one sequence (batch 1) after its first t steps. */
    static List<State> statesAt(RecurrentNet net, int[] w, int t) {
        List<State> s = net.newStates(1);
        for (int j = 0; j < t; j++) {
            net.forward(oneHot(w, j), null, 1, s);
        }
        return s;
    }

    /** Runs steps t … T−1 of one sequence from {@code start}; returns ℓ_T, or u·h_T if u is given. */
    static double tail(RecurrentNet net, int[] w, int t, List<State> start, float[] u) {
        List<State> s = start.stream().map(State::copy).toList();
        double loss = 0;
        for (int j = t; j < T; j++) {
            loss = net.forward(oneHot(w, j), j == T - 1 ? new int[] {w[j + 1]} : null, 1, s);
        }
        if (u == null) {
            return loss;
        }
        float[] hT = s.get(s.size() - 1).part(0);
        double dot = 0;
        for (int i = 0; i < H; i++) {
            dot += u[i] * hT[i];
        }
        return dot;
    }

    /** Central difference along e on the top layer's H at step t, Richardson-extrapolated. */
    static double directional(RecurrentNet net, int[] w, int t, float[] e, float[] u) {
        List<State> base = statesAt(net, w, t);
        double[] d = new double[2];
        double[] eps = {1e-2, 5e-3};
        for (int k = 0; k < 2; k++) {
            double[] f = new double[2];
            for (int sign = 0; sign < 2; sign++) {
                List<State> s = base.stream().map(State::copy).toList();
                float[] hTop = s.get(s.size() - 1).part(0);
                for (int i = 0; i < H; i++) {
                    hTop[i] += (float) ((sign == 0 ? 1 : -1) * eps[k] * e[i]);
                }
                f[sign] = tail(net, w, t, s, u);
            }
            d[k] = (f[0] - f[1]) / (2 * eps[k]);
        }
        return (4 * d[1] - d[0]) / 3;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, toFloat(a)));
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void lastStepGradientAndJacobianProbesMatchFiniteDifferences() {
        int[][] w = tinyWindows();
        for (String cell : java.util.List.of("rnn", "gru", "lstm")) {
            for (int layers = 1; layers <= 2; layers++) {
                RecurrentNet net = tiny(cell, layers);
                float[] probe = unitProbes(B, 3);
                GradientDiagnosis.Trace trace = GradientDiagnosis.trace(net, w, new float[][] {probe}, true);
                for (int s = 0; s < B; s++) {
                    for (int t = 0; t < T; t++) {
                        int d = T - t;
                        float[] e = unitProbes(1, 100 + 7L * t + s);
                        double[] g = trace.vectors()[d - 1][s];
                        double[] jtu = trace.vectors()[d - 1][B + s];
                        double fdG = directional(net, w[s], t, e, null);
                        double fdJ = directional(net, w[s], t, e, Arrays.copyOfRange(probe, s * H, (s + 1) * H));
                        String where = cell + " × " + layers + ", sequence " + s + ", d = " + d;
                        assertEquals(fdG, dot(g, e), 1e-4 + 2e-2 * Math.abs(fdG), "∂ℓ_T/∂h_t·e, " + where);
                        assertEquals(fdJ, dot(jtu, e), 1e-4 + 2e-2 * Math.abs(fdJ), "Jᵀu·e, " + where);
                        assertEquals(Math.log(norm(g)), trace.logNorms()[d - 1][s], 1e-6, where);
                    }
                }
            }
        }
    }

    /**
     * The public API's mean loss over all steps isolates the last step by linearity:
     * {@code ∂ℓ_T/∂h_t = d·∂(mean over d steps)/∂h_t − (d−1)·∂(mean over d−1 steps)/∂h_t}, and
     * {@code Jᵀu = backward(dState = u) − backward(dState = 0)}. Both agree with the trace (which needs
     * no subtraction, so it keeps its precision where the gradient is tiny).
     */
    @Test
    void linearCombinationIdentitiesAgreeWithTheTrace() {
        int[][] w = tinyWindows();
        for (String cell : java.util.List.of("rnn", "gru", "lstm")) {
            RecurrentNet net = tiny(cell, 1);
            float[] probe = unitProbes(B, 4);
            GradientDiagnosis.Trace trace = GradientDiagnosis.trace(net, w, new float[][] {probe}, true);
            for (int s = 0; s < B; s++) {
                for (int t = 0; t < T; t++) {
                    int d = T - t;
                    List<State> start = statesAt(net, w[s], t);
                    float[] meanD = meanLossGradient(net, w[s], t, d, start, null);
                    float[] meanD1 = d > 1 ? meanLossGradient(net, w[s], t, d - 1, start, null) : new float[H];
                    float[] u = Arrays.copyOfRange(probe, s * H, (s + 1) * H);
                    float[] withProbe = meanLossGradient(net, w[s], t, d, start, u);
                    double[] g = trace.vectors()[d - 1][s];
                    double[] jtu = trace.vectors()[d - 1][B + s];
                    double scale = 1e-5 * (1 + norm(g));
                    for (int i = 0; i < H; i++) {
                        assertEquals(g[i], d * meanD[i] - (d - 1) * meanD1[i], scale, cell + " g, d = " + d);
                        assertEquals(jtu[i], withProbe[i] - meanD[i], 1e-5 * (1 + norm(jtu)), cell + " Jᵀu, d = " + d);
                    }
                }
            }
        }
    }

    /** ∂(mean loss over the n steps from t)/∂h_t, plus Jᵀu if a probe u on the state after them is given. */
    static float[] meanLossGradient(RecurrentNet net, int[] w, int t, int n, List<State> start, float[] u) {
        List<State> s = start.stream().map(State::copy).toList();
        float[] xs = new float[n * V];
        int[] ys = new int[n];
        for (int j = 0; j < n; j++) {
            xs[j * V + w[t + j]] = 1f;
            ys[j] = w[t + j + 1];
        }
        net.forward(xs, ys, n, s);
        List<State> d = net.newStates(1);
        if (u != null) {
            System.arraycopy(u, 0, d.get(0).part(0), 0, H);
        }
        net.zeroGrad();
        net.backward(d);
        return d.get(0).part(0).clone();
    }

    @Test
    void probeEstimateOfTheFrobeniusNormIsUnbiased() {
        int[][] w = tinyWindows();
        RecurrentNet net = tiny("gru", 1);
        // Exact: ‖J‖_F² = Σ_i ‖Jᵀe_i‖² over the basis vectors e_i.
        float[][] basis = new float[H][B * H];
        for (int i = 0; i < H; i++) {
            for (int s = 0; s < B; s++) {
                basis[i][s * H + i] = 1f;
            }
        }
        GradientDiagnosis.Trace exact = GradientDiagnosis.trace(net, w, basis, false);
        GradientDiagnosis.Curve estimate = GradientDiagnosis.measure(net, w, 400, 9);
        for (int d = 1; d <= T; d++) {
            double mean = 0;
            for (int s = 0; s < B; s++) {
                double sq = 0;
                for (int i = 0; i < H; i++) {
                    sq += Math.exp(2 * exact.logNorms()[d - 1][(i + 1) * B + s]);
                }
                mean += Math.sqrt(sq) / B;
            }
            assertEquals(mean, estimate.jacobian(d), 0.1 * mean, "d = " + d);
            double g = 0;
            for (int s = 0; s < B; s++) {
                g += Math.exp(exact.logNorms()[d - 1][s]) / B;
            }
            assertEquals(g, estimate.gradient(d), 1e-9 * g);
        }
    }

    @Test
    void tanhRnnGradientVanishesFasterThanLstmWithForgetBiasOne() {
        Corpus c = Corpus.fromText("test", TEXT.repeat(4), Tokenizer.D2L, 0);
        int v = c.vocabulary().size();
        int[][] w = GradientDiagnosis.windows(c.ids(), 4, 30, new Rng(1));
        RecurrentNet rnn = RecurrentNet.builder().setBackend(NAIVE).setInputSize(v).setHiddenSize(32).setOutputSize(v)
                .optInit(Init.d2l()).optSeed(1).build();
        RecurrentNet lstm = RecurrentNet.builder().setBackend(NAIVE).setInputSize(v).setHiddenSize(32).setOutputSize(v)
                .optCell("lstm").optCellOptions(java.util.Map.of("forget_bias", 1)).optInit(Init.d2l()).optSeed(1).build();
        GradientDiagnosis.Curve r = GradientDiagnosis.measure(rnn, w, 8, 1);
        GradientDiagnosis.Curve l = GradientDiagnosis.measure(lstm, w, 8, 1);
        double rg = r.gradientRate().factor(), lg = l.gradientRate().factor();
        assertTrue(rg < 1, "rnn gradient factor " + rg);
        assertTrue(r.jacobianRate().factor() < 1, "rnn jacobian factor " + r.jacobianRate().factor());
        assertTrue(lg < 1, "lstm gradient factor " + lg);
        assertTrue(lg > rg, "lstm ×" + lg + " per step should decay more slowly than rnn ×" + rg);
        assertTrue(l.jacobianRate().factor() > r.jacobianRate().factor());
        // d2l's estimate for W_hh ~ N(0, 0.01²): ‖W_hhᵀu‖ ≈ 0.01·√H per step, shrunk further by tanh'.
        assertTrue(rg < 0.01 * Math.sqrt(32) * 1.5, "rnn factor " + rg);
        // The LSTM's C carries the gradient at about sigmoid(1) ≈ 0.73 per step.
        assertEquals(1 / (1 + Math.exp(-1)), lg, 0.1);
        // Tracked in log space: far below what float32 (or even a double) could hold.
        assertTrue(Double.isFinite(r.logGradient()[29]) && r.logGradient()[29] < Math.log(1e-30), "" + r.logGradient()[29]);
        // The weights are intact: a second measurement is identical.
        assertEquals(r.logGradient()[29], GradientDiagnosis.measure(rnn, w, 8, 1).logGradient()[29], 0);
    }

    @Test
    void rateFitRecoversAnExponential() {
        double[] logs = new double[50];
        for (int d = 1; d <= 50; d++) {
            logs[d - 1] = 3 + d * Math.log(0.8);
        }
        logs[10] = Double.NEGATIVE_INFINITY; // skipped
        GradientDiagnosis.Rate rate = GradientDiagnosis.Rate.fit(logs);
        assertEquals(0.8, rate.factor(), 1e-12);
        assertEquals(Math.log(2) / -Math.log(0.8), rate.halfLife(), 1e-9);
        assertTrue(Double.isNaN(GradientDiagnosis.Rate.fit(new double[] {1}).slope()));
    }

    @Test
    void badArgumentsAreRejected() {
        int[] ids = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> GradientDiagnosis.windows(ids, 1, 3, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> GradientDiagnosis.windows(ids, 0, 1, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> GradientDiagnosis.windows(ids, 1, 0, new Rng(0)));
        RecurrentNet net = tiny("rnn", 1);
        assertThrows(IllegalArgumentException.class, () -> GradientDiagnosis.measure(net, new int[][] {{0, 9}}, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> GradientDiagnosis.measure(net, tinyWindows(), 0, 0));
    }
}
