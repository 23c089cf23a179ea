package rnn.cli;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Routes the libraries' {@link System.Logger} output to stderr as one short line per message
 * ({@code warning: ...}), instead of java.util.logging's two-line records. Levels below INFO show
 * only with {@code --verbose}.
 */
public final class ConsoleLoggerFinder extends System.LoggerFinder {

    static volatile System.Logger.Level threshold = System.Logger.Level.INFO;
    static volatile PrintStream err = System.err;

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
                err.println(prefix(level) + msg + (thrown == null ? "" : ": " + thrown));
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
                err.println(prefix(level) + msg);
            }
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            if (isLoggable(level)) {
                err.println(prefix(level) + msgSupplier.get());
            }
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
