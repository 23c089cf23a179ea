package rnn.api.cell.builtin;

import java.util.Arrays;

import rnn.api.Activation;
import rnn.api.cell.LayerSpec;
import rnn.api.cell.State;
import rnn.api.internal.GradientGroups;
import rnn.api.internal.StationaryOperand;

/**
 * d2l's LSTM layer:
 * <pre>
 * I_t = σ(X_t W_xi + H_{t-1} W_hi + b_i)      F_t = σ(X_t W_xf + H_{t-1} W_hf + b_f)
 * O_t = σ(X_t W_xo + H_{t-1} W_ho + b_o)      C̃_t = tanh(X_t W_xc + H_{t-1} W_hc + b_c)
 * C_t = F_t ⊙ C_{t-1} + I_t ⊙ C̃_t            H_t = O_t ⊙ tanh(C_t)
 * </pre>
 * <b>Parameters</b> are stored fused, gate order {@code i|f|o|c} along the columns:
 * {@code W_x [in, 4H]} = {@code [W_xi | W_xf | W_xo | W_xc]}, {@code W_h [H, 4H]} =
 * {@code [W_hi | W_hf | W_ho | W_hc]} and {@code b [4H]} = {@code [b_i | b_f | b_o | b_c]} (names carry
 * the layer prefix, e.g. {@code l0.W_x}). So the input projection of all {@code T} steps is one GEMM of
 * width 4H, the recurrent projection of a step is one GEMM of width 4H, and the sigmoid of the three
 * gates i|f|o is one fused bias-activation call over a strided {@code [B, 3H]} block.
 *
 * <p>Gates of a step live in a {@code [B, 4H]} block, so one gate over the batch is a strided view
 * (leading dimension 4H), and each gate-wise product is one block kernel call.
 */
final class LstmLayer extends FusedLayer {

    private static final int G = 4;


    // Workspace slots.
    private static final int GATES = 0;   // [T, B, 4H] gate activations i|f|o|c̃ (forward), kept for backward
    private static final int HS = 1;      // [T+1, B, H] H_0 .. H_T
    private static final int CS = 2;      // [T+1, B, H] C_0 .. C_T
    private static final int TANH_C = 3;  // [T, B, H] tanh(C_t)
    private static final int DA = 4;      // [T, B, 4H] gradient with respect to the gate pre-activations
    private static final int D_POST = 5;  // [B, 4H] gradient with respect to the gate activations, one step
    private static final int DH_NEXT = 6; // [B, H] dL/dH_{t-1} carried backwards
    private static final int DC = 7;      // [B, H] dL/dC_t carried backwards
    private static final int TMP = 8;     // [B, H]
    private static final int TMP2 = 9;    // [B, H]
    private static final int DX = 10;     // [T, B, in]
    private static final int W_H = 11;    // W_h packed for forward, W_hᵀ for backward

    private final StationaryOperand whStep = new StationaryOperand(ops, ws, W_H);


    LstmLayer(LayerSpec spec, float forgetBias) {
        super(spec, G, 2, new String[] {"W_x", "W_h", "b"});
        Arrays.fill(b.value(), hidden, 2 * hidden, forgetBias);
    }

