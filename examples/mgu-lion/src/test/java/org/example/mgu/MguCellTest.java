package org.example.mgu;

import rnn.api.cell.CellProvider;
import rnn.testkit.CellContract;

/** The whole cell kit, inherited: gradients, backends, continuity, determinism. */
class MguCellTest implements CellContract {

    @Override
    public CellProvider cell() {
        return new MguCell();
    }
}
