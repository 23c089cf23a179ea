package rnn.api.cell;

import java.util.Arrays;

/**
 * The recurrent state of one layer for a batch: one {@code [batch, hidden]} block per state tensor
 * (one for RNN and GRU: H; two for LSTM: H and C). It holds values only; there is no graph behind it,
 * so carrying it to the next minibatch is the d2l "detach": gradients never flow past a batch.
 */
public final class State {

    private final int batch;
    private final int hidden;
    private final float[][] parts;

    public State(int parts, int batch, int hidden) {
        if (parts < 1 || batch < 1 || hidden < 1) {
            throw new IllegalArgumentException("state needs parts, batch and hidden ≥ 1, got "
                    + parts + ", " + batch + ", " + hidden);
        }
        this.batch = batch;
        this.hidden = hidden;
        this.parts = new float[parts][batch * hidden];
    }

    public int batch() {
        return batch;
    }

    public int hidden() {
        return hidden;
    }

    public int partCount() {
        return parts.length;
    }

    /** The live {@code [batch, hidden]} array of part {@code i} (0 is the hidden state H). */
    public float[] part(int i) {
        return parts[i];
    }

    /** Part {@code i} as a {@code [batch, hidden]} view. */
    public rnn.api.Tensor tensor(int i) {
        return rnn.api.Tensor.of(parts[i], batch, hidden);
    }

    public void zero() {
        for (float[] p : parts) {
            Arrays.fill(p, 0f);
        }
    }

    public void copyFrom(State other) {
        if (other.parts.length != parts.length || other.batch != batch || other.hidden != hidden) {
            throw new IllegalArgumentException("state shapes differ");
        }
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(other.parts[i], 0, parts[i], 0, parts[i].length);
        }
    }

    public State copy() {
        State s = new State(parts.length, batch, hidden);
        s.copyFrom(this);
        return s;
    }
}
