package rnn.cli;

import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.BackendSelection;
import rnn.api.Backends;

/** Options every command that computes shares: backend, threads, verbosity. */
final class RunOptions {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend by name (else -Drnn.backend, else $RNN_BACKEND, else the best usable). See 'rnn backends'.")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "Backend worker threads (default: available cores).")
    Integer threads;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging and stack traces on errors.")
    boolean verbose;

    int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        return n;
    }

    Backend createBackend() {
        return createBackend(null, null);
    }

    /**
     * Creates the backend, taking {@code preferred} (may be null) when nothing names one: see
     * {@link Backends#select(String, String)}. {@code work} says what it is preferred for, in the debug line.
     */
    Backend createBackend(String preferred, String work) {
        if (verbose) {
            ConsoleLoggerFinder.threshold = System.Logger.Level.DEBUG;
        }
        BackendSelection selection = Backends.select(backend, preferred);
        if (verbose && selection.reason().startsWith("preferred")) {
            System.getLogger("rnn.backend").log(System.Logger.Level.DEBUG,
                    selection.chosen().name() + " backend, preferred for " + work + " (--backend to choose another)");
        }
        return selection.create(new BackendOptions(threads()));
    }
}
