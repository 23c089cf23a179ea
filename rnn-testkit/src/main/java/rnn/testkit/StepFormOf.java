package rnn.testkit;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;

/** A fused cell seen through its step form: same name, gates, state parts and settings, derived backward. */
record StepFormOf(CellProvider fused) implements CellProvider {

    @Override
    public String name() {
        return fused.name();
    }

    @Override
    public String description() {
        return "the step form of " + fused.name();
    }

    @Override
    public List<String> gates() {
        return fused.gates();
    }

    @Override
    public List<String> stateParts() {
        return fused.stateParts();
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return fused.hyperparameters();
    }

    @Override
    public Cell create(Map<String, Double> values) {
        return fused.stepForm(values).orElseThrow();
    }
}
