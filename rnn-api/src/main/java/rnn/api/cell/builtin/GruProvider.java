package rnn.api.cell.builtin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.FusedCell;
import rnn.api.cell.StepCell;

/** d2l's GRU, hand-fused ({@link GruLayer}); its step form is {@link StepForms#gru()}. */
public final class GruProvider implements CellProvider {

    @Override
    public String name() {
        return "gru";
    }

    @Override
    public String description() {
        return "d2l's gated recurrent unit: reset and update gates, one state H";
    }

    @Override
    public List<String> gates() {
        return List.of("r", "z", "h");
    }

    @Override
    public List<String> stateParts() {
        return List.of("H");
    }

    @Override
    public Cell create(Map<String, Double> values) {
        return (FusedCell) GruLayer::new;
    }

    @Override
    public Optional<StepCell> stepForm(Map<String, Double> values) {
        return Optional.of(StepForms.gru());
    }
}
