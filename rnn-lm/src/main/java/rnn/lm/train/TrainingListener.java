package rnn.lm.train;

/** Progress callbacks, called on the training thread between updates. */
public interface TrainingListener {

    /** After each update: {@code done} of {@code total} batches of the epoch, running perplexity. */
    default void onBatch(int epoch, int done, int total, double runningPerplexity, double tokensPerSecond) {
    }

    default void onEpoch(EpochStats stats) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
