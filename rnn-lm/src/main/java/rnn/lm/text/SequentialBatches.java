package rnn.lm.text;

/** d2l's {@code seq_data_iter_sequential} with the offset given. */
final class SequentialBatches {

    private SequentialBatches() {}

    /**
     * {@code num_tokens = ((len - offset - 1) // batch) * batch}; {@code Xs = corpus[offset:
     * offset + num_tokens]} and {@code Ys} one further, reshaped to [batch][cols]; batch i is columns
     * {@code [i*steps, (i+1)*steps)}.
     */
    static Batches epoch(TokenIds corpus, int batchSize, int numSteps, long offset) {
        Sampling.checkShape(batchSize, numSteps);
        if (offset < 0 || offset >= corpus.length()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the corpus of " + corpus.length());
        }
        long cols = (corpus.length() - offset - 1) / batchSize;
        if (cols / numSteps == 0) {
            throw new IllegalArgumentException("the corpus has " + corpus.length() + " tokens, too few for one"
                    + " sequential batch of " + batchSize + " x " + numSteps + " at offset " + offset + ": at least "
                    + ((long) batchSize * numSteps + offset + 1) + " are needed");
        }
        return Batches.sequential(corpus, batchSize, numSteps, offset, cols);
    }

    static Batches batches(int[] corpus, int batchSize, int numSteps, int offset) {
        return epoch(TokenIds.of(corpus), batchSize, numSteps, offset);
    }
}
