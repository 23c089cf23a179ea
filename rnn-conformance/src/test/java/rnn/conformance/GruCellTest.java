package rnn.conformance;

import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.testkit.CellContract;

/** The built-in Gru cell passes the kit a third-party cell passes. */
class GruCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return Cells.forName("gru");
    }
}
