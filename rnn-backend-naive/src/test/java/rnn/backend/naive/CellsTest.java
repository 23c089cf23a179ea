package rnn.backend.naive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.api.cell.Cells;
import rnn.api.cell.Init;
import rnn.api.cell.State;
import rnn.api.nn.RecurrentNet;

class CellsTest {

    static RecurrentNet.Builder net(String cell) {
        return RecurrentNet.builder().setBackend(Backends.create("naive", new BackendOptions(1))).setInputSize(5).setHiddenSize(4)
                .setOutputSize(5).optCell(cell).optSeed(3);
    }

    static Parameter param(RecurrentNet n, String name) {
        return n.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void stateShapes() {
        assertEquals(1, Cells.forName("rnn").stateParts().size());
        assertEquals(1, Cells.forName("gru").stateParts().size());
        assertEquals(2, Cells.forName("lstm").stateParts().size());
        for (String c : List.of("rnn", "gru", "lstm")) {
            List<State> s = net(c).optLayers(2).build().newStates(3);
            assertEquals(2, s.size());
            for (State st : s) {
                assertEquals(Cells.forName(c).stateParts().size(), st.partCount());
                assertEquals(3, st.batch());
                assertEquals(4, st.hidden());
                assertEquals(12, st.part(st.partCount() - 1).length);
            }
        }
    }

    @Test
    void fusedParameterShapesAndNames() {
        RecurrentNet lstm = net("lstm").optLayers(2).build();
        assertEquals(List.of("l0.W_x", "l0.W_h", "l0.b", "l1.W_x", "l1.W_h", "l1.b", "W_hq", "b_q"),
                lstm.parameters().stream().map(Parameter::name).toList());
        assertArrayEquals(new int[] {5, 16}, param(lstm, "l0.W_x").shape());
        assertArrayEquals(new int[] {4, 16}, param(lstm, "l1.W_x").shape());
        assertArrayEquals(new int[] {4, 16}, param(lstm, "l0.W_h").shape());
        RecurrentNet gru = net("gru").build();
        assertArrayEquals(new int[] {5, 12}, param(gru, "W_x").shape());
        assertArrayEquals(new int[] {4, 12}, param(gru, "W_h").shape());
        assertArrayEquals(new int[] {12}, param(gru, "b").shape());
    }

    @Test
    void lstmForgetBiasOneShowsInTheParameters() {
        RecurrentNet n = net("lstm").optLayers(2).optCellOptions(Map.of("forget_bias", 1)).build();
        for (String name : List.of("l0.b", "l1.b")) {
            float[] b = param(n, name).value();
            for (int j = 0; j < 16; j++) {
                // gate order i|f|o|c: the second block of H = 4 is the forget gate
                assertEquals(j >= 4 && j < 8 ? 1f : 0f, b[j], name + "[" + j + "]");
            }
        }
        float[] zero = param(net("lstm").build(), "b").value();
        assertArrayEquals(new float[16], zero);
        assertThrows(IllegalArgumentException.class, () -> net("gru").optCellOptions(Map.of("forget_bias", 1)).build());
    }

    @Test
    void stepFormsStartFromTheFusedCellsWeightsSettingsIncluded() {
        for (String cell : List.of("rnn", "gru", "lstm")) {
            Map<String, ?> options = cell.equals("lstm") ? Map.of("forget_bias", 1) : Map.of();
            RecurrentNet fused = net(cell).optLayers(2).optCellOptions(options).build();
            RecurrentNet derived = net(cell).optLayers(2).optCell(Cells.stepFormOf(Cells.forName(cell)))
                    .optCellOptions(options).build();
            assertEquals(fused.parameters().size(), derived.parameters().size());
            for (int i = 0; i < fused.parameters().size(); i++) {
                assertArrayEquals(fused.parameters().get(i).value(), derived.parameters().get(i).value(),
                        cell + " " + fused.parameters().get(i).name());
            }
        }
    }

    @Test
    void targetsOutsideTheVocabularyAreRejectedBeforeAnythingRuns() {
        RecurrentNet n = net("gru").build();
        List<State> states = n.newStates(2);
        float[] before = states.get(0).part(0).clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> n.forward(new int[] {1, 2, 3, 4}, new int[] {0, 4, 5, 1}, 2, states));
        assertEquals("target 5 at 2 is outside [0, 5)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> n.forward(new float[2 * 2 * 5], new int[] {0, -1, 0, 0}, 2, states));
        assertArrayEquals(before, states.get(0).part(0), "the state is left as it was");
    }

    @Test
    void backwardWithoutALossToStartFromFails() {
        RecurrentNet n = net("lstm").build();
        assertThrows(IllegalStateException.class, () -> n.backward(null), "no forward yet");
        n.forward(new int[] {1, 2}, new int[] {3, 4}, 1, n.newStates(2));
        n.backward(null);
        n.forward(new int[] {1, 2}, null, 1, n.newStates(2)); // logits only, e.g. sampling
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.backward(null));
        assertTrue(e.getMessage().contains("no loss gradient"), e.getMessage());
    }

