package rnn.cli;

import java.io.PrintWriter;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Routes the libraries' {@link System.Logger} output to stderr as one short line per message
 * ({@code warning: ...}), instead of java.util.logging's two-line records. Levels below INFO show
 * only with {@code --verbose}. {@link Main#run} points {@link #err} at its own error writer while it
 * runs, so that these lines go where its {@code error:} line goes.
 */
public final class ConsoleLoggerFinder extends System.LoggerFinder {

    static volatile System.Logger.Level threshold = System.Logger.Level.INFO;
    static volatile PrintWriter err = new PrintWriter(System.err, true);

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new ConsoleLogger(name);
    }

    private record ConsoleLogger(String name) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                print(prefix(level) + msg + (thrown == null ? "" : ": " + thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
                print(prefix(level) + msg);
            }
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                print(prefix(level) + msgSupplier.get());
            }
        }

        private static void print(String line) {
            PrintWriter w = err;
            w.println(line);
            w.flush();
        }

        private static String prefix(Level level) {
            return switch (level) {
                case ERROR -> "error: ";
                case WARNING -> "warning: ";
                case INFO -> "info: ";
                default -> "debug: ";
            };
        }
    }
}
