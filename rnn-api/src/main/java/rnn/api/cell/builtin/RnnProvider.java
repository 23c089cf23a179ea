package rnn.api.cell.builtin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.FusedCell;
import rnn.api.cell.StepCell;

/** d2l's tanh RNN, hand-fused ({@link RnnLayer}); its step form is {@link StepForms#rnn()}. */
public final class RnnProvider implements CellProvider {

    @Override
    public String name() {
        return "rnn";
    }

    @Override
    public String description() {
        return "d2l's RNN: H = tanh(X W_xh + H W_hh + b_h)";
    }

    @Override
    public List<String> gates() {
        return List.of("h");
    }

    @Override
    public List<String> stateParts() {
        return List.of("H");
    }

    @Override
    public Cell create(Map<String, Double> values) {
        return (FusedCell) RnnLayer::new;
    }

    @Override
    public Optional<StepCell> stepForm(Map<String, Double> values) {
        return Optional.of(StepForms.rnn());
    }
}
