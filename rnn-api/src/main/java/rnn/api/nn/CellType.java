package rnn.api.nn;

/** The recurrent cells; each is written once, in {@code rnn.api.nn}, over {@link rnn.api.Backend} kernels. */
public enum CellType {
    /** d2l's {@code H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h)}. */
    RNN(1),
    /**
     * d2l's gated recurrent unit: reset gate R, update gate Z, candidate H̃ from {@code R ⊙ H_{t-1}},
     * {@code H_t = Z ⊙ H_{t-1} + (1 − Z) ⊙ H̃}. One state part, H.
     */
    GRU(1),
    /**
     * d2l's long short-term memory: input, forget and output gates and the memory cell,
     * {@code C_t = F ⊙ C_{t-1} + I ⊙ C̃}, {@code H_t = O ⊙ tanh(C_t)}. Two state parts: H (0) and C (1).
     */
    LSTM(2);

    private final int stateParts;

    CellType(int stateParts) {
        this.stateParts = stateParts;
    }

    /** How many state tensors the cell carries (RNN and GRU 1: H; LSTM 2: H and C). */
    public int stateParts() {
        return stateParts;
    }
}
