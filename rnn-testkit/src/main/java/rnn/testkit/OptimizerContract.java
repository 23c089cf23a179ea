package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.Hyperparameter;
import rnn.api.Parameter;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerKit.Trajectory;

/**
 * The whole contract an optimizer plug-in must pass, as Lucene's codec test cases: a test implements
 * one method and inherits every check.
 *
 * <pre>{@code
 * class LionTest implements OptimizerContract {
 *     public OptimizerProvider optimizer() { return new LionProvider(); }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>the update follows the provider's hand-computed {@link OptimizerProvider#example()} within its
 *       tolerance, on every backend on the test path;</li>
 *   <li>state saved with {@link Optimizer#state()} and restored into a fresh instance gives bit-identical
 *       next steps, and the saved state is a snapshot;</li>
 *   <li>every backend agrees with the reference backend ({@code naive}) within {@link #ROUNDING_ULPS} and
 *       {@link #UPDATE_TOLERANCE} (below);</li>
 *   <li>the same seed gives the same bits; steps leave gradients unchanged;</li>
 *   <li>{@link Optimizer#setLearningRate}/{@link Optimizer#learningRate} round-trip exactly in double, and bad
 *       rates are refused;</li>
 *   <li>name, description and hyperparameters are well formed, every default is accepted by
 *       {@link OptimizerProvider#create}, an unknown key is rejected, and the provider is registered, so
 *       {@link Optimizers#forName} finds it.</li>
 * </ul>
 *
 * Generated cases ({@link OptimizerKit.Trajectory}: 1-3 parameters of 1-70 elements, up to 9 steps with
 * gradients from 1e-3 to 10 and a scheduled learning rate) come from QuickTheories with one seed per run:
 * {@code -Drnn.kit.seed=S} repeats a run; a failure prints one line with the seed and the command that
 * reproduces it. {@code -Drnn.testkit.examples=N} sets the number of cases (default 200, of which each
 * property uses half). The reference backend, {@code naive}, must be on the test class path.
 */
public interface OptimizerContract {

    /** The provider under test. */
    OptimizerProvider optimizer();

    /**
     * Cross-backend tolerance, part 1: backends may round each kernel differently (a fused multiply-add
     * in {@code axpy}, another summation order), so every step may move an element by a few ulps of the
     * tensor's largest value: 8 units of float32 roundoff (u = 2⁻²⁴) per step, summed over the steps.
     */
    double ROUNDING_ULPS = 8;

    /**
     * Cross-backend tolerance, part 2: the same rounding differences also enter the state (moments,
     * accumulators), which carries them into later updates; relative to the step's largest update they
     * stay within some tens of u. 1e-4 of the largest update per step, summed over the steps, leaves a
     * margin of a hundred or more, while a wrong rule moves elements by a large fraction of an update.
     */
    double UPDATE_TOLERANCE = 1e-4;

    @AfterAll
    static void logFigures() {
        OptimizerKit.log();
    }

    @Test
    default void nameDescriptionAndHyperparametersAreWellFormed() {
        OptimizerKit.check(this, "nameDescriptionAndHyperparametersAreWellFormed", () -> {
            OptimizerProvider p = optimizer();
            assertNotNull(p, "optimizer()");
            assertTrue(p.name() != null && p.name().matches("[A-Za-z0-9_-]+"),
                    "name must be ASCII letters, digits, - and _: '" + p.name() + "'");
            String d = p.description();
            assertTrue(d != null && !d.isBlank() && !d.contains("\n") && !d.contains("\r"),
                    "description must be one non-blank line: '" + d + "'");
            List<Hyperparameter> hs = p.hyperparameters();
            assertNotNull(hs, "hyperparameters()");
            Set<String> names = new HashSet<>();
            for (Hyperparameter h : hs) {
                assertTrue(names.add(h.name()), "hyperparameter " + h.name() + " is declared twice");
                assertTrue(!h.description().isBlank() && !h.description().contains("\n"),
                        "hyperparameter " + h.name() + " needs a one-line description");
            }
        });
    }

