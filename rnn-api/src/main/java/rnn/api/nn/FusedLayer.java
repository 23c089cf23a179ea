package rnn.api.nn;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Rng;

/**
 * What every cell shares: {@code G} gates stored fused as {@code W_x [in, G·H]}, {@code W_h [H, G·H]} and
 * {@code b [G·H]}, so that the input projection of all steps is one GEMM (a row lookup for token ids);
 * the workspaces; and the inputs of the last forward, which backward reads.
 */
abstract sealed class FusedLayer implements RecurrentLayer permits RnnLayer, GruLayer, LstmLayer {

    final Backend ops;
    final int in;
    final int hidden;
    /** G·H, the width of the fused gates. */
    final int width;
    final Parameter wx;
    final Parameter wh;
    final Parameter b;
    final Workspace ws = new Workspace();

    // The last forward's inputs, for backward: dense rows xs from xOff, or token ids from xOff.
    float[] xs;
    int[] tokens;
    int xOff;
    int steps;
    int batch;

    /** {@code names}: the three parameters' names without the layer prefix, e.g. W_x, W_h, b. */
    FusedLayer(Backend ops, int in, int hidden, int gates, String[] names, Init init, Rng rng, String prefix) {
        this.ops = ops;
        this.in = in;
        this.hidden = hidden;
        this.width = gates * hidden;
        this.wx = Parameter.zeros(prefix + names[0], in, gates * hidden);
        this.wh = Parameter.zeros(prefix + names[1], hidden, gates * hidden);
        this.b = Parameter.zeros(prefix + names[2], gates * hidden);
        // Each gate block is a hidden-wide matrix: that is its fan-out.
        init.fill(wx.value(), in, hidden, rng);
        init.fill(wh.value(), hidden, hidden, rng);
    }

    @Override
    public final float[] forward(float[] xs, int xOff, int steps, State state) {
        this.xs = xs;
        this.tokens = null;
        return begin(xOff, steps, state);
    }

    @Override
    public final float[] forward(int[] tokens, int off, int steps, State state) {
        OneHot.check(tokens, off, steps * state.batch(), in);
        this.xs = null;
        this.tokens = tokens;
        return begin(off, steps, state);
    }

    private float[] begin(int off, int steps, State state) {
        this.xOff = off;
        this.steps = steps;
        this.batch = state.batch();
        return run(state);
    }

    /** The cell's forward over {@link #steps} steps of {@link #batch} rows, starting with {@link #projectInput}. */
    abstract float[] run(State state);

    /** The input product of all steps, X·W_x {@code [rows, G·H]}, into {@code out} from {@code outOff} (overwritten). */
    final void projectInput(int rows, float[] out, int outOff) {
        if (tokens != null) {
            OneHot.lookup(tokens, xOff, rows, wx.value(), width, out, outOff);
        } else {
            ops.gemm(false, false, rows, width, in, xs, xOff, in, wx.value(), 0, width, 0f, out, outOff, width);
        }
    }

    /**
     * From dA {@code [rows, G·H]}, the gradient with respect to the pre-activations of all steps:
     * accumulates dW_x and returns dX {@code [rows, in]} in workspace {@code slot}, or null after a
     * forward from token ids, which have no gradient.
     */
    final float[] inputBackward(int rows, float[] dA, int slot) {
        if (tokens != null) {
            OneHot.scatterAdd(ops, tokens, xOff, rows, dA, width, wx.grad());
            return null;
        }
        ops.gemm(true, false, in, width, rows, xs, xOff, in, dA, 0, width, 1f, wx.grad(), 0, width);
        float[] dxs = ws.floats(slot, rows * in);
        ops.gemm(false, true, rows, in, width, dA, 0, width, wx.value(), 0, width, 0f, dxs, 0, in);
        return dxs;
    }

    /**
     * W_hᵀ {@code [G·H, H]} copied into workspace {@code slot}. Backward multiplies by W_hᵀ at every
     * step; reading it row-major makes those plain A·B products, the fastest GEMM form on any backend,
     * for one copy per sequence. (Every form sums over the inner index in the same order, so the result
     * is the same.)
     */
    final float[] transposedWh(int slot) {
        float[] w = wh.value();
        float[] t = ws.floats(slot, w.length);
        // 16 source rows at a time: 16 sequential read streams, each destination run within a cache line.
        for (int r0 = 0; r0 < hidden; r0 += 16) {
            int r1 = Math.min(hidden, r0 + 16);
            for (int c = 0; c < width; c++) {
                for (int r = r0; r < r1; r++) {
                    t[c * hidden + r] = w[r * width + c];
                }
            }
        }
        return t;
    }

    @Override
    public final int inputSize() {
        return in;
    }

    @Override
    public final int hiddenSize() {
        return hidden;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of(wx, wh, b);
    }

    @Override
    public final int outputOffset() {
        return batch * hidden;
    }
}
