package rnn.api.cell.builtin;

import java.util.Arrays;

import rnn.api.cell.Step;
import rnn.api.cell.Step.Var;
import rnn.api.cell.StepCell;

/**
 * The built-in cells written in the step language, with the fused cells' gate order, so that the same
 * weights give the same function. The conformance kit checks each fused backward against the backward
 * derived from these; the benchmarks time them against the fused layers.
 */
public final class StepForms {

    private StepForms() {
    }

    /** {@code H = tanh(X W_xh + b_h + H W_hh)}. */
    public static StepCell rnn() {
        return s -> s.output(0, s.tanh(s.add(s.input(), s.recurrent(s.state(0), 0, 1))));
    }

    /** Gates r|z|h: {@code H̃ = tanh(X W_xh + b_h + (R ⊙ H) W_hh)}, {@code H = Z ⊙ H + (1 − Z) ⊙ H̃}. */
    public static StepCell gru() {
        return s -> {
            Var x = s.input();
            Var h = s.state(0);
            Var rz = s.sigmoid(s.add(s.blocks(x, 0, 2), s.recurrent(h, 0, 2)));
            Var r = s.gate(rz, 0);
            Var z = s.gate(rz, 1);
            Var candidate = s.tanh(s.add(s.gate(x, 2), s.recurrent(s.mul(r, h), 2, 1)));
            s.output(0, s.add(s.mul(z, h), s.mul(s.oneMinus(z), candidate)));
        };
    }

    /** Gates i|f|o|c: {@code C = F ⊙ C + I ⊙ C̃}, {@code H = O ⊙ tanh(C)}. */
    public static StepCell lstm(float forgetBias) {
        return new StepCell() {
            @Override
            public void step(Step s) {
                Var a = s.add(s.input(), s.recurrent(s.state(0), 0, 4));
                Var ifo = s.sigmoid(s.blocks(a, 0, 3));
                Var candidate = s.tanh(s.gate(a, 3));
                Var c = s.add(s.mul(s.gate(ifo, 1), s.state(1)), s.mul(s.gate(ifo, 0), candidate));
                s.output(0, s.mul(s.gate(ifo, 2), s.tanh(c)));
                s.output(1, c);
            }

            @Override
            public void initBias(float[] b, int hidden) {
                Arrays.fill(b, hidden, 2 * hidden, forgetBias);
            }
        };
    }
}
