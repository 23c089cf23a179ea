package rnn.api.internal;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.cell.LayerSpec;

/**
 * What every cell's layer shares, fused-by-hand or derived: {@code G} gates stored side by side as
 * {@code W_x [in, G·H]}, {@code W_h [H, G·H]} and {@code b [G·H]}, so that the input projection of all
 * steps is one GEMM (a row lookup for token ids); and the inputs of the last forward, which backward
 * reads.
 */
public final class FusedWeights {

    public final Backend ops;
    public final int in;
    public final int hidden;
    /** G·H, the width of the fused gates. */
    public final int width;
    public final Parameter wx;
    public final Parameter wh;
    public final Parameter b;

    // The last forward's inputs, for backward: dense rows xs from xOff, or token ids from xOff.
    private float[] xs;
    private int[] tokens;
    private int xOff;

    /** {@code names}: the three parameters' names without the layer prefix, e.g. W_x, W_h, b. */
    public FusedWeights(LayerSpec spec, int gates, String[] names) {
        this.ops = spec.backend();
        this.in = spec.inputSize();
        this.hidden = spec.hiddenSize();
        this.width = Math.multiplyExact(gates, hidden);
        String prefix = spec.prefix();
        this.wx = Parameter.zeros(prefix + names[0], in, width);
        this.wh = Parameter.zeros(prefix + names[1], hidden, width);
        this.b = Parameter.zeros(prefix + names[2], width);
        // Each gate block is a hidden-wide matrix: that is its fan-out.
        spec.init().fill(wx.value(), in, hidden, spec.rng());
        spec.init().fill(wh.value(), hidden, hidden, spec.rng());
    }

    public List<Parameter> parameters() {
        return List.of(wx, wh, b);
    }

    /** Remembers dense input rows {@code [T·B, in]} from {@code off} for {@link #projectInput} and backward. */
    public void remember(float[] xs, int off) {
        this.xs = xs;
        this.tokens = null;
        this.xOff = off;
    }

    /** Remembers token ids {@code [T·B]} from {@code off}, checked against the input size. */
    public void remember(int[] tokens, int off, int rows) {
        OneHot.check(tokens, off, rows, in);
        this.xs = null;
        this.tokens = tokens;
        this.xOff = off;
    }

    /** The input product of all steps, X·W_x {@code [rows, G·H]}, into {@code out} from {@code outOff} (overwritten). */
    public void projectInput(int rows, float[] out, int outOff) {
        projectInput(0, rows, out, outOff);
    }

    /** {@link #projectInput} for input rows {@code [row0, row0 + rows)} only. */
    public void projectInput(int row0, int rows, float[] out, int outOff) {
        if (tokens != null) {
            OneHot.lookup(tokens, xOff + row0, rows, wx.value(), width, out, outOff);
        } else {
            ops.gemm(false, false, rows, width, in, xs, xOff + row0 * in, in, wx.value(), 0, width, 0f, out, outOff,
                    width);
        }
    }

    /** Whether the last forward was from token ids (its input product is a row lookup). */
    public boolean fromTokens() {
        return tokens != null;
    }

    /**
     * From dA {@code [rows, G·H]}, the gradient with respect to the pre-activations of all steps:
     * accumulates dW_x and returns dX {@code [rows, in]} in {@code dxs} (grown if needed through
     * {@code ws} slot {@code slot}), or null after a forward from token ids, which have no gradient.
     */
    public float[] inputBackward(int rows, float[] dA, Workspace ws, int slot) {
        if (tokens != null) {
            OneHot.scatterAdd(ops, tokens, xOff, rows, dA, width, wx.grad());
            return null;
        }
        ops.gemm(true, false, in, width, rows, xs, xOff, in, dA, 0, width, 1f, wx.grad(), 0, width);
        float[] dxs = ws.floats(slot, rows * in);
        ops.gemm(false, true, rows, in, width, dA, 0, width, wx.value(), 0, width, 0f, dxs, 0, in);
        return dxs;
    }
}
