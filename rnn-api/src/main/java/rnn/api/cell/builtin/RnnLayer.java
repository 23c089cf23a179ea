package rnn.api.cell.builtin;

import java.util.Arrays;

import rnn.api.Activation;
import rnn.api.cell.LayerSpec;
import rnn.api.cell.State;
import rnn.api.internal.GradientGroups;
import rnn.api.internal.StationaryOperand;

/**
 * d2l's recurrent layer: {@code H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h)}.
 * The input projection of all steps is one large GEMM; only the recurrent product is sequential.
 */
final class RnnLayer extends FusedLayer {

    /** W_hh in forward, W_hhᵀ in backward. */
    private final StationaryOperand whStep = new StationaryOperand(ops, ws, 4);

    RnnLayer(LayerSpec spec) {
        super(spec, 1, 1, new String[] {"W_xh", "W_hh", "b_h"});
    }

    @Override
    float[] run(State state) {
        int bt = batch;
        int bh = bt * hidden;
        // hs holds H_0 .. H_T: slot 0 is the initial state so that H_{t-1} for all t is one block.
        float[] hs = ws.floats(0, (steps + 1) * bh);
        float[] h0 = state.part(0);
        System.arraycopy(h0, 0, hs, 0, bh);
        whStep.prepare(false, hidden, hidden, wh.value(), 0, hidden, steps);
        for (int t = 1; t <= steps; t++) {
            inputOfStep(t, hs, bh);
            whStep.multiplyBiasActivation(bt, hs, (t - 1) * bh, hidden, 1f, hs, t * bh, hidden,
                    Activation.TANH, b.value(), 0);
        }
        System.arraycopy(hs, steps * bh, h0, 0, bh);
        return hs;
    }

    @Override
    public float[] backward(float[] dOutputs, State dState) {
        int bt = batch;
        int bh = bt * hidden;
        float[] hs = ws.floats(0, 0);
        float[] dz = ws.floats(1, steps * bh);
        float[] dNext = ws.floats(2, bh);
        whStep.prepare(true, hidden, hidden, wh.value(), 0, hidden, steps - (dState == null ? 1 : 0));
        if (dState == null) {
            Arrays.fill(dNext, 0, bh, 0f);
        } else {
            System.arraycopy(dState.part(0), 0, dNext, 0, bh);
        }
        // dH_t = dOut_t + dH_{t+1} W_hhᵀ, dZ_t = dH_t ⊙ (1 - H_t²): at the last step dH_{t+1} is the carried
        // gradient; before, each step's product finishes the step below it.
        int last = (steps - 1) * bh;
        ops.addBlock(bt, hidden, 1f, dOutputs, last, hidden, 1f, dNext, 0, hidden, dNext, 0, hidden);
        ops.activationBackwardBlock(Activation.TANH, bt, hidden, hs, steps * bh, hidden, dNext, 0, hidden,
                0f, dz, last, hidden);
        for (int t = steps; t >= 1; t--) {
            int o = (t - 1) * bh;
            if (t > 1) {
                whStep.multiplyActivationBackward(bt, dz, o, hidden, dNext, 0, hidden, Activation.TANH,
                        hs, o, hidden, dOutputs, o - bh, hidden, dz, o - bh, hidden);
            } else if (dState != null) { // dH_0, wanted only by a caller that carries it further back
                whStep.multiply(bt, dz, o, hidden, 0f, dNext, 0, hidden);
            }
            if (GradientGroups.queuedAt(t, steps)) { // dW_hh += H_{t-1}ᵀ·dZ_t over the group, beside the rest
                ops.gemmBackground(true, false, hidden, hidden, GradientGroups.STEPS * bt, hs, o, hidden, dz, o, hidden,
                        wh.grad(), 0, hidden);
            }
        }
        int rows = steps * bt;
        ops.sumRows(rows, hidden, dz, 0, hidden, b.grad(), 0);
        float[] dxs = inputBackward(rows, dz, 3);
        ops.awaitBackground();
        ops.gemm(true, false, hidden, hidden, GradientGroups.last(steps) * bt, hs, 0, hidden, dz, 0, hidden, 1f,
                wh.grad(), 0, hidden);
        if (dState != null) {
            System.arraycopy(dNext, 0, dState.part(0), 0, bh);
        }
        return dxs;
    }
}
