package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import rnn.api.Backend;
import rnn.api.Hyperparameter;
import rnn.api.NamedProviders;
import rnn.api.cell.Cell;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.api.cell.FusedCell;
import rnn.api.cell.StepCell;
import rnn.api.cell.State;

/**
 * The conformance kit for a cell, as Lucene's {@code BasePostingsFormatTestCase} is for a codec: a
 * cell's test implements {@link #cell()} and inherits every check, run on every usable backend on the
 * test path (the reference backend, {@code naive}, must be one of them):
 *
 * <pre>{@code
 * class MguCellTest implements CellContract {
 *     public CellProvider cell() { return new MguProvider(); }
 * }
 * }</pre>
 *
 * Checks: gradients of every parameter, the input and the initial state against finite differences;
 * agreement of every backend and thread count with the reference; for a fused cell with a step form,
 * the hand-written backward against the derived one; continuity (state carried across two calls gives
 * one call over all the steps); identical numbers for a seed; token ids against one-hot rows;
 * well-formed names and hyperparameters. Tolerances and their reasons are in {@link NetChecks}. A
 * failure prints its seed and the command that reproduces it.
 */
public interface CellContract {

    /** The cell under test. */
    CellProvider cell();

    /** Hyperparameter values to test with; unset ones take their defaults. */
    default Map<String, ?> cellOptions() {
        return Map.of();
    }

    /** Relative agreement of a two-call forward with a one-call forward (see {@link #stateCarriedAcrossTwoCallsEqualsOneCall}). */
    double CONTINUITY_TOLERANCE = 1e-5;

    @AfterAll
    static void logFigures() {
        Report.log();
    }

    private Gen<NetCase> cases(int layersMax) {
        return NetChecks.cases(cell(), cellOptions(), layersMax);
    }

    /** Every usable backend on the test path, the reference first, with {@code threads} threads. */
    private static List<Backend> backends(int threads) {
        List<Backend> all = Fixtures.usableBackends(threads);
        if (!all.get(0).name().equals("naive")) {
            Fixtures.closeAll(all);
            throw new AssertionError("the reference backend 'naive' is not on the test path; add rnn-backend-naive as a test dependency");
        }
        return all;
    }