    @Test
    default void isRegisteredSoThatItIsFoundByName() {
        OptimizerKit.check(this, "isRegisteredSoThatItIsFoundByName", () -> {
            OptimizerProvider p = optimizer();
            OptimizerProvider found = Optimizers.find(p.name()).orElseThrow(() -> new AssertionError(
                    "Optimizers.find(\"" + p.name() + "\") found nothing: declare 'provides rnn.api.optim.OptimizerProvider with "
                            + p.getClass().getName() + "' in module-info.java and list the class in "
                            + "META-INF/services/rnn.api.optim.OptimizerProvider; found: " + Optimizers.names()));
            assertEquals(p.getClass(), found.getClass(), "the provider found under " + p.name());
        });
    }

    @Test
    default void everyDefaultIsAcceptedAndAnUnknownKeyIsRejected() {
        OptimizerKit.check(this, "everyDefaultIsAcceptedAndAnUnknownKeyIsRejected", () -> {
            OptimizerProvider p = optimizer();
            Map<String, Double> defaults = OptimizerKit.values(p, Map.of());
            for (Hyperparameter h : p.hyperparameters()) {
                assertEquals(h.defaultValue(), defaults.get(h.name()), h.name());
                assertEquals(defaults, OptimizerKit.values(p, Map.of(h.name(), h.defaultValue())),
                        "giving " + h.name() + " its default changes nothing");
            }
            for (double lr : new double[] {1e-3, 0.1, 1}) {
                assertNotNull(p.create(lr, defaults), "create(" + lr + ", defaults)");
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OptimizerKit.values(p, Map.of("no_such_setting", 1.0)), "an unknown key");
            for (Hyperparameter h : p.hyperparameters()) {
                assertTrue(e.getMessage().contains(h.name()), "the message lists " + h.name() + ": " + e.getMessage());
            }
            // The example's values are declared ones, in range.
            OptimizerKit.values(p, p.example().values());
        });
    }

