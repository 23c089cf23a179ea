package rnn.api.nn;

/** The recurrent cells; each is written once, in {@code rnn.api.nn}, over {@link rnn.api.Backend} kernels. */
public enum CellType {
    /** d2l's {@code H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h)}. */
    RNN(1);

    private final int stateParts;

    CellType(int stateParts) {
        this.stateParts = stateParts;
    }

    /** How many state tensors the cell carries (RNN 1, LSTM 2). */
    public int stateParts() {
        return stateParts;
    }
}