    @Test
    default void namesGatesAndHyperparametersAreWellFormed() {
        CellProvider p = cell();
        assertEquals(p.name(), NamedProviders.checkName("cell", p.name()));
        assertFalse(p.description().isBlank(), "a one-line description");
        assertFalse(p.description().contains("\n"), "a one-line description");
        assertFalse(p.gates().isEmpty(), "at least one gate");
        assertFalse(p.stateParts().isEmpty(), "at least one state part");
        Map<String, Double> defaults = Cells.resolve(p, Map.of());
        assertEquals(p.hyperparameters().size(), defaults.size());
        assertTrue(p.create(defaults) instanceof Cell);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cells.resolve(p, Map.of("no_such_setting", "1")));
        for (Hyperparameter h : p.hyperparameters()) {
            assertTrue(e.getMessage().contains(h.name()), () -> "the error lists " + h.name() + ": " + e.getMessage());
        }
    }

    @Test
    default void gradientsMatchCentralFiniteDifferencesOnEveryBackend() {
        KitSeed.check(getClass(), "cell " + cell().name(), "gradientsMatchCentralFiniteDifferencesOnEveryBackend", seed -> {
            List<Backend> backends = backends(1);
            try {
                for (Backend b : backends) {
                    qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 2)).withShrinkCycles(200)
                            .forAll(cases(2)).checkAssert(c -> NetChecks.gradients(b, c));
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    @Test
    default void everyBackendAndThreadCountAgreesWithTheReference() {
        KitSeed.check(getClass(), "cell " + cell().name(), "everyBackendAndThreadCountAgreesWithTheReference", seed -> {
            List<Backend> one = backends(1);
            List<Backend> two = backends(2);
            try {
                qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 4)).forAll(cases(2)).checkAssert(c -> {
                    NetCase.Gradients expected = c.new Instance(one.get(0)).gradients();
                    for (List<Backend> bs : List.of(one, two)) {
                        for (Backend b : bs.subList(1, bs.size())) {
                            NetChecks.agree(b.name() + "×" + b.threads() + " " + cell().name(), c, expected,
                                    c.new Instance(b).gradients());
                        }
                    }
                });
            } finally {
                Fixtures.closeAll(one);
                Fixtures.closeAll(two);
            }
        });
    }

    @Test
    default void handWrittenBackwardAgreesWithDerived() {
        CellProvider fused = cell();
        Map<String, Double> values = Cells.resolve(fused, cellOptions());
        Optional<StepCell> form = fused.stepForm(values);
        Assumptions.assumeTrue(form.isPresent() && fused.create(values) instanceof FusedCell,
                "only for a hand-written cell that also has a step form");
        CellProvider derived = Cells.stepFormOf(fused);
        KitSeed.check(getClass(), "cell " + cell().name(), "handWrittenBackwardAgreesWithDerived", seed -> {
            List<Backend> backends = backends(1);
            try {
                for (Backend b : backends) {
                    qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 4)).forAll(cases(2))
                            .checkAssert(c -> NetChecks.agree("derived " + fused.name() + " on " + b.name(), c,
                                    c.new Instance(b).gradients(), c.withCell(derived).new Instance(b).gradients()));
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    /**
     * Truncated BPTT carries the state from one call to the next: two forwards of T₁ and T₂ steps give
     * the outputs and final state of one forward of T₁ + T₂ steps. Not bit for bit: the input
     * projection is one GEMM over all rows, and a backend may take another kernel path for another row
     * count; {@value #CONTINUITY_TOLERANCE} relative to the largest value is several times the few
     * roundings that can differ.
     */
    @Test
    default void stateCarriedAcrossTwoCallsEqualsOneCall() {
        KitSeed.check(getClass(), "cell " + cell().name(), "stateCarriedAcrossTwoCallsEqualsOneCall", seed -> {
            List<Backend> backends = backends(1);
            try {
                for (Backend b : backends) {
                    qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 4)).forAll(cases(2))
                            .checkAssert(c -> continuity(b, c));
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    private static void continuity(Backend b, NetCase generated) {
        NetCase c = new NetCase(generated.cell(), generated.cellOptions(), generated.layers(), generated.batch(),
                generated.input(), generated.hidden(), Math.max(2, generated.steps()), generated.vocab(), 0,
                generated.embedding(), generated.seed());
        NetCase.Instance net = c.new Instance(b);
        int t1 = 1 + (int) Long.remainderUnsigned(c.seed(), c.steps() - 1);
        int t2 = c.steps() - t1;
        int rowIn = c.batch() * c.input();
        int rowOut = c.batch() * c.vocab();
        List<State> whole = copies(net.initial);
        net.net.forward(net.xs, null, c.steps(), whole);
        float[] expected = java.util.Arrays.copyOf(net.net.logits(), c.steps() * rowOut);
        List<State> split = copies(net.initial);
        net.net.forward(java.util.Arrays.copyOfRange(net.xs, 0, t1 * rowIn), null, t1, split);
        float[] actual = java.util.Arrays.copyOf(net.net.logits(), c.steps() * rowOut);
        net.net.forward(java.util.Arrays.copyOfRange(net.xs, t1 * rowIn, c.steps() * rowIn), null, t2, split);
        System.arraycopy(net.net.logits(), 0, actual, t1 * rowOut, t2 * rowOut);
        close("logits", c, expected, actual);
        for (int l = 0; l < whole.size(); l++) {
            for (int i = 0; i < whole.get(l).partCount(); i++) {
                close("final state " + l + "." + i, c, whole.get(l).part(i), split.get(l).part(i));
            }
        }
    }

    private static void close(String what, NetCase c, float[] expected, float[] actual) {
        double scale = 1e-3;
        for (float x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        double tol = CONTINUITY_TOLERANCE * scale;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                throw new AssertionError(what + " element " + i + ": one call " + expected[i] + ", two calls "
                        + actual[i] + " (tolerance " + tol + ") for " + c);
            }
        }
    }

    private static List<State> copies(List<State> states) {
        return states.stream().map(State::copy).toList();
    }

    @Test
    default void sameSeedGivesIdenticalNumbers() {
        KitSeed.check(getClass(), "cell " + cell().name(), "sameSeedGivesIdenticalNumbers", seed -> {
            List<Backend> backends = backends(1);
            try {
                for (Backend b : backends) {
                    qt().withFixedSeed(seed).withExamples(10).forAll(cases(2)).checkAssert(c ->
                            NetChecks.assertIdentical(c, c.new Instance(b).gradients(), c.new Instance(b).gradients()));
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }

    @Test
    default void tokenIdsGiveExactlyTheNumbersOfOneHotRows() {
        KitSeed.check(getClass(), "cell " + cell().name(), "tokenIdsGiveExactlyTheNumbersOfOneHotRows", seed -> {
            List<Backend> backends = backends(1);
            try {
                for (Backend b : backends) {
                    qt().withFixedSeed(seed).withExamples(Math.max(10, Fixtures.EXAMPLES / 8)).forAll(cases(2))
                            .checkAssert(c -> GradientContract.tokenIdsGiveOneHotNumbers(b, c));
                }
            } finally {
                Fixtures.closeAll(backends);
            }
        });
    }
}
