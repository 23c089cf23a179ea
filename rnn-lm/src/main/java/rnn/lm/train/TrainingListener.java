package rnn.lm.train;

/** Progress callbacks, called on the training thread between updates. */
public interface TrainingListener {

    /** After each update: {@code done} of {@code total} batches of the epoch, running perplexity. */
    default void onBatch(int epoch, int done, int total, double runningPerplexity, double tokensPerSecond) {
    }

    default void onEpoch(EpochStats stats) {
    }

    /** After a validation inside an epoch ({@link TrainingConfig#valEverySteps()}), before that step's {@link #onBatch}. */
    default void onValidation(StepStats stats) {
    }

    /**
     * The run is stopping before its last epoch, {@code completedEpochs} epochs done. The epoch in progress
     * has been rolled back to where the run entered it, or kept up to the last update with
     * {@link Trainer#keepPartialEpochOnStop}; either way a checkpoint saved now resumes exactly. Called once,
     * just before {@link Trainer#run} returns false.
     */
    default void onStop(StopReason reason, int completedEpochs) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
