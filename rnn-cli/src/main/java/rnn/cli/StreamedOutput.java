package rnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard output for text that is produced piece by piece, possibly without end ({@code rnn generate
 * --length 2000000000}): flushed at least every {@value #FLUSH_CHARS} characters or {@value #FLUSH_MILLIS}
 * ms, so that a reader sees it as it comes and nothing accumulates, and checked at every flush, because a
 * {@link PrintWriter} swallows write errors: once nobody reads any more (a closed pipe, {@code | head}) the
 * producer is ended with {@link Closed} instead of computing text for no one.
 */
final class StreamedOutput implements Appendable {

    static final int FLUSH_CHARS = 8192;
    static final long FLUSH_MILLIS = 100;

    /** The writer reported an error: its reader went away, or (for a file) the disk is full. */
    static final class Closed extends IOException {
        Closed() {
            super("standard output was closed");
        }
    }

    private final PrintWriter out;
    private int pending;
    private long lastFlush = System.nanoTime();

    StreamedOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public StreamedOutput append(CharSequence s) throws Closed {
        out.append(s);
        return written(s.length());
    }

    @Override
    public StreamedOutput append(CharSequence s, int start, int end) throws Closed {
        out.append(s, start, end);
        return written(end - start);
    }

    @Override
    public StreamedOutput append(char c) throws Closed {
        out.append(c);
        return written(1);
    }

    private StreamedOutput written(int chars) throws Closed {
        pending += chars;
        // nanoTime costs some 25 ns: nothing beside a forward pass per character.
        if (pending >= FLUSH_CHARS || System.nanoTime() - lastFlush >= FLUSH_MILLIS * 1_000_000) {
            flush();
        }
        return this;
    }

    /** Writes out what is pending. */
    void flush() throws Closed {
        if (out.checkError()) { // flushes, then reports any error since the writer was made
            throw new Closed();
        }
        pending = 0;
        lastFlush = System.nanoTime();
    }

    /**
     * Whether this process's standard output is a pipe or a socket, where a write error means that the reader
     * stopped reading (a normal end, as {@code | head} ends a stream), rather than a file or device that
     * failed (a full disk, {@code /dev/full}: an error to report). Linux shows it as the link
     * {@code /proc/self/fd/1 -> pipe:[…]}; where that cannot be read, a pipe is assumed.
     */
    static boolean toPipe() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }
}
