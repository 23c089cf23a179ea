package rnn.lm.text;

import java.util.Arrays;

/** d2l's {@code seq_data_iter_random} with the offset and the shuffled start order given. */
final class RandomBatches {

    private RandomBatches() {}

    /** How many subsequences of {@code numSteps} (plus one target) fit after {@code offset}: {@code num_subseqs}. */
    static int count(long corpusLength, int numSteps, long offset) {
        long n = Math.max(0, (corpusLength - offset - 1) / numSteps);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " subsequences of " + numSteps + " steps are more than one epoch"
                    + " can order; use more --steps");
        }
        return (int) n;
    }

    /** {@code list(range(0, num_subseqs * num_steps, num_steps))}, before shuffling. */
    static int[] initialIndices(int corpusLength, int numSteps, int offset) {
        int[] starts = new int[count(corpusLength, numSteps, offset)];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = i * numSteps;
        }
        return starts;
    }

    /**
     * The epoch of {@code seq_data_iter_random} after {@code corpus = corpus[offset:]}: batch i takes the
     * subsequences numbered {@code order[i*batch : (i+1)*batch]}; a last incomplete batch is dropped.
     * Shuffling subsequence numbers gives the same order as shuffling d2l's start indices: Fisher-Yates
     * moves positions, not values.
     *
     * @param order a permutation of {@code 0 .. count-1}
     */
    static Batches epoch(TokenIds corpus, int batchSize, int numSteps, long offset, int[] order) {
        Sampling.checkShape(batchSize, numSteps);
        if (offset < 0 || offset >= corpus.length()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the corpus of " + corpus.length());
        }
        if (order.length / batchSize == 0) {
            throw new IllegalArgumentException("the corpus has " + corpus.length() + " tokens, too few for one"
                    + " random batch of " + batchSize + " x " + numSteps + " at offset " + offset + ": at least "
                    + ((long) batchSize * numSteps + offset + 1) + " are needed");
        }
        return Batches.random(corpus, batchSize, numSteps, offset, order);
    }

    /**
     * As {@link #epoch} with d2l's start indices rather than subsequence numbers.
     *
     * @param initialIndices a permutation of {@link #initialIndices}
     */
    static Batches batches(int[] corpus, int batchSize, int numSteps, int offset, int[] initialIndices) {
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
        int[] order = new int[initialIndices.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = initialIndices[i] / numSteps;
        }
        return epoch(TokenIds.of(corpus), batchSize, numSteps, offset, order);
    }
}
