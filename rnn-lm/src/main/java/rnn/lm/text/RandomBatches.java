package rnn.lm.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** d2l's {@code seq_data_iter_random} with the offset and the shuffled start order given. */
final class RandomBatches {

    private RandomBatches() {}

    /** {@code list(range(0, num_subseqs * num_steps, num_steps))}, before shuffling. */
    static int[] initialIndices(int corpusLength, int numSteps, int offset) {
        int numSubseqs = (corpusLength - offset - 1) / numSteps;
        int[] starts = new int[Math.max(numSubseqs, 0)];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = i * numSteps;
        }
        return starts;
    }

    /**
     * After {@code corpus = corpus[offset:]}, batch i takes the subsequences starting at
     * {@code initialIndices[i*batch : (i+1)*batch]}; a last incomplete batch is dropped.
     *
     * @param initialIndices a permutation of {@link #initialIndices}
     */
    static List<Batch> batches(int[] corpus, int batchSize, int numSteps, int offset, int[] initialIndices) {
        Sampling.checkShape(batchSize, numSteps);
        if (offset < 0 || offset >= corpus.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside the corpus of " + corpus.length);
        }
        int[] expected = initialIndices(corpus.length, numSteps, offset);
        int[] sorted = initialIndices.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(sorted, expected)) {
            throw new IllegalArgumentException("the initial indices must be a permutation of 0, " + numSteps
                    + ", ..., " + (expected.length - 1L) * numSteps);
        }
        int numBatches = expected.length / batchSize;
        if (numBatches == 0) {
            throw new IllegalArgumentException("the corpus has " + corpus.length + " tokens, too few for one"
                    + " random batch of " + batchSize + " x " + numSteps + " at offset " + offset + ": at least "
                    + ((long) batchSize * numSteps + offset + 1) + " are needed");
        }
        List<Batch> out = new ArrayList<>(numBatches);
        for (int b = 0; b < numBatches; b++) {
            int[][] x = new int[batchSize][numSteps];
            int[][] y = new int[batchSize][numSteps];
            for (int r = 0; r < batchSize; r++) {
                int from = offset + initialIndices[b * batchSize + r];
                System.arraycopy(corpus, from, x[r], 0, numSteps);
                System.arraycopy(corpus, from + 1, y[r], 0, numSteps);
            }
            out.add(new Batch(x, y));
        }
        return List.copyOf(out);
    }
}
