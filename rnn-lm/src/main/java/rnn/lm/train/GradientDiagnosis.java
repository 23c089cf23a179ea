package rnn.lm.train;

import java.util.ArrayList;
import java.util.Arrays;

import rnn.lm.text.TokenIds;
import java.util.List;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.Parameter;
import rnn.api.nn.RecurrentNet;
import rnn.api.cell.State;

/**
 * How backpropagation through time fades or grows with distance: the product of Jacobians
 * {@code ∏ ∂h_j/∂h_{j−1}} of d2l §9.7, measured on real text.
 *
 * <p>For windows of {@code T + 1} tokens (inputs {@code x_1 … x_T}, and the token after {@code x_T} as
 * the last target), starting from the zero state {@code h_0}, and each distance {@code d = T − t} in
 * {@code 1 … T}:
 * <ul>
 *   <li>{@code g(d) = ‖∂ℓ_T/∂h_t‖}: the gradient of the cross-entropy at the last step alone with
 *       respect to the hidden state {@code t} steps in, the norm taken per sequence and then averaged;</li>
 *   <li>{@code J(d) = ‖∂h_T/∂h_t‖_F}, estimated with random unit probes {@code u}:
 *       {@code E‖Jᵀu‖² = ‖J‖_F²/H}, so {@code ‖J‖_F ≈ sqrt(H · mean_u ‖Jᵀu‖²)}, per sequence and averaged.</li>
 * </ul>
 * {@code h} is the top layer's H. The other state parts (an LSTM's memory C, lower layers' states) are
 * held fixed when differentiating with respect to {@code h_t}, but every path through them between
 * {@code t} and {@code T} is included, as BPTT includes it.
 *
 * <p>How, with the public {@link RecurrentNet} API only: one forward saves the states {@code S_0 … S_T};
 * then a vector-Jacobian product is carried back one step at a time, {@code w_t = (∂S_{t+1}/∂S_t)ᵀ w_{t+1}}
 * — a one-step forward from {@code S_t} and {@link RecurrentNet#backward(List)} with {@code w_{t+1}} as the
 * gradient of the final state. During these steps {@code W_hq} is set to zero so that the loss adds nothing
 * ({@code ∂ℓ/∂H = dLogits · W_hqᵀ = 0} exactly) and the backward is the pure Jacobian product; it is restored
 * afterwards. Each row is renormalised after every step and its log scale kept, so a gradient of 1e-80 is
 * measured as precisely as one of 1, where float32 would underflow, and subtracting a loss term (the
 * other way to isolate {@code ℓ_T} with a mean loss) would cancel catastrophically. The seed for {@code g}
 * is {@code ∂ℓ_T/∂h_T = W_hq (softmax(o_T) − onehot(y_T))}, from the backend's fused cross-entropy kernel.
 * The probes ride along as extra batch rows, so one model costs {@code 2T} one-step passes at
 * {@code B·(k+1)} rows.
 */
public final class GradientDiagnosis {

    /** The default number of random probes for the Frobenius estimate. */
    public static final int DEFAULT_PROBES = 8;

    private GradientDiagnosis() {
    }

    /**
     * The curves, as natural logarithms (finite even where the values themselves would underflow a
     * double; {@code −∞} for an exact zero). Index {@code d − 1} holds distance {@code d}.
     */
    public record Curve(double[] logGradient, double[] logJacobian) {

        public Curve {
            if (logGradient.length != logJacobian.length || logGradient.length == 0) {
                throw new IllegalArgumentException("curves need equal, positive lengths");
            }
        }

        /** T: the largest distance. */
        public int steps() {
            return logGradient.length;
        }

        /** {@code g(d) = mean ‖∂ℓ_T/∂h_{T−d}‖}, d in 1 … T (0 where it underflows a double). */
        public double gradient(int d) {
            return Math.exp(logGradient[d - 1]);
        }

