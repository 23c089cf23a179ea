package rnn.lm.train;

/** Progress callbacks, called on the training thread between updates. */
public interface TrainingListener {

    /** After each update: {@code done} of {@code total} batches of the epoch, running perplexity. */
    default void onBatch(int epoch, int done, int total, double runningPerplexity, double tokensPerSecond) {
    }

    default void onEpoch(EpochStats stats) {
    }

    /**
     * The run is stopping before its last epoch, {@code completedEpochs} epochs done: the epoch in progress,
     * if any, has been rolled back, so the trainer is as it was at the end of epoch {@code completedEpochs}
     * and a checkpoint saved now resumes exactly. Called once, just before {@link Trainer#run} returns false.
     */
    default void onStop(StopReason reason, int completedEpochs) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
