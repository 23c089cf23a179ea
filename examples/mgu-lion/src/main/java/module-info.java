/** A user's own plug-ins: the MGU cell and the Lion optimizer. Depends on the SPI only. */
module org.example.mgu {
    requires rnn.api;

    provides rnn.api.cell.CellProvider with org.example.mgu.MguCell;
    provides rnn.api.optim.OptimizerProvider with org.example.lion.Lion;
}
