package rnn.cli;

/**
 * Saves inside epochs, every N updates and/or every M minutes ({@code --checkpoint-every-steps},
 * {@code --checkpoint-every-minutes}), so that a long epoch loses at most that much work to a crash.
 */
final class Checkpoints {

    private final RunFiles files;
    private final long everySteps;
    private final long everyNanos;
    private long lastSave = System.nanoTime();

    Checkpoints(RunFiles files, long everySteps, double everyMinutes) {
        this.files = files;
        this.everySteps = everySteps;
        this.everyNanos = (long) (everyMinutes * 60e9);
    }

    /** After update {@code step} (batch {@code batch} of {@code epoch}): saves if one of the periods is up. */
    void afterStep(long step, int epoch, int batch) {
        boolean bySteps = everySteps > 0 && step % everySteps == 0;
        boolean byTime = everyNanos > 0 && System.nanoTime() - lastSave >= everyNanos;
        if (bySteps || byTime) {
            files.saveInsideEpoch(epoch, batch);
            saved();
        }
    }

    /** A save happened (here or at an epoch end): the time period restarts. */
    void saved() {
        lastSave = System.nanoTime();
    }
}
