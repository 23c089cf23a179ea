package rnn.api.cell.builtin;

import java.util.Arrays;

import rnn.api.Activation;
import rnn.api.cell.LayerSpec;
import rnn.api.cell.State;
import rnn.api.internal.GradientGroups;
import rnn.api.internal.StationaryOperand;

/**
 * d2l's GRU layer:
 * <pre>
 * R_t = σ(X_t W_xr + H_{t-1} W_hr + b_r)      Z_t = σ(X_t W_xz + H_{t-1} W_hz + b_z)
 * H̃_t = tanh(X_t W_xh + (R_t ⊙ H_{t-1}) W_hh + b_h)
 * H_t = Z_t ⊙ H_{t-1} + (1 − Z_t) ⊙ H̃_t
 * </pre>
 * <b>Parameters</b> are stored fused, gate order {@code r|z|h} along the columns:
 * {@code W_x [in, 3H]} = {@code [W_xr | W_xz | W_xh]}, {@code W_h [H, 3H]} = {@code [W_hr | W_hz | W_hh]}
 * and {@code b [3H]} = {@code [b_r | b_z | b_h]} (names carry the layer prefix, e.g. {@code l0.W_x}).
 * The input projection of all steps is one GEMM of width 3H. The recurrent projection of a step is one
 * GEMM of width 2H for the gates ({@code H_{t-1}} times the first two column blocks of {@code W_h}) and
 * one of width H for the candidate ({@code (R ⊙ H_{t-1})} times the third block, {@code W_hh}): two
 * column blocks of {@code W_h}, each packed once per sequence for the backend's GEMM.
 *
 * <p>Gates of a step live in a {@code [B, 3H]} block, so one gate over the batch is a strided view
 * (leading dimension 3H), and each gate-wise product is one block kernel call.
 */
final class GruLayer extends FusedLayer {

    private static final int G = 3;


    // Workspace slots.
    private static final int GATES = 0;   // [T, B, 3H] activations R|Z|H̃, kept for backward
    private static final int HS = 1;      // [T+1, B, H] H_0 .. H_T
    private static final int RH = 2;      // [T, B, H] R_t ⊙ H_{t-1}
    private static final int DA = 3;      // [T, B, 3H] gradient with respect to the pre-activations
    private static final int D_POST = 4;  // [B, 3H] gradient with respect to the activations, one step
    private static final int DH_NEXT = 5; // [B, H] dL/dH_{t-1} carried backwards
    private static final int D_RH = 6;    // [B, H] dL/d(R ⊙ H_{t-1})
    private static final int TMP = 7;     // [B, H]
    private static final int DX = 8;      // [T, B, in]
    private static final int W_RZ = 9;    // [W_hr | W_hz] packed for forward, its transpose for backward
    private static final int W_HH = 10;   // W_hh packed likewise

    private final StationaryOperand gatesStep = new StationaryOperand(ops, ws, W_RZ);
    private final StationaryOperand candidateStep = new StationaryOperand(ops, ws, W_HH);


    GruLayer(LayerSpec spec) {
        super(spec, G, 1, new String[] {"W_x", "W_h", "b"});
    }

    @Override
    float[] run(State state) {
        int bt = batch;
        int h = hidden;
        int gh = G * h;
        int bh = bt * h;
        float[] gates = ws.floats(GATES, steps * bt * gh);
        float[] hs = ws.floats(HS, (steps + 1) * bh);
        float[] rh = ws.floats(RH, steps * bh);
        System.arraycopy(state.part(0), 0, hs, 0, bh);
        float[] whv = wh.value();
        float[] bias = b.value();
        gatesStep.prepare(false, h, 2 * h, whv, 0, gh, steps);
        candidateStep.prepare(false, h, h, whv, 2 * h, gh, steps);
        for (int t = 1; t <= steps; t++) {
            int go = (t - 1) * bt * gh;
            int prev = (t - 1) * bh;
            int cur = t * bh;
            inputOfStep(t, gates, 0);
            // R | Z
            gatesStep.multiplyBiasActivation(bt, hs, prev, h, 1f, gates, go, gh, Activation.SIGMOID, bias, 0);
            ops.mulBlock(bt, h, gates, go, gh, hs, prev, h, 0f, rh, prev, h);
            // H̃
            candidateStep.multiplyBiasActivation(bt, rh, prev, h, 1f, gates, go + 2 * h, gh, Activation.TANH, bias, 2 * h);
            // H_t = H̃ + Z ⊙ (H_{t-1} − H̃), the same value as Z ⊙ H_{t-1} + (1 − Z) ⊙ H̃
            ops.addBlock(bt, h, 1f, hs, prev, h, -1f, gates, go + 2 * h, gh, hs, cur, h);
            ops.mulBlock(bt, h, gates, go + h, gh, hs, cur, h, 0f, hs, cur, h);
            ops.addBlock(bt, h, 1f, hs, cur, h, 1f, gates, go + 2 * h, gh, hs, cur, h);
        }
        System.arraycopy(hs, steps * bh, state.part(0), 0, bh);
        return hs;
    }

