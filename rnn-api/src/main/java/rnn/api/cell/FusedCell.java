package rnn.api.cell;

/**
 * A cell with hand-written forward and backward over a whole sequence, as the built-in RNN, GRU and
 * LSTM are: the fastest form, and the most work to write.
 */
public non-sealed interface FusedCell extends Cell {

    /** A new layer with freshly initialised parameters. */
    RecurrentLayer layer(LayerSpec spec);
}
