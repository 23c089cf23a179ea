package rnn.api.cell.builtin;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.cell.LayerSpec;
import rnn.api.cell.RecurrentLayer;
import rnn.api.cell.State;
import rnn.api.internal.FusedWeights;
import rnn.api.internal.Workspace;

/**
 * What the hand-written cells share: their {@link FusedWeights}, the workspaces, and the shape of the
 * last forward, which backward reads.
 */
abstract sealed class FusedLayer implements RecurrentLayer permits RnnLayer, GruLayer, LstmLayer {

    final FusedWeights weights;
    final Backend ops;
    final int in;
    final int hidden;
    /** G·H, the width of the fused gates. */
    final int width;
    final Parameter wx;
    final Parameter wh;
    final Parameter b;
    final Workspace ws = new Workspace();
    private final int stateParts;

    int steps;
    int batch;

    /** {@code names}: the three parameters' names without the layer prefix, e.g. W_x, W_h, b. */
    FusedLayer(LayerSpec spec, int gates, int stateParts, String[] names) {
        this.weights = new FusedWeights(spec, gates, names);
        this.ops = weights.ops;
        this.in = weights.in;
        this.hidden = weights.hidden;
        this.width = weights.width;
        this.wx = weights.wx;
        this.wh = weights.wh;
        this.b = weights.b;
        this.stateParts = stateParts;
    }

    @Override
    public final float[] forward(float[] xs, int xOff, int steps, State state) {
        weights.remember(xs, xOff);
        return begin(steps, state);
    }

    @Override
    public final float[] forward(int[] tokens, int off, int steps, State state) {
        weights.remember(tokens, off, steps * state.batch());
        return begin(steps, state);
    }

    private float[] begin(int steps, State state) {
        this.steps = steps;
        this.batch = state.batch();
        return run(state);
    }

    /** The cell's forward over {@link #steps} steps of {@link #batch} rows, calling {@link #inputOfStep} at each. */
    abstract float[] run(State state);

    /**
     * Readies step t's (from 1) rows of the input product X·W_x, {@code [steps·batch, G·H]} from {@code outOff}
     * (overwritten), before the step's recurrent product adds to them. From token ids, each step's rows are
     * looked up just then, so that they are in cache when the product reads them: all steps at once wrote
     * the whole block out to L3 (RNN h=512: 2.3 MB) and each step read its part back. From dense rows, all
     * steps at t = 1, as one large GEMM.
     */
    final void inputOfStep(int t, float[] out, int outOff) {
        if (weights.fromTokens()) {
            int row0 = (t - 1) * batch;
            weights.projectInput(row0, batch, out, outOff + row0 * weights.width);
        } else if (t == 1) {
            weights.projectInput(steps * batch, out, outOff);
        }
    }

    /** See {@link FusedWeights#inputBackward}; dX goes to workspace {@code slot}. */
    final float[] inputBackward(int rows, float[] dA, int slot) {
        return weights.inputBackward(rows, dA, ws, slot);
    }

    @Override
    public final int stateParts() {
        return stateParts;
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
        return weights.parameters();
    }

    @Override
    public final int outputOffset() {
        return batch * hidden;
    }
}