    @Override
    public float[] backward(float[] dOutputs, State dState) {
        int bt = batch;
        int h = hidden;
        int gh = G * h;
        int bh = bt * h;
        float[] gates = ws.floats(GATES, 0);
        float[] hs = ws.floats(HS, 0);
        float[] rh = ws.floats(RH, 0);
        float[] dA = ws.floats(DA, steps * bt * gh);
        float[] dPost = ws.floats(D_POST, bt * gh);
        float[] dNext = ws.floats(DH_NEXT, bh);
        float[] dRh = ws.floats(D_RH, bh);
        float[] tmp = ws.floats(TMP, bh);
        if (dState == null) {
            Arrays.fill(dNext, 0, bh, 0f);
        } else {
            System.arraycopy(dState.part(0), 0, dNext, 0, bh);
        }
        gatesStep.prepare(true, 2 * h, h, wh.value(), 0, gh, steps);
        candidateStep.prepare(true, h, h, wh.value(), 2 * h, gh, steps);
        for (int t = steps; t >= 1; t--) {
            int o = (t - 1) * bh;      // this step's slot in [T, B, H] arrays (and H_{t-1} in hs)
            int go = (t - 1) * bt * gh;
            // dH_t = dOut_t + dH_{t+1} carried
            ops.axpy(bh, 1f, dNext, 0, dOutputs, o);
            // direct path: dH_{t-1} = dH ⊙ Z
            ops.mulBlock(bt, h, dOutputs, o, h, gates, go + h, gh, 0f, dNext, 0, h);
            // dH̃ = dH ⊙ (1 − Z) = dH − dH ⊙ Z
            ops.addBlock(bt, h, 1f, dOutputs, o, h, -1f, dNext, 0, h, dPost, 2 * h, gh);
            // dZ = dH ⊙ (H_{t-1} − H̃)
            ops.addBlock(bt, h, 1f, hs, o, h, -1f, gates, go + 2 * h, gh, tmp, 0, h);
            ops.mulBlock(bt, h, dOutputs, o, h, tmp, 0, h, 0f, dPost, h, gh);
            ops.activationBackwardBlock(Activation.TANH, bt, h, gates, go + 2 * h, gh, dPost, 2 * h, gh, 0f, dA, go + 2 * h, gh);
            // d(R ⊙ H_{t-1}) = dA_h W_hhᵀ
            candidateStep.multiply(bt, dA, go + 2 * h, gh, 0f, dRh, 0, h);
            ops.mulBlock(bt, h, dRh, 0, h, hs, o, h, 0f, dPost, 0, gh);        // dR = d(RH) ⊙ H_{t-1}
            ops.mulBlock(bt, h, dRh, 0, h, gates, go, gh, 1f, dNext, 0, h);    // dH_{t-1} += d(RH) ⊙ R
            ops.activationBackwardBlock(Activation.SIGMOID, bt, 2 * h, gates, go, gh, dPost, 0, gh, 0f, dA, go, gh);
            // dH_{t-1} += [dA_r | dA_z] [W_hr | W_hz]ᵀ
            gatesStep.multiply(bt, dA, go, gh, 1f, dNext, 0, h);
            if (GradientGroups.queuedAt(t, steps)) { // dW_h over the group's steps, beside the steps to go
                int k = GradientGroups.STEPS * bt;
                ops.gemmBackground(true, false, h, 2 * h, k, hs, o, h, dA, go, gh, wh.grad(), 0, gh);
                ops.gemmBackground(true, false, h, h, k, rh, o, h, dA, go + 2 * h, gh, wh.grad(), 2 * h, gh);
            }
        }
        int rows = steps * bt;
        ops.sumRows(rows, gh, dA, 0, gh, b.grad(), 0);
        float[] dxs = inputBackward(rows, dA, DX);
        ops.awaitBackground();
        int last = GradientGroups.last(steps) * bt;
        float[] dwh = wh.grad();
        ops.gemm(true, false, h, 2 * h, last, hs, 0, h, dA, 0, gh, 1f, dwh, 0, gh);
        ops.gemm(true, false, h, h, last, rh, 0, h, dA, 2 * h, gh, 1f, dwh, 2 * h, gh);
        if (dState != null) {
            System.arraycopy(dNext, 0, dState.part(0), 0, bh);
        }
        return dxs;
    }
}
