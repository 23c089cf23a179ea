package rnn.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.opentest4j.TestAbortedException;

/**
 * The seed of the kit's generated cases, and the one line that reproduces a failure. The seed is
 * {@code -Drnn.kit.seed=S}, else drawn once per JVM; a failure is rethrown as one line naming the
 * plug-in, the check, the seed and the command that reruns exactly that check (the original failure
 * stays attached as the cause).
 */
final class KitSeed {

    static final String PROPERTY = "rnn.kit.seed";

    /** The seed of every generated case in this JVM. */
    static final long SEED = seed();

    private KitSeed() {
    }

    private static long seed() {
        String given = System.getProperty(PROPERTY);
        if (given == null || given.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be an integer, got '" + given + "'");
        }
    }

    interface Body {
        void run(long seed) throws Exception;
    }

    /**
     * Runs one check of {@code subject} (e.g. {@code cell mgu}) for the test class {@code testClass};
     * a failure becomes one line with the seed and the command.
     */
    static void check(Class<?> testClass, String subject, String test, Body body) {
        try {
            body.run(SEED);
        } catch (TestAbortedException skipped) {
            throw skipped;
        } catch (Throwable t) {
            throw new AssertionError(subject + ", " + test + ": " + oneLine(t) + " | seed " + SEED
                    + "; reproduce: " + reproduce(testClass, test), t);
        }
    }

    /**
     * The failure's message on one line, shortened. QuickTheories' report spans several lines and ends
     * with the cause's stack trace: only the cause's first line is kept.
     */
    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        int cause = m.indexOf("Cause was :-");
        if (cause >= 0) {
            String rest = m.substring(cause + "Cause was :-".length()).strip();
            int at = rest.indexOf("\tat ");
            m = m.substring(0, cause) + "cause: " + (at >= 0 ? rest.substring(0, at) : rest);
        } else if (t.getCause() != null && t.getCause().getMessage() != null && !m.contains(t.getCause().getMessage())) {
            m += "; cause: " + t.getCause().getMessage();
        }
        m = m.replaceAll("\\s*\\R\\s*", " ").strip();
        return m.length() > 1_500 ? m.substring(0, 1_497) + "..." : m;
    }

    /**
     * {@code ./build verify -pl MODULE -am -Dtest=CLASS#TEST ... -Drnn.kit.seed=S} in this project (the test
     * runs in its module's folder, below {@code build}); plain Maven elsewhere.
     */
    static String reproduce(Class<?> testClass, String test) {
        Path module = Path.of("").toAbsolutePath();
        String filter = "-Dtest=" + testClass.getSimpleName() + "#" + test;
        String seed = "-D" + PROPERTY + "=" + SEED;
        for (Path root = module.getParent(); root != null; root = root.getParent()) {
            if (Files.isRegularFile(root.resolve("build")) && Files.isRegularFile(root.resolve("pom.xml"))) {
                return "./build verify -pl " + root.relativize(module) + " -am " + filter
                        + " -Dsurefire.failIfNoSpecifiedTests=false " + seed;
            }
        }
        return "mvn verify " + filter + " -Dsurefire.failIfNoSpecifiedTests=false " + seed;
    }
}
