package rnn.testkit;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the figures a contract run is judged by (cases run, worst gradient-check error, largest
 * cross-backend difference) and logs them after each contract class.
 */
final class Report {

    private static final System.Logger LOG = System.getLogger("rnn.testkit");
    private static final Map<String, double[]> FIGURES = new TreeMap<>();

    private Report() {
    }

    /** figures: [gradient checks, worst relative error, cross-backend cases, largest abs diff, largest rel diff] */
    private static double[] of(String backend) {
        return FIGURES.computeIfAbsent(backend, k -> new double[5]);
    }

    static synchronized void gradientCheck(String backend, double relativeError) {
        double[] f = of(backend);
        f[0]++;
        f[1] = Math.max(f[1], relativeError);
    }

    static synchronized void crossBackend(String backend, NetCase.Gradients expected, NetCase.Gradients actual) {
        double[] f = of(backend);
        f[2]++;
        List<float[]> e = expected.all(), a = actual.all();
        for (int i = 0; i < e.size(); i++) {
            float[] ei = e.get(i), ai = a.get(i);
            double scale = 1e-3;
            for (float x : ei) {
                scale = Math.max(scale, Math.abs(x));
            }
            double diff = Fixtures.maxAbsDiff(ei, ai, ei.length);
            f[3] = Math.max(f[3], diff);
            f[4] = Math.max(f[4], diff / scale);
        }
    }

    static synchronized void log() {
        FIGURES.forEach((backend, f) -> LOG.log(Level.INFO, String.format(
                "contract figures for %s: %d directional gradient checks, worst relative error %.3g; "
                        + "%d cross-backend cases, largest gradient difference %.3g absolute, %.3g relative to the tensor",
                backend, (long) f[0], f[1], (long) f[2], f[3], f[4])));
        FIGURES.clear(); // each test class reports its own figures
    }
}
