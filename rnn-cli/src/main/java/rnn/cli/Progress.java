package rnn.cli;

import java.io.PrintWriter;
import java.util.Locale;

import rnn.lm.train.StepStats;

/**
 * Training progress on stderr. On a terminal, a one-line bar (epoch, perplexity, tokens/s, ETA) redrawn at
 * most 5 times a second. Elsewhere (a log file, a pipe, a batch job) one plain line at most every
 * {@code --log-every} seconds (and one at the first batch), so that a long epoch never goes silent and a
 * log stays readable.
 */
final class Progress {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final int epochs;
    private final boolean terminal;
    private final long logEveryNanos;
    private final long start = System.nanoTime();
    private long last;
    private int firstEpoch = -1;
    private double firstFraction;
    private boolean drawn;
    private boolean logged;
    private StepStats lastValidation;

    Progress(PrintWriter err, int epochs, double logEverySeconds) {
        this(err, epochs, logEverySeconds, System.console() != null && System.console().isTerminal());
    }

    Progress(PrintWriter err, int epochs, double logEverySeconds, boolean terminal) {
        this.err = err;
        this.epochs = epochs;
        this.terminal = terminal;
        this.logEveryNanos = (long) (logEverySeconds * 1e9);
        this.last = start;
    }

    void validation(StepStats s) {
        lastValidation = s;
    }

    void batch(int epoch, int done, int total, double ppl, double tps) {
        double inEpoch = (double) done / total;
        if (firstEpoch < 0) {
            firstEpoch = epoch;
            firstFraction = (done - 1.0) / total; // a resumed run starts inside its epoch
        }
        long now = System.nanoTime();
        boolean first = !logged;
        logged = true;
        // Off a terminal the first batch is logged at once, so a log shows when training really started.
        if (!(first && !terminal) && now - last < (terminal ? REDRAW_NANOS : logEveryNanos) && (done < total || !terminal)) {
            return;
        }
        last = now;
        double doneHere = Math.max(1e-9, epoch - firstEpoch + inEpoch - firstFraction);
        double perEpoch = (now - start) / 1e9 / doneHere;
        double etaEpoch = perEpoch * (1 - inEpoch);
        double eta = perEpoch * (epochs - epoch + 1 - inEpoch);
        if (terminal) {
            double fraction = (epoch - 1 + inEpoch) / epochs;
            int width = 24;
            int filled = (int) Math.round(fraction * width);
            err.printf(Locale.ROOT, "\r[%s%s] epoch %d/%d  ppl %.3f  %,.0f tok/s  ETA %s ",
                    "=".repeat(filled), " ".repeat(width - filled), epoch, epochs, ppl, tps, time(eta));
            drawn = true;
        } else {
            // The first batch's time is mostly warm-up: no ETA from it.
            err.printf(Locale.ROOT, "progress: epoch %d/%d  batch %,d/%,d (%.1f%%)  ppl %.3f  %,.0f tok/s  %s%s%n",
                    epoch, epochs, done, total, 100 * inEpoch, ppl, tps,
                    first ? "started" : "ETA epoch " + time(etaEpoch) + ", run " + time(eta),
                    lastValidation == null ? "" : String.format(Locale.ROOT, "  val %.3f (step %,d)",
                            lastValidation.valPerplexity(), lastValidation.step()));
        }
        err.flush();
    }

    void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
            drawn = false;
        }
    }

    private static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
