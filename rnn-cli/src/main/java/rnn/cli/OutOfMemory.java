package rnn.cli;

import java.util.Locale;
import java.util.Map;

/**
 * The one line for an {@link OutOfMemoryError}: what ran out (the heap and its limit), where, and the two
 * remedies, smaller sizes or a larger heap through the launchers' {@code RNN_JAVA_OPTS} (both {@code ./rnn}
 * and the jlink image's {@code bin/rnn} pass it to {@code java}). Sizes the command can see coming are refused
 * before any work ({@code rnn.lm.train.MemoryEstimate}); this is for the rest, such as a corpus larger
 * than the heap or buffers the estimate does not count.
 */
final class OutOfMemory {

    /** Per command, the options that make it use less memory. */
    private static final Map<String, String> SMALLER = Map.of(
            "train", "a smaller --hidden, --layers, --batch, --steps or --max-tokens",
            "eval", "a smaller --max-tokens",
            "diagnose", "a smaller --hidden, --batch or --steps");

    private OutOfMemory() {
    }

    /** The {@link OutOfMemoryError} that {@code t} is or was caused by, or null. */
    static OutOfMemoryError in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError e) {
                return e;
            }
        }
        return null;
    }

    /**
     * {@code out of memory (Java heap space, heap max 5.2 GiB) in rnn train, at Workspace.floats: use … or raise the heap with
     * RNN_JAVA_OPTS=-Xmx11g}.
     *
     * @param command the subcommand's name, or null
     */
    static String message(String command, OutOfMemoryError e, long maxHeap) {
        String where = where(e);
        String smaller = command == null ? null : SMALLER.get(command);
        // Twice the heap is a guess, not a promise: the line says what to change, the user knows the machine.
        long suggested = Math.max(1, (long) Math.ceil(2.0 * maxHeap / (1L << 30)));
        return "out of memory (" + kind(e) + ", heap max " + size(maxHeap) + ") in rnn" + (command == null ? "" : " " + command) + (where == null ? "" : ", at " + where) + ": "
                + (smaller == null ? "" : "use " + smaller + ", or ") + "raise the heap with RNN_JAVA_OPTS=-Xmx" + suggested
                + "g";
    }

    /** A heap size as {@code -Xmx} reads it: MiB below a GiB, else GiB to one decimal. */
    static String size(long bytes) {
        return bytes < 1L << 30 ? (bytes >> 20) + " MiB" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** The JVM's own words for what ran out ("Java heap space", "GC overhead limit exceeded", …), shortened. */
    private static String kind(OutOfMemoryError e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "heap" : m.lines().findFirst().orElse(m);
    }

    /** The innermost frame of our own code, {@code Class.method}, or null if the error has no stack trace. */
    private static String where(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith("rnn.")) {
                String c = f.getClassName();
                return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
            }
        }
        return null;
    }
}
