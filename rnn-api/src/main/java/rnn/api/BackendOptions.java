package rnn.api;

/**
 * How to create a backend.
 *
 * @param threads worker threads to split kernels over, at least 1
 */
public record BackendOptions(int threads) {

    public BackendOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** One thread per available core. */
    public static BackendOptions defaults() {
        return new BackendOptions(Runtime.getRuntime().availableProcessors());
    }
}
