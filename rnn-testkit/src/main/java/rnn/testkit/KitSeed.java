package rnn.testkit;

import java.util.function.LongConsumer;

/**
 * The seed of a property run, and the one line that reproduces a failure. A run draws a fresh seed
 * unless {@code -Drnn.kit.seed=S} fixes it; a failure is rethrown with its seed and the command that
 * reruns exactly the failing case.
 */
final class KitSeed {

    static final String PROPERTY = "rnn.kit.seed";

    private KitSeed() {
    }

    /** Runs {@code body} with the run's seed; a failure names the seed and the command. */
    static void run(Class<?> testClass, String test, LongConsumer body) {
        String fixed = System.getProperty(PROPERTY);
        long seed = fixed != null ? Long.parseLong(fixed.strip()) : System.nanoTime() * 0x9E3779B97F4A7C15L;
        try {
            body.accept(seed);
        } catch (AssertionError | RuntimeException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new AssertionError("FAILED " + testClass.getSimpleName() + "." + test + " with seed " + seed
                    + "; reproduce: ./build verify -Dtest=" + testClass.getSimpleName() + "#" + test
                    + " -D" + PROPERTY + "=" + seed + " -Dsurefire.failIfNoSpecifiedTests=false -- " + first, e);
        }
    }
}
