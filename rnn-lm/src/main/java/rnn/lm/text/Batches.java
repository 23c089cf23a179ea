package rnn.lm.text;

import java.util.AbstractList;
import java.util.Objects;

/**
 * The minibatches of one epoch, made on demand from the corpus rather than copied up front, so an epoch
 * costs the memory of one batch whatever the corpus size. Row {@code r} of batch {@code i} is the
 * {@code steps} tokens from {@link #start(int, int)}; its targets are the same window one token on.
 */
public final class Batches extends AbstractList<Batch> {

    private final TokenIds corpus;
    private final int batchSize;
    private final int numSteps;
    private final long offset;
    /** Random sampling: the shuffled subsequence numbers; null for sequential sampling. */
    private final int[] order;
    /** Sequential sampling: the length of each of the {@code batchSize} parallel streams. */
    private final long cols;
    private final int size;

    private Batches(TokenIds corpus, int batchSize, int numSteps, long offset, int[] order, long cols, int size) {
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.numSteps = numSteps;
        this.offset = offset;
        this.order = order;
        this.cols = cols;
        this.size = size;
    }

    /** Random sampling: batch i takes subsequences {@code order[i*batch .. (i+1)*batch)}, each {@code steps} long. */
    static Batches random(TokenIds corpus, int batchSize, int numSteps, long offset, int[] order) {
        return new Batches(corpus, batchSize, numSteps, offset, order, 0, order.length / batchSize);
    }

    /** Sequential sampling: {@code batchSize} parallel streams of {@code cols} tokens, read {@code steps} at a time. */
    static Batches sequential(TokenIds corpus, int batchSize, int numSteps, long offset, long cols) {
        long n = cols / numSteps;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " batches in one epoch are more than this trainer counts; use a"
                    + " larger --batch or --steps");
        }
        return new Batches(corpus, batchSize, numSteps, offset, null, cols, (int) n);
    }

    @Override
    public int size() {
        return size;
    }

    public int batchSize() {
        return batchSize;
    }

    public int numSteps() {
        return numSteps;
    }

    /** Where row {@code row} of batch {@code index} starts in the corpus. */
    public long start(int index, int row) {
        Objects.checkIndex(index, size);
        Objects.checkIndex(row, batchSize);
        return order != null
                ? offset + (long) order[index * batchSize + row] * numSteps
                : offset + row * cols + (long) index * numSteps;
    }

    @Override
    public Batch get(int index) {
        int[][] x = new int[batchSize][numSteps];
        int[][] y = new int[batchSize][numSteps];
        for (int r = 0; r < batchSize; r++) {
            long from = start(index, r);
            corpus.copyTo(from, x[r], 0, numSteps);
            corpus.copyTo(from + 1, y[r], 0, numSteps);
        }
        return new Batch(x, y);
    }

    /**
     * Writes batch {@code index} time-major, as the network reads it: {@code x[t * batch + r]} is row
     * {@code r}'s input at step {@code t}, {@code y} its target. Allocates nothing.
     */
    public void fillTimeMajor(int index, int[] x, int[] y) {
        int b = batchSize;
        if (x.length < b * numSteps || y.length < b * numSteps) {
            throw new IllegalArgumentException("time-major buffers need " + b * numSteps + " ids");
        }
        for (int r = 0; r < b; r++) {
            long from = start(index, r);
            for (int t = 0; t < numSteps; t++) {
                x[t * b + r] = corpus.get(from + t);
            }
            y[(numSteps - 1) * b + r] = corpus.get(from + numSteps);
            for (int t = 0; t < numSteps - 1; t++) {
                y[t * b + r] = x[(t + 1) * b + r];
            }
        }
    }
}
