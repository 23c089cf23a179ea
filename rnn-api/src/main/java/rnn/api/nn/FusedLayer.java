package rnn.api.nn;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Rng;

/**
 * What every cell shares: {@code G} gates stored fused as {@code W_x [in, G·H]}, {@code W_h [H, G·H]} and
 * {@code b [G·H]}, so that the input projection of all steps is one GEMM; the workspaces; and the inputs
 * of the last forward, which backward reads.
 */
abstract sealed class FusedLayer implements RecurrentLayer permits RnnLayer, GruLayer, LstmLayer {

    final Backend ops;
    final int in;
    final int hidden;
    final Parameter wx;
    final Parameter wh;
    final Parameter b;
    final Workspace ws = new Workspace();

    // The last forward's inputs, for backward.
    float[] xs;
    int xOff;
    int steps;
    int batch;

    /** {@code names}: the three parameters' names without the layer prefix, e.g. W_x, W_h, b. */
    FusedLayer(Backend ops, int in, int hidden, int gates, String[] names, Init init, Rng rng, String prefix) {
        this.ops = ops;
        this.in = in;
        this.hidden = hidden;
        this.wx = Parameter.zeros(prefix + names[0], in, gates * hidden);
        this.wh = Parameter.zeros(prefix + names[1], hidden, gates * hidden);
        this.b = Parameter.zeros(prefix + names[2], gates * hidden);
        // Each gate block is a hidden-wide matrix: that is its fan-out.
        init.fill(wx.value(), in, hidden, rng);
        init.fill(wh.value(), hidden, hidden, rng);
    }

    /** Remembers a forward's inputs; returns the batch size. */
    final int begin(float[] xs, int xOff, int steps, State state) {
        this.xs = xs;
        this.xOff = xOff;
        this.steps = steps;
        this.batch = state.batch();
        return batch;
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
