package rnn.lm.train;

/** Why a {@link Trainer#run} stopped before its last epoch (see {@link TrainingListener#onStop}). */
public enum StopReason {

    /** {@link Trainer#requestStop()} was called, e.g. by the command line's SIGINT/SIGTERM hook. */
    REQUESTED,

    /** The training thread was interrupted ({@link Thread#interrupt()}, {@code Future.cancel(true)}). */
    INTERRUPTED
}
