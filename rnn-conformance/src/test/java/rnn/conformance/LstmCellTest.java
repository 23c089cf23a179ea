package rnn.conformance;

import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.testkit.CellContract;

/** The built-in Lstm cell passes the kit a third-party cell passes. */
class LstmCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return Cells.forName("lstm");
    }
}