        /** {@code J(d) = mean ‖∂h_T/∂h_{T−d}‖_F}, d in 1 … T. */
        public double jacobian(int d) {
            return Math.exp(logJacobian[d - 1]);
        }

        /** The exponential fit of g over d in 1 … T. */
        public Rate gradientRate() {
            return Rate.fit(logGradient);
        }

        /** The exponential fit of J over d in 1 … T. */
        public Rate jacobianRate() {
            return Rate.fit(logJacobian);
        }
    }

    /**
     * A least-squares fit {@code ln value ≈ a + slope · d}: each step back multiplies the value by
     * {@link #factor()}.
     */
    public record Rate(double slope) {

        /** Least squares over the finite points {@code (d, logs[d − 1])}; NaN with fewer than two. */
        public static Rate fit(double[] logs) {
            double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
            for (int i = 0; i < logs.length; i++) {
                if (Double.isFinite(logs[i])) {
                    double x = i + 1, y = logs[i];
                    n++;
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    sxy += x * y;
                }
            }
            double den = n * sxx - sx * sx;
            return new Rate(n < 2 || den == 0 ? Double.NaN : (n * sxy - sx * sy) / den);
        }

        /** The factor per step back in time: below 1 vanishing, above 1 exploding. */
        public double factor() {
            return Math.exp(slope);
        }

        /** Steps back for the value to halve (decay) or double (growth, then positive too); ∞ for no trend. */
        public double halfLife() {
            return slope == 0 ? Double.POSITIVE_INFINITY : Math.log(2) / Math.abs(slope);
        }
    }

    /**
     * {@code count} windows of {@code steps + 1} consecutive ids at offsets drawn uniformly from {@code rng}.
     *
     * @throws IllegalArgumentException if the text is shorter than one window or a size is not positive
     */
    public static int[][] windows(int[] ids, int count, int steps, Rng rng) {
        return windows(TokenIds.of(ids), count, steps, rng);
    }

    /**
     * {@link #windows(int[], int, int, Rng)} over ids of any size, read in place; the offsets of a text
     * past 2³¹ tokens are drawn from its first 2³¹ − 1 positions.
     */
    public static int[][] windows(TokenIds ids, int count, int steps, Rng rng) {
        if (count < 1 || steps < 1) {
            throw new IllegalArgumentException("windows need a positive count and steps, got " + count + " and " + steps);
        }
        if (ids.length() < steps + 1L) {
            throw new IllegalArgumentException(steps + " steps need a text of at least " + (steps + 1L)
                    + " tokens, this one has " + ids.length());
        }
        int[][] w = new int[count][steps + 1];
        int positions = (int) Math.min(Integer.MAX_VALUE, ids.length() - steps);
        for (int b = 0; b < count; b++) {
            ids.copyTo(rng.nextInt(positions), w[b], 0, steps + 1);
        }
        return w;
    }

