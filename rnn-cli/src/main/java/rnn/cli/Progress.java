package rnn.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr (epoch, perplexity, tokens/s, ETA), redrawn at most 5 times a
 * second, and only when stderr is a terminal so that logs and pipes stay clean.
 */
final class Progress {

    private final PrintWriter err;
    private final int epochs;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int firstEpoch = -1;
    private boolean drawn;

    Progress(PrintWriter err, int epochs) {
        this.err = err;
        this.epochs = epochs;
        this.enabled = System.console() != null && System.console().isTerminal();
    }

    void batch(int epoch, int done, int total, double ppl, double tps) {
        if (!enabled) {
            return;
        }
        if (firstEpoch < 0) {
            firstEpoch = epoch;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        double fraction = (epoch - 1 + (double) done / total) / epochs;
        double doneHere = (epoch - firstEpoch + (double) done / total);
        double perEpoch = (now - start) / 1e9 / Math.max(1e-9, doneHere);
        double eta = perEpoch * (epochs - epoch + 1 - (double) done / total);
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        err.printf(Locale.ROOT, "\r[%s%s] epoch %d/%d  ppl %.3f  %,.0f tok/s  ETA %s ",
                "=".repeat(filled), " ".repeat(width - filled), epoch, epochs, ppl, tps, time(eta));
        err.flush();
        drawn = true;
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
