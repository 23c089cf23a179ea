package org.example.mgu;

import java.util.List;
import java.util.Map;

import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Step.Var;
import rnn.api.cell.StepCell;

/**
 * The minimal gated unit (Zhou et al. 2016), written as its forward step only; the framework derives
 * its backward through time:
 * <pre>
 * F = σ(X W_xf + H W_hf + b_f)      H̃ = tanh(X W_xh + (F ⊙ H) W_hh + b_h)      H' = (1 − F) ⊙ H + F ⊙ H̃
 * </pre>
 */
public final class MguCell implements CellProvider {

    @Override
    public String name() {
        return "mgu";
    }

    @Override
    public String description() {
        return "minimal gated unit (Zhou et al. 2016): one forget gate, one state H";
    }

    @Override
    public List<String> gates() {
        return List.of("f", "h");
    }

    @Override
    public List<String> stateParts() {
        return List.of("H");
    }

    @Override
    public Cell create(Map<String, Double> values) {
        return (StepCell) s -> {
            Var x = s.input(); // X W_x + b, gate blocks f|h
            Var h = s.state(0);
            Var f = s.sigmoid(s.add(s.gate(x, 0), s.recurrent(h, 0, 1)));
            Var candidate = s.tanh(s.add(s.gate(x, 1), s.recurrent(s.mul(f, h), 1, 1)));
            s.output(0, s.add(s.mul(s.oneMinus(f), h), s.mul(f, candidate)));
        };
    }
}
