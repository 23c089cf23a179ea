package rnn.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import rnn.lm.train.Trainer;

/**
 * Ctrl-C or SIGTERM during training: the JVM runs this hook, which asks the trainer to stop at the
 * next batch boundary, waits until the command has saved a resumable checkpoint, then exits 130.
 * A shutdown hook needs no unsupported signal API, so it also works in a minimal jlink image.
 */
final class Interruption {

    private static final long SAVE_TIMEOUT_SECONDS = 120;

    private final CountDownLatch saved = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    private Interruption(Trainer trainer) {
        hook = new Thread(() -> {
            signalled = true;
            trainer.requestStop();
            try {
                saved.await(SAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(TrainCommand.INTERRUPTED);
        }, "rnn-interrupt");
    }

    static Interruption install(Trainer trainer) {
        Interruption i = new Interruption(trainer);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** The command has written what it had to; an exit from here on is not an interruption. */
    void done() {
        saved.countDown();
        if (!signalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived just now: the hook exits 130 as soon as it sees the latch
            }
        }
    }
}