    @Override
    float[] run(State state) {
        int bt = batch;
        int h = hidden;
        int gh = G * h;
        int bh = bt * h;
        float[] gates = ws.floats(GATES, steps * bt * gh);
        float[] hs = ws.floats(HS, (steps + 1) * bh);
        float[] cs = ws.floats(CS, (steps + 1) * bh);
        float[] tanhC = ws.floats(TANH_C, steps * bh);
        System.arraycopy(state.part(0), 0, hs, 0, bh);
        System.arraycopy(state.part(1), 0, cs, 0, bh);
        float[] bias = b.value();
        whStep.prepare(false, h, gh, wh.value(), 0, gh, steps);
        for (int t = 1; t <= steps; t++) {
            int go = (t - 1) * bt * gh;
            int prev = (t - 1) * bh;
            int cur = t * bh;
            inputOfStep(t, gates, 0);
            whStep.multiply(bt, hs, prev, h, 1f, gates, go, gh);
            ops.biasActivation(Activation.SIGMOID, bt, 3 * h, bias, 0, gates, go, gh);
            ops.biasActivation(Activation.TANH, bt, h, bias, 3 * h, gates, go + 3 * h, gh);
            // C_t = F ⊙ C_{t-1} + I ⊙ C̃
            ops.mulBlock(bt, h, gates, go + h, gh, cs, prev, h, 0f, cs, cur, h);
            ops.mulBlock(bt, h, gates, go, gh, gates, go + 3 * h, gh, 1f, cs, cur, h);
            System.arraycopy(cs, cur, tanhC, prev, bh);
            ops.activation(Activation.TANH, bh, tanhC, prev);
            // H_t = O ⊙ tanh(C_t)
            ops.mulBlock(bt, h, gates, go + 2 * h, gh, tanhC, prev, h, 0f, hs, cur, h);
        }
        System.arraycopy(hs, steps * bh, state.part(0), 0, bh);
        System.arraycopy(cs, steps * bh, state.part(1), 0, bh);
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
        float[] cs = ws.floats(CS, 0);
        float[] tanhC = ws.floats(TANH_C, 0);
        float[] dA = ws.floats(DA, steps * bt * gh);
        float[] dPost = ws.floats(D_POST, bt * gh);
        float[] dNext = ws.floats(DH_NEXT, bh);
        float[] dC = ws.floats(DC, bh);
        float[] tmp = ws.floats(TMP, bh);
        float[] tmp2 = ws.floats(TMP2, bh);
        if (dState == null) {
            Arrays.fill(dNext, 0, bh, 0f);
            Arrays.fill(dC, 0, bh, 0f);
        } else {
            System.arraycopy(dState.part(0), 0, dNext, 0, bh);
            System.arraycopy(dState.part(1), 0, dC, 0, bh);
        }
        whStep.prepare(true, gh, h, wh.value(), 0, gh, steps);
        for (int t = steps; t >= 1; t--) {
            int o = (t - 1) * bh;      // this step's slot in [T, B, H] arrays (and C_{t-1} in cs)
            int go = (t - 1) * bt * gh;
            // dH_t = dOut_t + dH_{t+1} carried
            ops.axpy(bh, 1f, dNext, 0, dOutputs, o);
            // dC_t += dH_t ⊙ O ⊙ (1 − tanh²(C_t))
            ops.mulBlock(bt, h, dOutputs, o, h, gates, go + 2 * h, gh, 0f, tmp, 0, h);
            ops.activationBackward(Activation.TANH, bh, tanhC, o, tmp, 0, tmp2, 0);
            ops.axpy(bh, 1f, tmp2, 0, dC, 0);
            ops.mulBlock(bt, h, dC, 0, h, gates, go + 3 * h, gh, 0f, dPost, 0, gh);       // dI = dC ⊙ C̃
            ops.mulBlock(bt, h, dC, 0, h, cs, o, h, 0f, dPost, h, gh);                    // dF = dC ⊙ C_{t-1}
            ops.mulBlock(bt, h, dOutputs, o, h, tanhC, o, h, 0f, dPost, 2 * h, gh);       // dO = dH ⊙ tanh(C)
            ops.mulBlock(bt, h, dC, 0, h, gates, go, gh, 0f, dPost, 3 * h, gh);           // dC̃ = dC ⊙ I
            ops.mulBlock(bt, h, dC, 0, h, gates, go + h, gh, 0f, dC, 0, h);               // dC_{t-1} = dC ⊙ F
            ops.activationBackwardBlock(Activation.SIGMOID, bt, 3 * h, gates, go, gh, dPost, 0, gh, 0f, dA, go, gh);
            ops.activationBackwardBlock(Activation.TANH, bt, h, gates, go + 3 * h, gh, dPost, 3 * h, gh, 0f,
                    dA, go + 3 * h, gh);
            // dH_{t-1} = dA_t W_hᵀ
            whStep.multiply(bt, dA, go, gh, 0f, dNext, 0, h);
            if (GradientGroups.queuedAt(t, steps)) { // dW_h += H_{t-1}ᵀ·dA_t over the group, beside the rest
                ops.gemmBackground(true, false, h, gh, GradientGroups.STEPS * bt, hs, o, h, dA, go, gh,
                        wh.grad(), 0, gh);
            }
        }
        int rows = steps * bt;
        ops.sumRows(rows, gh, dA, 0, gh, b.grad(), 0);
        float[] dxs = inputBackward(rows, dA, DX);
        ops.awaitBackground();
        ops.gemm(true, false, h, gh, GradientGroups.last(steps) * bt, hs, 0, h, dA, 0, gh, 1f, wh.grad(), 0, gh);
        if (dState != null) {
            System.arraycopy(dNext, 0, dState.part(0), 0, bh);
            System.arraycopy(dC, 0, dState.part(1), 0, bh);
        }
        return dxs;
    }
}
