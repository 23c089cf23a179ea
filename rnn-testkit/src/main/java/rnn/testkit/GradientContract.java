package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;

/**
 * Backpropagation through time is right on this backend, for the built-in cells: analytic gradients
 * match central finite differences for every parameter, the input and the initial state, on generated
 * shapes; and the backend agrees with the reference on whole forward and backward passes. Tolerances
 * and their reasons are in {@link NetChecks}; {@link CellContract} is the same suite seen from a cell.
 */
public interface GradientContract {

    Backend backend(int threads);

    private String backendName() {
        try (Backend b = backend(1)) {
            return b.name();
        }
    }

    /** The built-in cells, by name. */
    List<String> BUILT_IN_CELLS = List.of("rnn", "gru", "lstm");

    /** Generated problems of any built-in cell, see {@link NetChecks#cases}. */
    private static Gen<NetCase> anyBuiltInCell(int layersMax) {
        Gen<String> cell = arbitrary().pick(BUILT_IN_CELLS);
        return in -> NetChecks.cases(Cells.forName(cell.generate(in)), Map.of(), layersMax).generate(in);
    }

    @Test
    default void rnnGradientsMatchCentralFiniteDifferences() {
        checkGradients("rnn", "rnnGradientsMatchCentralFiniteDifferences");
    }

    @Test
    default void gruGradientsMatchCentralFiniteDifferences() {
        checkGradients("gru", "gruGradientsMatchCentralFiniteDifferences");
    }

    @Test
    default void lstmGradientsMatchCentralFiniteDifferences() {
        checkGradients("lstm", "lstmGradientsMatchCentralFiniteDifferences");
    }

    private void checkGradients(String cell, String test) {
        KitSeed.check(getClass(), "backend " + backendName(), test, seed -> {
            try (Backend b = backend(1)) {
                qt().withFixedSeed(seed).withExamples(Fixtures.EXAMPLES).withShrinkCycles(200)
                        .forAll(NetChecks.cases(Cells.forName(cell), Map.of(), 2))
                        .checkAssert(c -> NetChecks.gradients(b, c));
            }
        });
    }

    @Test
    default void rnnForwardAndBackwardAgreeWithReference() {
        agreeWithReference("rnn", "rnnForwardAndBackwardAgreeWithReference");
    }

    @Test
    default void gruForwardAndBackwardAgreeWithReference() {
        agreeWithReference("gru", "gruForwardAndBackwardAgreeWithReference");
    }

    @Test
    default void lstmForwardAndBackwardAgreeWithReference() {
        agreeWithReference("lstm", "lstmForwardAndBackwardAgreeWithReference");
    }

    private void agreeWithReference(String cell, String test) {
        KitSeed.check(getClass(), "backend " + backendName(), test, seed -> {
            try (Backend ref = Fixtures.reference(); Backend b1 = backend(1); Backend b2 = backend(2)) {
                qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 4))
                        .forAll(NetChecks.cases(Cells.forName(cell), Map.of(), 2)).checkAssert(c -> {
                            NetCase.Gradients expected = c.new Instance(ref).gradients();
                            for (Backend sut : List.of(b1, b2)) {
                                NetChecks.agree(sut.name() + " " + cell, c, expected, c.new Instance(sut).gradients());
                            }
                        });
            }
        });
    }

    /**
     * Token ids are one-hot rows without the matrix: the loss and every parameter and state gradient
     * come out exactly equal, not merely close, because the dense products only add exact zeros
     * besides the one term the lookup takes.
     */
    @Test
    default void tokenIdsGiveExactlyTheNumbersOfOneHotRows() {
        KitSeed.check(getClass(), "backend " + backendName(), "tokenIdsGiveExactlyTheNumbersOfOneHotRows", seed -> {
            try (Backend b = backend(1)) {
                qt().withFixedSeed(seed).withExamples(Math.max(20, Fixtures.EXAMPLES / 4)).forAll(anyBuiltInCell(2))
                        .checkAssert(c -> tokenIdsGiveOneHotNumbers(b, c));
            }
        });
    }

    /** The check of {@link #tokenIdsGiveExactlyTheNumbersOfOneHotRows} for one case. */
    static void tokenIdsGiveOneHotNumbers(Backend b, NetCase c) {
        NetCase.Instance net = c.new Instance(b);
        Rng rng = new Rng(c.seed() ^ 0x9E3779B97F4A7C15L);
        int[] tokens = new int[c.steps() * c.batch()];
        java.util.Arrays.fill(net.xs, 0f);
        for (int r = 0; r < tokens.length; r++) {
            tokens[r] = rng.nextInt(c.input());
            net.xs[r * c.input() + tokens[r]] = 1f;
        }
        NetCase.Gradients rows = net.gradients();
        NetCase.Gradients ids = net.gradients(tokens);
        assertEquals(rows.loss(), ids.loss(), 0, () -> "loss for " + c);
        List<float[]> e = rows.parameters(), a = ids.parameters();
        for (int i = 0; i < e.size(); i++) {
            NetChecks.assertExactlyEqual(e.get(i), a.get(i), "gradient of parameter " + i + " for " + c);
        }
        for (int i = 0; i < rows.states().size(); i++) {
            NetChecks.assertExactlyEqual(rows.states().get(i), ids.states().get(i), "state gradient " + i + " for " + c);
        }
    }

    /**
     * Backward on 2 threads gives every gradient of 1 thread bit for bit, for the hand-written cells and
     * their step forms, over step counts that end inside, at, and past a queued weight-gradient group.
     */
    @Test
    default void twoThreadsGiveTheGradientsOfOneBitForBit() {
        try (Backend one = backend(1); Backend two = backend(2)) {
            for (String name : BUILT_IN_CELLS) {
                CellProvider fused = Cells.forName(name);
                for (CellProvider cell : List.of(fused, Cells.stepFormOf(fused))) {
                    for (int steps : new int[] {1, 3, 4, 5, 8, 11}) {
                        NetCase c = new NetCase(cell, Map.of(), 2, 5, 13, 37, steps, 11, 0, 0, 7 + steps);
                        NetChecks.assertIdentical(c, c.new Instance(one).gradients(), c.new Instance(two).gradients());
                    }
                }
            }
        }
    }

    @Test
    default void sameSeedSameBackendGivesIdenticalNumbers() {
        try (Backend b = backend(1)) {
            for (String name : BUILT_IN_CELLS) {
                CellProvider cell = Cells.forName(name);
                NetCase c = new NetCase(cell, Map.of(), 2, 4, 13, 17, 6, 11, 0.3, name.equals("gru") ? 5 : 0, 42);
                NetChecks.assertIdentical(c, c.new Instance(b).gradients(), c.new Instance(b).gradients());
            }
        }
    }
}
