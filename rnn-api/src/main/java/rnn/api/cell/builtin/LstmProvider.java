package rnn.api.cell.builtin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;
import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.FusedCell;
import rnn.api.cell.StepCell;

/** d2l's LSTM, hand-fused ({@link LstmLayer}); its step form is {@link StepForms#lstm(float)}. */
public final class LstmProvider implements CellProvider {

    static final String FORGET_BIAS = "forget_bias";

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String description() {
        return "d2l's long short-term memory: input, forget and output gates, states H and C";
    }

    @Override
    public List<String> gates() {
        return List.of("i", "f", "o", "c");
    }

    @Override
    public List<String> stateParts() {
        return List.of("H", "C");
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(new Hyperparameter(FORGET_BIAS, 0, Range.FINITE,
                "initial forget-gate bias b_f (d2l 0; Jozefowicz et al. advise 1)"));
    }

    @Override
    public Cell create(Map<String, Double> values) {
        float forgetBias = values.get(FORGET_BIAS).floatValue();
        return (FusedCell) spec -> new LstmLayer(spec, forgetBias);
    }

    @Override
    public Optional<StepCell> stepForm(Map<String, Double> values) {
        return Optional.of(StepForms.lstm(values.get(FORGET_BIAS).floatValue()));
    }
}
