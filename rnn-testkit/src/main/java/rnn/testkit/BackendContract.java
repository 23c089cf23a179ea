package rnn.testkit;

import org.junit.jupiter.api.AfterAll;

import rnn.api.Backend;

/**
 * The whole contract a backend must pass to be called done: kernels at tail sizes, gradients by
 * property-based finite differences, agreement with the reference backend, loss and clipping
 * properties. A backend's test implements it:
 *
 * <pre>{@code
 * class MyBackendTest implements BackendContract {
 *     public Backend backend(int threads) { return Backends.create("mine", new BackendOptions(threads)); }
 * }
 * }</pre>
 *
 * The reference backend, {@code naive}, must be on the test class path.
 */
public interface BackendContract extends KernelContract, GradientContract, LossContract {

    @Override
    Backend backend(int threads);

    @AfterAll
    static void logFigures() {
        Report.log();
    }
}
