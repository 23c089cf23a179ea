package rnn.api.internal;

import rnn.api.Backend;

/**
 * How backward through time cuts the recurrent weight gradient, {@code dW_h = Σ_t H_{t-1}ᵀ·dA_t}, into
 * groups of steps queued with {@link Backend#gemmBackground} as backward finishes them, so that a backend
 * with a spare thread computes them beside the steps still to go. Every layer and every backend adds the
 * groups in the same order (the latest steps first, the group of step 1 last, after
 * {@link Backend#awaitBackground}), so the bits do not depend on the thread count.
 */
public final class GradientGroups {

    /**
     * Steps per queued product: one is as large as four step products, enough to keep the spare thread
     * busy while the caller does the next four steps alone.
     */
    public static final int STEPS = 4;

    private GradientGroups() {
    }

    /** Whether backward, having just finished step t (1-based, counting down), queues the group starting at t. */
    public static boolean queuedAt(int t, int steps) {
        return t > 1 && (steps - t + 1) % STEPS == 0;
    }

    /** Steps 1 .. this are the group not queued, which backward adds after awaiting the queued ones. */
    public static int last(int steps) {
        int r = steps % STEPS;
        return r == 0 ? STEPS : r;
    }
}
