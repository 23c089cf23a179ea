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
        if (verbose) {
            ConsoleLoggerFinder.threshold = System.Logger.Level.DEBUG;
        }
        return Backends.select(backend).create(new BackendOptions(threads()));
    }
}
