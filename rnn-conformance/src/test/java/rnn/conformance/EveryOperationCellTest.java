package rnn.conformance;

import java.util.List;
import java.util.Map;

import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Step.Var;
import rnn.api.cell.StepCell;
import rnn.testkit.CellContract;

/**
 * A cell made to use every operation of the step language at least once, so that the kit checks each
 * derivative the framework writes: add, sub, mul, oneMinus, the three activations, recurrent products
 * of one and of several blocks, slices of the input and of a computed value, and a state part that is
 * only copied ({@code output(1, h)}: the framework inserts a copy). ReLU is applied to a sigmoid, so
 * it is differentiated away from its kink; its zero branch is covered by the kernel contract.
 */
class EveryOperationCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return new CellProvider() {
            @Override
            public String name() {
                return "every-op";
            }

            @Override
            public String description() {
                return "a test cell that uses every operation of the step language";
            }

            @Override
            public List<String> gates() {
                return List.of("g", "r", "h");
            }

            @Override
            public List<String> stateParts() {
                return List.of("H", "H_prev");
            }

            @Override
            public Cell create(Map<String, Double> values) {
                return (StepCell) s -> {
                    Var x = s.input();
                    Var h = s.state(0);
                    Var a = s.add(s.blocks(x, 0, 2), s.recurrent(h, 0, 2));
                    Var g = s.sigmoid(s.gate(a, 0));
                    Var r = s.relu(s.sigmoid(s.gate(a, 1)));
                    Var candidate = s.tanh(s.add(s.gate(x, 2), s.recurrent(s.mul(g, s.state(1)), 2, 1)));
                    s.output(0, s.sub(candidate, s.mul(s.oneMinus(g), r)));
                    s.output(1, h);
                };
            }
        };
    }
}