    /**
     * {@code loss} is {@code forward}'s summed cross-entropy bit for bit, chunk after chunk with the state
     * carried over, for token ids and dense inputs, fused cells and step forms, with and without an
     * embedding; and it leaves the states where forward leaves them.
     */
    @Test
    void lossIsForwardsLossBitForBitWithTheStateCarriedOver() {
        int b = 3, steps = 4, chunks = 5;
        Rng r = new Rng(21);
        int[][] tokens = new int[chunks][steps * b];
        int[][] targets = new int[chunks][steps * b];
        float[][] xs = new float[chunks][steps * b * 5];
        for (int c = 0; c < chunks; c++) {
            for (int i = 0; i < steps * b; i++) {
                tokens[c][i] = r.nextInt(5);
                targets[c][i] = r.nextInt(5);
            }
            for (int i = 0; i < xs[c].length; i++) {
                xs[c][i] = (float) r.nextGaussian();
            }
        }
        for (String cell : List.of("rnn", "gru", "lstm")) {
            for (boolean stepForm : new boolean[] {false, true}) {
                for (int embedding : new int[] {0, 3}) {
                    var builder = net(cell).optLayers(2).optInit(new Init.Normal(0.5)).optEmbedding(embedding);
                    if (stepForm) {
                        builder.optCell(Cells.stepFormOf(Cells.forName(cell)));
                    }
                    RecurrentNet n = builder.build();
                    String what = cell + (stepForm ? " step form" : "") + " embedding " + embedding;
                    for (boolean dense : new boolean[] {false, true}) {
                        List<State> trained = n.newStates(b);
                        List<State> evaluated = n.newStates(b);
                        for (int c = 0; c < chunks; c++) {
                            double f = dense ? n.forward(xs[c], targets[c], steps, trained)
                                    : n.forward(tokens[c], targets[c], steps, trained);
                            float[] logits = Arrays.copyOf(n.logits(), steps * b * 5);
                            double l = dense ? n.loss(xs[c], targets[c], steps, evaluated)
                                    : n.loss(tokens[c], targets[c], steps, evaluated);
                            String at = what + (dense ? " dense" : " tokens") + " chunk " + c;
                            assertTrue(f > 0, at);
                            assertEquals(Double.doubleToRawLongBits(f), Double.doubleToRawLongBits(l), at + ": " + f + " vs " + l);
                            assertArrayEquals(logits, Arrays.copyOf(n.logits(), steps * b * 5), at + " logits");
                            for (int k = 0; k < trained.size(); k++) {
                                for (int p = 0; p < trained.get(k).partCount(); p++) {
                                    assertArrayEquals(trained.get(k).part(p), evaluated.get(k).part(p),
                                            at + " state of layer " + k + " part " + p);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void backwardAfterLossFailsForThereIsNoGradient() {
        RecurrentNet n = net("lstm").optLayers(2).build();
        n.forward(new int[] {1, 2}, new int[] {3, 4}, 1, n.newStates(2));
        n.loss(new int[] {1, 2}, new int[] {3, 4}, 1, n.newStates(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.backward(null),
                "a forward with targets before the loss leaves no gradient for backward");
        assertTrue(e.getMessage().contains("no loss gradient"), e.getMessage());
        n.loss(new float[2 * 5], new int[] {0, 1}, 1, n.newStates(2));
        assertThrows(IllegalStateException.class, () -> n.backward(null), "dense inputs");
        n.forward(new int[] {1, 2}, new int[] {3, 4}, 1, n.newStates(2));
        n.backward(null); // forward still leaves its gradient
        assertThrows(NullPointerException.class, () -> n.loss(new int[] {1, 2}, null, 1, n.newStates(2)));
    }

    @Test
    void initsFillWithinTheirRanges() {
        float[] w = new float[1000];
        new Init.Uniform(0.08).fill(w, 10, 100, new Rng(1));
        double max = 0;
        for (float x : w) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= 0.08 && max > 0.07, "uniform ±0.08, max " + max);
        new Init.Xavier().fill(w, 10, 14, new Rng(1));
        max = 0;
        for (float x : w) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= 0.5 && max > 0.45, "xavier ±sqrt(6/24) = 0.5, max " + max);
        assertThrows(IllegalArgumentException.class, () -> new Init.Uniform(0));
    }

    static double loss(RecurrentNet n, float[] xs, int[] ys) {
        return n.forward(xs, ys, 3, n.newStates(2));
    }

    @Test
    void dropoutOnlyInTrainingAndReplayableFromItsRng() {
        float[] xs = new float[3 * 2 * 5];
        int[] ys = new int[6];
        Rng r = new Rng(9);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = r.nextInt(5);
        }
        var init = new Init.Normal(0.5);
        RecurrentNet plain = net("lstm").optLayers(2).optInit(init).build();
        RecurrentNet dropped = net("lstm").optLayers(2).optInit(init).optDropout(0.5).build();
        assertEquals(loss(plain, xs, ys), loss(dropped, xs, ys), "evaluation mode (the default) drops nothing");
        dropped.setTraining(true);
        long[] snap = dropped.dropoutRng().snapshot();
        double first = loss(dropped, xs, ys);
        assertNotEquals(loss(plain, xs, ys), first);
        double second = loss(dropped, xs, ys);
        assertNotEquals(first, second, "a new mask each forward");
        dropped.dropoutRng().restore(snap);
        assertEquals(first, loss(dropped, xs, ys), "restoring the generator replays the mask");
        assertThrows(IllegalArgumentException.class, () -> net("rnn").optDropout(1).build());
    }

    @Test
    void embeddingComesFirstAndFeedsTheFirstLayer() {
        RecurrentNet n = net("gru").optEmbedding(3).build();
        assertEquals("E", n.parameters().get(0).name());
        assertArrayEquals(new int[] {5, 3}, n.parameters().get(0).shape());
        assertArrayEquals(new int[] {3, 12}, param(n, "W_x").shape());
        assertEquals(3, n.embeddingSize());
        float[] xs = new float[2 * 5];
        xs[1] = 1;
        xs[5 + 4] = 1;
        n.forward(xs, new int[] {0, 1}, 1, n.newStates(2));
        float[] dx = n.backward(null);
        assertTrue(dx.length >= 10);
        double sq = 0;
        for (float g : n.parameters().get(0).grad()) {
            sq += g * g;
        }
        assertTrue(sq > 0, "the embedding receives a gradient");
    }
}
