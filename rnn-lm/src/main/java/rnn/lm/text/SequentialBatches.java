package rnn.lm.text;

import java.util.ArrayList;
import java.util.List;

/** d2l's {@code seq_data_iter_sequential} with the offset given. */
final class SequentialBatches {

    private SequentialBatches() {}

    /**
     * {@code num_tokens = ((len - offset - 1) // batch) * batch}; {@code Xs = corpus[offset:
     * offset + num_tokens]} and {@code Ys} one further, reshaped to [batch][cols]; batch i is columns
     * {@code [i*steps, (i+1)*steps)}.
     */
    static List<Batch> batches(int[] corpus, int batchSize, int numSteps, int offset) {
        Sampling.checkShape(batchSize, numSteps);
        if (offset < 0 || offset >= corpus.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside the corpus of " + corpus.length);
        }
        int cols = (corpus.length - offset - 1) / batchSize;
        int numBatches = cols / numSteps;
        if (numBatches == 0) {
            throw new IllegalArgumentException("the corpus has " + corpus.length + " tokens, too few for one"
                    + " sequential batch of " + batchSize + " x " + numSteps + " at offset " + offset + ": at least "
                    + ((long) batchSize * numSteps + offset + 1) + " are needed");
        }
        List<Batch> out = new ArrayList<>(numBatches);
        for (int b = 0; b < numBatches; b++) {
            int[][] x = new int[batchSize][numSteps];
            int[][] y = new int[batchSize][numSteps];
            for (int r = 0; r < batchSize; r++) {
                int from = offset + r * cols + b * numSteps;
                System.arraycopy(corpus, from, x[r], 0, numSteps);
                System.arraycopy(corpus, from + 1, y[r], 0, numSteps);
            }
            out.add(new Batch(x, y));
        }
        return List.copyOf(out);
    }
}
