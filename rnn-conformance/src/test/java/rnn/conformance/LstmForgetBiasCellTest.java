package rnn.conformance;

import java.util.Map;

import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.testkit.CellContract;

/** The LSTM with a hyperparameter set: forget-gate bias 1 starts F open, in both its forms. */
class LstmForgetBiasCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return Cells.forName("lstm");
    }

    @Override
    public Map<String, ?> cellOptions() {
        return Map.of("forget_bias", 1.0);
    }
}
