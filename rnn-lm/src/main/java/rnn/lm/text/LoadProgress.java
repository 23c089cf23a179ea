package rnn.lm.text;

import java.util.Locale;

/**
 * Says how far loading a corpus has got, at most once per interval, so that a log is never silent for
 * long while a gigabyte streams by; and once at the end, with what was loaded and how fast. A small
 * corpus loads in well under one interval and says nothing but a DEBUG line.
 */
final class LoadProgress {

    /** From this size on, the closing line of a load is INFO: a user waited for it. */
    static final long BIG = 16L << 20;
    static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    private final String source;
    private final long size;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private long passStarted;
    private long passBytes;
    private long lastLog;
    private String what = "";
    private int pass;
    private int passes;
    /** Passes actually begun: a cache found after hashing makes 1 of a planned 3. */
    private int begun;

    LoadProgress(String source, long size, long intervalNanos) {
        this.source = source;
        this.size = size;
        this.intervalNanos = intervalNanos;
        this.lastLog = started;
    }

    /** Starts pass {@code number} of {@code of} over the file, doing {@code what} (e.g. "counting tokens"). */
    void pass(int number, int of, String doing) {
        pass = number;
        passes = of;
        begun++;
        what = doing;
        passStarted = System.nanoTime();
        passBytes = 0;
    }

    /** Records {@code n} more bytes read, logging if an interval has passed since the last line. */
    void advance(long n) {
        passBytes += n;
        long now = System.nanoTime();
        if (now - lastLog >= intervalNanos) {
            lastLog = now;
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
                    "%s: %s (pass %d of %d), %,.0f of %,.0f MB, %,.0f MB/s", source, what, pass, passes,
                    passBytes / 1e6, size / 1e6, mbPerSecond(passBytes, now - passStarted)));
        }
    }

    /** The closing line: what was loaded, into what storage, and how long it took. */
    void done(long tokens, int vocabularySize, int width, String storage) {
        long elapsed = System.nanoTime() - started;
        LOG.log(size >= BIG ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, String.format(Locale.ROOT,
                "%s: %,d tokens, vocabulary %,d, %d byte(s) per id %s; %,.1f MB loaded in %.1f s (%,.0f MB/s, %d pass(es))",
                source, tokens, vocabularySize, width, storage, size / 1e6, elapsed / 1e9,
                mbPerSecond(size, elapsed), begun));
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
    }
}