    /**
     * Measures g(d) and J(d) on {@code windows} (each {@code T + 1} token ids, T ≥ 1) in evaluation mode.
     * The weights are unchanged afterwards and the parameter gradients are left at zero.
     *
     * @param probes random unit probes per sequence for the Frobenius estimate (k)
     * @param seed   seeds the probes
     */
    public static Curve measure(RecurrentNet net, int[][] windows, int probes, long seed) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, got " + probes);
        }
        int b = windows.length;
        int h = net.hiddenSize();
        Rng rng = new Rng(seed);
        float[][] u = new float[probes][b * h];
        for (float[] p : u) {
            for (int r = 0; r < b; r++) {
                double sq = 0;
                for (int i = 0; i < h; i++) {
                    float g = (float) rng.nextGaussian();
                    p[r * h + i] = g;
                    sq += (double) g * g;
                }
                float inv = (float) (1 / Math.sqrt(sq));
                for (int i = 0; i < h; i++) {
                    p[r * h + i] *= inv;
                }
            }
        }
        Trace trace = trace(net, windows, u, false);
        int steps = trace.logNorms().length;
        double[] logG = new double[steps];
        double[] logJ = new double[steps];
        double[] perSeq = new double[b];
        double[] perProbe = new double[probes];
        for (int d = 0; d < steps; d++) {
            double[] ln = trace.logNorms()[d];
            logG[d] = logMeanExp(Arrays.copyOf(ln, b));
            for (int s = 0; s < b; s++) {
                for (int c = 0; c < probes; c++) {
                    perProbe[c] = 2 * ln[(c + 1) * b + s];
                }
                perSeq[s] = 0.5 * (Math.log(h) + logMeanExp(perProbe));
            }
            logJ[d] = logMeanExp(perSeq);
        }
        return new Curve(logG, logJ);
    }

    /**
     * What {@link #trace} found. Row {@code r} of the batch it ran belongs to sequence {@code r % B};
     * rows {@code 0 … B−1} carry {@code ∂ℓ_T/∂h_T} back, rows {@code c·B + s} carry probe {@code c − 1}.
     *
     * @param logNorms     {@code [T][rows]}: ln of the top layer H part of row r's gradient at distance d (index d − 1)
     * @param vectors      {@code [T][rows][H]} those gradients themselves, if asked for (small models only)
     * @param lossGradient {@code [B·H]}: {@code ∂ℓ_T/∂h_T} per sequence, the seed of rows 0 … B−1
     */
    record Trace(double[][] logNorms, double[][][] vectors, float[] lossGradient) {
    }

    /**
     * Carries {@code ∂ℓ_T/∂h_T} and the given probes (each {@code [B·H]}, a vector on the top layer's final H
     * per sequence) back to every earlier state.
     */
    static Trace trace(RecurrentNet net, int[][] windows, float[][] probes, boolean keepVectors) {
        int b = windows.length;
        if (b < 1) {
            throw new IllegalArgumentException("need at least one window");
        }
        int len = windows[0].length;
        if (len < 2) {
            throw new IllegalArgumentException("windows need at least 2 tokens (1 step and its target), got " + len);
        }
        int v = net.inputSize();
        int o = net.outputSize();
        for (int[] w : windows) {
            if (w.length != len) {
                throw new IllegalArgumentException("windows differ in length: " + w.length + " and " + len);
            }
            for (int id : w) {
                if (id < 0 || id >= Math.min(v, o)) {
                    throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary of "
                            + Math.min(v, o));
                }
            }
        }
        int h = net.hiddenSize();
        for (float[] p : probes) {
            if (p.length != b * h) {
                throw new IllegalArgumentException("a probe holds " + p.length + " floats, need " + b * h);
            }
        }
        int steps = len - 1;
        int rows = b * (probes.length + 1);
        int top = net.layerCount() - 1;
        Backend ops = net.backend();
        List<Parameter> params = net.parameters();
        Parameter whq = params.get(params.size() - 2);
        if (!whq.name().equals("W_hq")) {
            throw new IllegalStateException("expected W_hq second to last among the parameters, found " + whq.name());
        }

        boolean wasTraining = net.isTraining();
        net.setTraining(false);
        float[] savedWhq = whq.value().clone();
        try {
            // Forward once, keeping S_0 … S_T: logits only (no loss, no gradient), as nothing backward
            // follows; the last step's loss gradient is formed below from its logits.
            float[] x = new float[rows * v];
            int[] targets = new int[rows];
            List<List<State>> saved = new ArrayList<>(steps + 1);
            List<State> states = net.newStates(rows);
            saved.add(copy(states));
            for (int t = 0; t < steps; t++) {
                encode(windows, t, rows, v, x, targets);
                net.forward(x, null, 1, states);
                saved.add(copy(states));
            }
            // ∂ℓ_T/∂h_T = W_hq (softmax(o_T) − onehot(y_T)) for the first B rows (one per sequence).
            float[] dLogits = new float[b * o];
            ops.softmaxCrossEntropy(b, o, net.logits(), 0, targets, 0, 1f, dLogits, 0);
            float[] lossGradient = new float[b * h];
            ops.gemm(false, true, b, h, o, dLogits, 0, o, whq.value(), 0, o, 0f, lossGradient, 0, h);

            List<State> grads = net.newStates(rows);
            float[] seed = grads.get(top).part(0);
            System.arraycopy(lossGradient, 0, seed, 0, b * h);
            for (int c = 0; c < probes.length; c++) {
                System.arraycopy(probes[c], 0, seed, (c + 1) * b * h, b * h);
            }
            double[] logScale = new double[rows];
            normalise(grads, h, logScale);

            Arrays.fill(whq.value(), 0f);
            double[][] logNorms = new double[steps][rows];
            double[][][] vectors = keepVectors ? new double[steps][rows][h] : null;
            for (int t = steps - 1; t >= 0; t--) {
                List<State> s = copy(saved.get(t));
                encode(windows, t, rows, v, x, targets);
                net.forward(x, targets, 1, s);
                net.backward(grads); // grads: ∂(w·S_{t+1})/∂S_t, the loss contributing exactly 0
                int d = steps - t;
                float[] topH = grads.get(top).part(0);
                for (int r = 0; r < rows; r++) {
                    double sq = 0;
                    for (int i = 0; i < h; i++) {
                        sq += (double) topH[r * h + i] * topH[r * h + i];
                    }
                    logNorms[d - 1][r] = logScale[r] + 0.5 * Math.log(sq);
                    if (vectors != null) {
                        double scale = Math.exp(logScale[r]);
                        for (int i = 0; i < h; i++) {
                            vectors[d - 1][r][i] = scale * topH[r * h + i];
                        }
                    }
                }
                normalise(grads, h, logScale);
            }
            return new Trace(logNorms, vectors, lossGradient);
        } finally {
            System.arraycopy(savedWhq, 0, whq.value(), 0, savedWhq.length);
            net.zeroGrad();
            net.setTraining(wasTraining);
        }
    }

    /** One-hot inputs of step t for every row (row r reads sequence r % B) and the next tokens as targets. */
    private static void encode(int[][] windows, int t, int rows, int v, float[] x, int[] targets) {
        int b = windows.length;
        Arrays.fill(x, 0, rows * v, 0f);
        for (int r = 0; r < rows; r++) {
            int[] w = windows[r % b];
            x[r * v + w[t]] = 1f;
            targets[r] = w[t + 1];
        }
    }

    /**
     * Scales each row of every layer's state parts jointly to unit norm, adding the log of the factor
     * to {@code logScale}; a zero row stays zero with scale −∞.
     */
    private static void normalise(List<State> grads, int h, double[] logScale) {
        for (int r = 0; r < logScale.length; r++) {
            double sq = 0;
            for (State s : grads) {
                for (int p = 0; p < s.partCount(); p++) {
                    float[] a = s.part(p);
                    for (int i = r * h; i < (r + 1) * h; i++) {
                        sq += (double) a[i] * a[i];
                    }
                }
            }
            if (sq == 0 || !Double.isFinite(sq)) {
                logScale[r] = sq == 0 ? Double.NEGATIVE_INFINITY : Double.NaN;
                continue;
            }
            double norm = Math.sqrt(sq);
            float inv = (float) (1 / norm);
            for (State s : grads) {
                for (int p = 0; p < s.partCount(); p++) {
                    float[] a = s.part(p);
                    for (int i = r * h; i < (r + 1) * h; i++) {
                        a[i] *= inv;
                    }
                }
            }
            logScale[r] += Math.log(norm);
        }
    }

    private static List<State> copy(List<State> states) {
        return states.stream().map(State::copy).toList();
    }

    /** ln(mean exp(x)), stable for very large or small x; −∞ if every x is −∞. */
    static double logMeanExp(double[] xs) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (double x : xs) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum / xs.length);
    }
}
