package rnn.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import rnn.api.Backend;
import rnn.api.BackendInfo;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;

/** Random data and tolerance-aware comparisons shared by the contracts. */
final class Fixtures {

    /** Unit roundoff of float32: the relative error of one correctly rounded operation. */
    static final double U = 0x1.0p-24;

    /** Sizes that exercise every vector tail for species of 2 to 16 lanes. */
    static final int[] TAIL_SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 511, 512, 513, 1025};

    /** Property examples per property; override with -Drnn.testkit.examples=N. */
    static final int EXAMPLES = Integer.getInteger("rnn.testkit.examples", 200);

    private Fixtures() {
    }

    static Backend reference() {
        return Backends.create("naive", new BackendOptions(1));
    }

    /**
     * Every usable backend on the test path with {@code threads} worker threads, the reference
     * ({@code naive}) first when it is there. The caller closes them ({@link #closeAll}).
     */
    static List<Backend> usableBackends(int threads) {
        List<Backend> all = new ArrayList<>();
        for (BackendInfo info : Backends.available()) {
            if (info.usable()) {
                all.add(Backends.create(info.name(), new BackendOptions(threads)));
            }
        }
        if (all.isEmpty()) {
            throw new AssertionError("no usable backend on the test path; add rnn-backend-naive as a test dependency");
        }
        all.sort(Comparator.comparing(b -> !b.name().equals("naive"))); // stable: the rest keep their priority order
        return all;
    }

    static void closeAll(List<Backend> backends) {
        backends.forEach(Backend::close);
    }

    static float[] gaussian(Rng rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (std * rng.nextGaussian());
        }
        return a;
    }

    static float[] uniform(Rng rng, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return a;
    }

    /** Fails unless |actual[i] - expected[i]| ≤ tolerance[i] for all i in range. */
    static void assertWithin(String what, float[] expected, float[] actual, int off, int n, double[] tolerance) {
        for (int i = 0; i < n; i++) {
            double diff = Math.abs((double) actual[off + i] - expected[off + i]);
            if (!(diff <= tolerance[i])) {
                fail(what + ": element " + i + " expected " + expected[off + i] + " got " + actual[off + i]
                        + " (|diff| " + diff + " > tolerance " + tolerance[i] + ")");
            }
        }
    }

    static void assertWithin(String what, float[] expected, float[] actual, int off, int n, double absTol, double relTol) {
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            tol[i] = absTol + relTol * Math.abs(expected[off + i]);
        }
        assertWithin(what, expected, actual, off, n, tol);
    }

    static double maxAbsDiff(float[] a, float[] b, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
