package rnn.conformance;

import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.testkit.CellContract;

/** The built-in Rnn cell passes the kit a third-party cell passes. */
class RnnCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return Cells.forName("rnn");
    }
}
