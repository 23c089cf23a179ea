package rnn.lm.text;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects what the library logs to {@code rnn.lm} (System.Logger goes to java.util.logging on the test
 * class path) instead of printing it, for as long as it is open.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("rnn.lm");
    private final Level oldLevel = logger.getLevel();
    private final boolean oldParents = logger.getUseParentHandlers();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    LogCapture() {
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** Every message so far, as its level and text: {@code "WARNING: ..."}. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    void clear() {
        lines.clear();
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(r.getLevel() + ": " + formatter.formatMessage(r));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(oldLevel);
        logger.setUseParentHandlers(oldParents);
    }
}