    @Test
    default void followsItsWorkedExampleOnEveryBackend() {
        OptimizerKit.check(this, "followsItsWorkedExampleOnEveryBackend", () -> {
            OptimizerProvider p = optimizer();
            OptimizerExample ex = p.example();
            assertNotNull(ex, "example()");
            List<Backend> backends = OptimizerKit.backends();
            try {
                for (Backend b : backends) {
                    Optimizer o = p.create(ex.learningRate(), OptimizerKit.values(p, ex.values()));
                    Parameter w = Parameter.zeros("w", ex.theta0().length);
                    System.arraycopy(ex.theta0(), 0, w.value(), 0, w.size());
                    for (float[] g : ex.gradients()) {
                        System.arraycopy(g, 0, w.grad(), 0, g.length);
                        o.step(b, List.of(w));
                    }
                    float[] expected = ex.expectedTheta();
                    for (int i = 0; i < expected.length; i++) {
                        double diff = Math.abs((double) w.value()[i] - expected[i]);
                        if (!(diff <= ex.tolerance())) {
                            throw new AssertionError("on " + b.name() + " element " + i + " is " + w.value()[i]
                                    + " after " + ex.gradients().size() + " steps, the example expects " + expected[i]
                                    + " (|diff| " + diff + " > " + ex.tolerance() + "); " + ex);
                        }
                    }
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    @Test
    default void restoredStateContinuesBitIdentically() {
        OptimizerKit.check(this, "restoredStateContinuesBitIdentically", () -> {
            OptimizerProvider p = optimizer();
            List<Backend> backends = OptimizerKit.backends();
            try {
                qt().withFixedSeed(OptimizerKit.SEED).withExamples(Math.max(10, Fixtures.EXAMPLES / 2))
                        .forAll(OptimizerKit.trajectories()).checkAssert(t -> {
                            for (Backend b : backends) {
                                restoredStateContinues(p, b, t);
                            }
                        });
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    private static void restoredStateContinues(OptimizerProvider p, Backend b, Trajectory t) {
        Map<String, Double> values = OptimizerKit.values(p, t.given(p));
        Optimizer first = p.create(t.learningRate(), values);
        List<Parameter> ps = t.parameters();
        for (int s = 0; s < t.before(); s++) {
            OptimizerKit.step(first, b, ps, t, s);
        }
        Map<String, float[]> saved = first.state();
        Map<String, float[]> copy = OptimizerKit.deepCopy(saved);
        Optimizer second = p.create(t.learningRate(), values);
        second.restore(saved);
        // The restored optimizer keeps copies: what the caller does with the arrays afterwards changes nothing.
        saved.values().forEach(a -> java.util.Arrays.fill(a, Float.NaN));
        Map<String, float[]> snapshot = first.state();
        List<Parameter> qs = t.parameters();
        for (int k = 0; k < ps.size(); k++) {
            System.arraycopy(ps.get(k).value(), 0, qs.get(k).value(), 0, ps.get(k).size());
        }
        for (int s = t.before(); s < t.steps(); s++) {
            OptimizerKit.step(first, b, ps, t, s);
            OptimizerKit.step(second, b, qs, t, s);
            OptimizerKit.assertSameBits("on " + b.name() + " after step " + (s + 1) + " of " + t
                    + ", the restored optimizer", OptimizerKit.values(ps), OptimizerKit.values(qs));
        }
        OptimizerKit.assertSameState("on " + b.name() + " at the end of " + t + ", the restored optimizer",
                first.state(), second.state());
        // state() is a snapshot: the original's later steps did not write into it.
        OptimizerKit.assertSameState("on " + b.name() + " for " + t + ", state() taken after " + t.before()
                + " steps, once more steps were taken", copy, snapshot);
        // and a restored optimizer reports what it was given, before any step (a checkpoint right after resuming).
        Optimizer third = p.create(t.learningRate(), values);
        third.restore(copy);
        OptimizerKit.assertSameState("on " + b.name() + " for " + t + ", state() of an optimizer just restored",
                copy, third.state());
    }

    @Test
    default void everyBackendAgreesWithTheReference() {
        OptimizerKit.check(this, "everyBackendAgreesWithTheReference", () -> {
            OptimizerProvider p = optimizer();
            List<Backend> backends = OptimizerKit.backends();
            try {
                Backend reference = backends.stream().filter(b -> b.name().equals("naive")).findFirst()
                        .orElseThrow(() -> new AssertionError("the reference backend 'naive' is not on the test path; "
                                + "add rnn-backend-naive as a test dependency"));
                List<Backend> others = new ArrayList<>(backends);
                others.remove(reference);
                assumeTrue(!others.isEmpty(), "only the reference backend is on the test path: nothing to compare");
                qt().withFixedSeed(OptimizerKit.SEED).withExamples(Math.max(10, Fixtures.EXAMPLES / 2))
                        .forAll(OptimizerKit.trajectories()).checkAssert(t -> {
                            for (Backend b : others) {
                                agreeWithReference(p, reference, b, t);
                            }
                        });
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    private static void agreeWithReference(OptimizerProvider p, Backend reference, Backend b, Trajectory t) {
        Map<String, Double> values = OptimizerKit.values(p, t.given(p));
        Optimizer ro = p.create(t.learningRate(), values);
        Optimizer bo = p.create(t.learningRate(), values);
        List<Parameter> rp = t.parameters();
        List<Parameter> bp = t.parameters();
        double[] tolerance = new double[rp.size()];
        double worstRatio = 0;
        double worstDiff = 0;
        float[][] before = OptimizerKit.values(rp);
        for (int s = 0; s < t.steps(); s++) {
            OptimizerKit.step(ro, reference, rp, t, s);
            OptimizerKit.step(bo, b, bp, t, s);
            float[][] expected = OptimizerKit.values(rp);
            float[][] actual = OptimizerKit.values(bp);
            for (int k = 0; k < expected.length; k++) {
                double largest = 0;
                double largestUpdate = 0;
                for (int i = 0; i < expected[k].length; i++) {
                    largest = Math.max(largest, Math.max(Math.abs(expected[k][i]), Math.abs(before[k][i])));
                    largestUpdate = Math.max(largestUpdate, Math.abs((double) expected[k][i] - before[k][i]));
                }
                tolerance[k] += ROUNDING_ULPS * Fixtures.U * largest + UPDATE_TOLERANCE * largestUpdate;
                for (int i = 0; i < expected[k].length; i++) {
                    double diff = Math.abs((double) actual[k][i] - expected[k][i]);
                    worstRatio = Math.max(worstRatio, diff / tolerance[k]);
                    worstDiff = Math.max(worstDiff, diff);
                    if (!(diff <= tolerance[k])) {
                        throw new AssertionError(b.name() + " differs from " + reference.name() + " after step " + (s + 1)
                                + " at p" + k + "[" + i + "]: " + actual[k][i] + " vs " + expected[k][i] + " (|diff| "
                                + diff + " > tolerance " + tolerance[k] + ") for " + t);
                    }
                }
            }
            before = expected;
        }
        OptimizerKit.crossBackend(p.name() + " on " + b.name(), worstRatio, worstDiff);
    }

    @Test
    default void theSameSeedGivesTheSameBits() {
        OptimizerKit.check(this, "theSameSeedGivesTheSameBits", () -> {
            OptimizerProvider p = optimizer();
            List<Backend> backends = OptimizerKit.backends();
            try {
                qt().withFixedSeed(OptimizerKit.SEED).withExamples(Math.max(10, Fixtures.EXAMPLES / 4))
                        .forAll(OptimizerKit.trajectories()).checkAssert(t -> {
                            for (Backend b : backends) {
                                Map<String, Double> values = OptimizerKit.values(p, t.given(p));
                                Optimizer one = p.create(t.learningRate(), values);
                                Optimizer two = p.create(t.learningRate(), values);
                                List<Parameter> ps = t.parameters();
                                List<Parameter> qs = t.parameters();
                                for (int s = 0; s < t.steps(); s++) {
                                    OptimizerKit.step(one, b, ps, t, s);
                                    OptimizerKit.step(two, b, qs, t, s);
                                    OptimizerKit.assertSameBits("on " + b.name() + " after step " + (s + 1) + " of " + t
                                            + ", a second run", OptimizerKit.values(ps), OptimizerKit.values(qs));
                                }
                                OptimizerKit.assertSameState("on " + b.name() + " after " + t + ", a second run",
                                        one.state(), two.state());
                            }
                        });
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    @Test
    default void theLearningRateRoundTripsExactlyAndBadRatesAreRefused() {
        OptimizerKit.check(this, "theLearningRateRoundTripsExactlyAndBadRatesAreRefused", () -> {
            OptimizerProvider p = optimizer();
            Map<String, Double> defaults = OptimizerKit.values(p, Map.of());
            for (double lr : new double[] {0.1, 1e-3, 2e-3, 1.0 / 3, Math.nextUp(0.1), 0.7, 1, 3e-4}) {
                assertEquals(lr, p.create(lr, defaults).learningRate(), 0.0, "create(" + lr + ").learningRate()");
            }
            Optimizer o = p.create(0.5, defaults);
            qt().withFixedSeed(OptimizerKit.SEED).withExamples(Math.max(10, Fixtures.EXAMPLES / 2))
                    .forAll(doubles().between(0, 10)).checkAssert(lr -> {
                        o.setLearningRate(lr);
                        assertEquals(lr, o.learningRate(), 0.0, "setLearningRate(" + lr + ") then learningRate()");
                    });
            o.setLearningRate(0);
            assertEquals(0.0, o.learningRate(), 0.0, "a schedule may reach 0");
            for (double bad : new double[] {-1e-9, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertThrows(IllegalArgumentException.class, () -> o.setLearningRate(bad), "setLearningRate(" + bad + ")");
            }
            for (double bad : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThrows(IllegalArgumentException.class, () -> p.create(bad, defaults), "create(" + bad + ", defaults)");
            }
        });
    }
}
