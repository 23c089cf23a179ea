package rnn.lm.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * One minibatch of token ids, shaped [batch][steps]: {@code y} is {@code x} shifted by one token,
 * the next-token targets.
 */
public record Batch(int[][] x, int[][] y) {

    public Batch {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("x and y need the same non-zero batch size, got " + x.length
                    + " and " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length == 0 || x[i].length != x[0].length || y[i].length != x[0].length) {
                throw new IllegalArgumentException("every row of x and y needs the same non-zero number of steps");
            }
        }
    }

    public int batchSize() {
        return x.length;
    }

    public int numSteps() {
        return x[0].length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && Arrays.deepEquals(x, b.x) && Arrays.deepEquals(y, b.y);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(x) + Arrays.deepHashCode(y);
    }

    @Override
    public String toString() {
        return "Batch[x=" + Arrays.deepToString(x) + ", y=" + Arrays.deepToString(y) + "]";
    }
}
