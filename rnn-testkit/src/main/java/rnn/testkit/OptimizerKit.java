package rnn.testkit;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.quicktheories.core.Gen;

import rnn.api.Backend;
import rnn.api.Hyperparameter;
import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;

/**
 * What {@link OptimizerContract} runs on: the seed, one-line failures that say how to reproduce them,
 * generated training trajectories, and the figures logged after each contract class.
 */
final class OptimizerKit {

    /** The seed of every generated case, see {@link KitSeed}. */
    static final long SEED = KitSeed.SEED;

    private static final System.Logger LOG = System.getLogger("rnn.testkit");
    /** per provider: [trajectories compared across backends, largest difference / tolerance, largest absolute difference] */
    private static final Map<String, double[]> FIGURES = new TreeMap<>();

    private OptimizerKit() {
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs one contract check; a failure becomes one line (see {@link KitSeed#check}). */
    static void check(OptimizerContract contract, String test, Body body) {
        String name;
        try {
            name = contract.optimizer().name();
        } catch (RuntimeException e) {
            name = contract.getClass().getSimpleName();
        }
        KitSeed.check(contract.getClass(), "optimizer " + name, test, seed -> body.run());
    }

    /** Every usable backend on the test path, each with one thread. The caller closes them. */
    static List<Backend> backends() {
        return Fixtures.usableBackends(1);
    }


    /** The provider's hyperparameters resolved from {@code given}. */
    static Map<String, Double> values(OptimizerProvider p, Map<String, ?> given) {
        return Hyperparameter.resolve(Optimizers.owner(p), p.hyperparameters(), given);
    }

    /**
     * A generated training run: 1-3 parameters of 1-70 elements (vector tails weighted up), some steps
     * before a checkpoint and some after, a base learning rate that each step scales by a factor in
     * [0.25, 1] (as a schedule would), the default hyperparameters or the worked example's values, and a
     * seed for the values themselves.
     */
    record Trajectory(int[] sizes, int before, int after, double learningRate, boolean exampleValues, long seed) {

        int steps() {
            return before + after;
        }

        /** Fresh parameters {@code p0, p1, ...} with values ~ N(0, 1). */
        List<Parameter> parameters() {
            Rng rng = new Rng(seed);
            List<Parameter> ps = new ArrayList<>();
            for (int k = 0; k < sizes.length; k++) {
                Parameter p = Parameter.zeros("p" + k, sizes[k]);
                for (int i = 0; i < sizes[k]; i++) {
                    p.value()[i] = (float) rng.nextGaussian();
                }
                ps.add(p);
            }
            return ps;
        }

        /**
         * The gradients of step {@code s} (0-based): N(0, 1) times a scale of 1e-3, 0.1, 1 or 10 chosen per
         * step, with about one element in ten exactly zero.
         */
        float[][] gradients(int s) {
            Rng rng = new Rng(seed ^ (0x9E3779B97F4A7C15L * (s + 1)));
            double[] scales = {1e-3, 0.1, 1, 10};
            double scale = scales[rng.nextInt(scales.length)];
            float[][] g = new float[sizes.length][];
            for (int k = 0; k < sizes.length; k++) {
                g[k] = new float[sizes[k]];
                for (int i = 0; i < sizes[k]; i++) {
                    g[k][i] = rng.nextDouble() < 0.1 ? 0f : (float) (scale * rng.nextGaussian());
                }
            }
            return g;
        }

        /** The rate of step {@code s}: the base rate times a factor in [0.25, 1]. */
        double learningRate(int s) {
            Rng rng = new Rng(~seed ^ (0xC2B2AE3D27D4EB4FL * (s + 1)));
            return learningRate * (0.25 + 0.75 * rng.nextDouble());
        }

        Map<String, ?> given(OptimizerProvider p) {
            return exampleValues ? p.example().values() : Map.of();
        }

        @Override
        public String toString() {
            return "Trajectory[sizes=" + Arrays.toString(sizes) + ", " + before + " step(s) then " + after
                    + ", lr=" + learningRate + ", " + (exampleValues ? "the example's values" : "defaults")
                    + ", data seed=" + seed + "]";
        }
    }

    static Gen<Trajectory> trajectories() {
        Gen<Integer> count = integers().between(1, 3);
        Gen<Integer> size = integers().between(1, 70).mix(arbitrary().pick(1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65), 40);
        Gen<Integer> before = integers().between(1, 5);
        Gen<Integer> after = integers().between(1, 4);
        Gen<Double> lr = doubles().between(1e-3, 0.5);
        Gen<Boolean> exampleValues = booleans().all();
        Gen<Long> seed = longs().all();
        return in -> {
            int[] sizes = new int[count.generate(in)];
            for (int k = 0; k < sizes.length; k++) {
                sizes[k] = size.generate(in);
            }
            return new Trajectory(sizes, before.generate(in), after.generate(in), lr.generate(in),
                    exampleValues.generate(in), seed.generate(in));
        };
    }

    /**
     * Takes step {@code s} of {@code t}: sets the gradients and the step's learning rate, steps, and
     * checks that the gradients were left unchanged (as {@link Optimizer#step} promises).
     */
    static void step(Optimizer o, Backend b, List<Parameter> ps, Trajectory t, int s) {
        float[][] g = t.gradients(s);
        for (int k = 0; k < ps.size(); k++) {
            System.arraycopy(g[k], 0, ps.get(k).grad(), 0, g[k].length);
        }
        o.setLearningRate(t.learningRate(s));
        o.step(b, ps);
        for (int k = 0; k < ps.size(); k++) {
            if (!Arrays.equals(g[k], ps.get(k).grad())) {
                throw new AssertionError("step " + (s + 1) + " on " + b.name() + " changed the gradient of "
                        + ps.get(k).name() + " (" + t + ")");
            }
        }
    }

    /** Copies of every parameter's values. */
    static float[][] values(List<Parameter> ps) {
        float[][] v = new float[ps.size()][];
        for (int k = 0; k < ps.size(); k++) {
            v[k] = ps.get(k).value().clone();
        }
        return v;
    }

    /** Fails unless the values are the same bits. */
    static void assertSameBits(String what, float[][] expected, float[][] actual) {
        for (int k = 0; k < expected.length; k++) {
            for (int i = 0; i < expected[k].length; i++) {
                if (Float.floatToRawIntBits(expected[k][i]) != Float.floatToRawIntBits(actual[k][i])) {
                    throw new AssertionError(what + ": p" + k + "[" + i + "] is " + actual[k][i] + ", not " + expected[k][i]);
                }
            }
        }
    }

    /** Fails unless both states hold the same keys with the same bits. */
    static void assertSameState(String what, Map<String, float[]> expected, Map<String, float[]> actual) {
        if (!new TreeMap<>(expected).keySet().equals(new TreeMap<>(actual).keySet())) {
            throw new AssertionError(what + ": state keys " + new TreeMap<>(actual).keySet() + ", expected "
                    + new TreeMap<>(expected).keySet());
        }
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            float[] a = actual.get(e.getKey());
            if (!Arrays.equals(e.getValue(), a)) {
                throw new AssertionError(what + ": state " + e.getKey() + " is " + Arrays.toString(a) + ", expected "
                        + Arrays.toString(e.getValue()));
            }
        }
    }

    static Map<String, float[]> deepCopy(Map<String, float[]> state) {
        Map<String, float[]> m = new LinkedHashMap<>();
        state.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    static synchronized void crossBackend(String optimizer, double ratio, double diff) {
        double[] f = FIGURES.computeIfAbsent(optimizer, k -> new double[3]);
        f[0]++;
        f[1] = Math.max(f[1], ratio);
        f[2] = Math.max(f[2], diff);
    }

    static synchronized void log() {
        FIGURES.forEach((name, f) -> LOG.log(Level.INFO, String.format(
                "optimizer contract figures for %s: %d trajectories compared across backends, largest difference "
                        + "%.3g absolute, %.3g of its tolerance (seed %d)", name, (long) f[0], f[2], f[1], SEED)));
        FIGURES.clear();
    }
}
