package rnn.testkit;

import java.util.ArrayList;
import java.util.List;

import java.util.Map;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;
import rnn.api.cell.State;
import rnn.api.nn.RecurrentNet;

/**
 * One generated network problem: shapes, parameters, inputs, initial states and targets, all drawn
 * from {@code seed} so that the same case can be rebuilt on any backend. With {@code dropout > 0} the
 * net runs in training mode under a fixed mask: the dropout generator is restored to the same
 * snapshot before every forward, so finite differences perturb one and the same function.
 * {@code embedding > 0} puts a learned embedding of that width before the first layer.
 */
record NetCase(CellProvider cell, Map<String, ?> cellOptions, int layers, int batch, int input, int hidden, int steps, int vocab,
               double dropout, int embedding, long seed) {

    /** The same problem with another cell (e.g. a cell's step form for its fused one). */
    NetCase withCell(CellProvider other) {
        return new NetCase(other, cellOptions, layers, batch, input, hidden, steps, vocab, dropout, embedding, seed);
    }

    @Override
    public String toString() {
        return "cell " + cell.name() + (cellOptions.isEmpty() ? "" : " " + cellOptions) + " layers=" + layers + " batch=" + batch + " input=" + input + " hidden=" + hidden
                + " steps=" + steps + " vocab=" + vocab + " dropout=" + dropout + " embedding=" + embedding
                + " seed=" + seed;
    }

    /** A live instance of the case on one backend. */
    final class Instance {
        final RecurrentNet net;
        final float[] xs;
        final int[] targets;
        final List<State> initial;
        private final long[] dropoutSnapshot;

        Instance(Backend backend) {
            Rng rng = new Rng(seed);
            net = RecurrentNet.builder().setBackend(backend).setInputSize(input).setHiddenSize(hidden)
                    .setOutputSize(vocab).optCell(cell).optCellOptions(cellOptions).optLayers(layers).optDropout(dropout).optEmbedding(embedding).optSeed(seed).build();
            net.setTraining(dropout > 0);
            dropoutSnapshot = net.dropoutRng().snapshot();
            // Weights large enough for the recurrence to matter (spectral radius near 1), small enough
            // to keep tanh away from saturation where finite differences lose their precision.
            for (Parameter p : net.parameters()) {
                int[] shape = p.shape();
                double std = shape.length == 1 ? 0.1 : 0.8 / Math.sqrt(shape[0]);
                float[] v = Fixtures.gaussian(rng, p.size(), std);
                if (cell.gates().size() == 1 && (p.name().endsWith("W_hh") || p.name().endsWith("W_h"))) {
                    capSpectralRadius(v, shape[0], 0.95);
                }
                System.arraycopy(v, 0, p.value(), 0, v.length);
            }
            xs = Fixtures.gaussian(rng, steps * batch * input, 1);
            targets = new int[steps * batch];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = rng.nextInt(vocab);
            }
            initial = net.newStates(batch);
            for (State s : initial) {
                for (int i = 0; i < s.partCount(); i++) {
                    float[] v = Fixtures.uniform(rng, s.part(i).length, -0.5, 0.5);
                    System.arraycopy(v, 0, s.part(i), 0, v.length);
                }
            }
        }

        /** Mean loss from the initial states (which are left unchanged). */
        double loss() {
            return loss(null);
        }

        /** {@link #loss()} with inputs given as token ids {@code [T, B]} instead of {@link #xs}, if not null. */
        private double loss(int[] tokens) {
            net.dropoutRng().restore(dropoutSnapshot);
            double sum = tokens == null ? net.forward(xs, targets, steps, copies(initial))
                    : net.forward(tokens, targets, steps, copies(initial));
            return sum / (steps * batch);
        }

        /** Analytic gradients: every parameter's, the input's, and each initial state part's. */
        Gradients gradients() {
            return gradients(null);
        }

        /**
         * {@link #gradients()} with inputs given as token ids {@code [T, B]} instead of {@link #xs}, if not
         * null; the input gradient is then empty.
         */
        Gradients gradients(int[] tokens) {
            net.zeroGrad();
            double loss = loss(tokens);
            List<State> dStates = net.newStates(batch);
            float[] dx = net.backward(dStates);
            if (tokens != null && dx != null) {
                throw new AssertionError("backward after a forward from token ids returned an input gradient");
            }
            dx = tokens == null ? java.util.Arrays.copyOf(dx, xs.length) : new float[0];
            List<float[]> params = new ArrayList<>();
            net.parameters().forEach(p -> params.add(p.grad().clone()));
            List<float[]> states = new ArrayList<>();
            dStates.forEach(s -> {
                for (int i = 0; i < s.partCount(); i++) {
                    states.add(s.part(i).clone());
                }
            });
            return new Gradients(loss, params, dx, states);
        }

        /** The tensors a gradient check perturbs, in the order of {@link Gradients#all()}. */
        List<Target> targetsToPerturb() {
            List<Target> t = new ArrayList<>();
            net.parameters().forEach(p -> t.add(new Target(p.name(), p.value())));
            t.add(new Target("X", xs));
            for (int l = 0; l < initial.size(); l++) {
                for (int i = 0; i < initial.get(l).partCount(); i++) {
                    t.add(new Target("state" + l + "." + i, initial.get(l).part(i)));
                }
            }
            return t;
        }

        /**
         * Scales a square recurrent matrix down to spectral radius ≤ {@code cap} if it is above. Drawn
         * with std 0.8/√H its radius is about 0.8 for large H, but for H = 1 or 2 it exceeds 1 often
         * (|w| > 1 with probability 0.21 at H = 1): then {@code h ← tanh(w·h + …)} has two stable
         * fixed points, the loss jumps between them within ε and no finite difference can follow (seen:
         * 3 failures in 1000 RNN cases, all at hidden = 1 with |W_hh| between 1.4 and 2.9; none for GRU
         * or LSTM, whose gates damp the recurrence). Hence it is applied to the recurrent matrix of
         * ungated (one-gate) cells only. The radius is estimated as
         * {@code ‖W^32‖_F^(1/32)} by repeated squaring, which over-estimates by at most a few percent.
         */
        private static void capSpectralRadius(float[] w, int n, double cap) {
            double[] m = new double[n * n];
            for (int i = 0; i < m.length; i++) {
                m[i] = w[i];
            }
            double logScale = 0; // m holds W^(2^k) / exp(logScale), normalised to avoid overflow
            for (int k = 0; k < 5; k++) {
                double[] sq = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < n; p++) {
                        double a = m[i * n + p];
                        for (int j = 0; j < n; j++) {
                            sq[i * n + j] += a * m[p * n + j];
                        }
                    }
                }
                logScale *= 2;
                double f = 0;
                for (double x : sq) {
                    f += x * x;
                }
                f = Math.sqrt(f);
                if (f == 0) {
                    return;
                }
                for (int i = 0; i < sq.length; i++) {
                    sq[i] /= f;
                }
                logScale += Math.log(f);
                m = sq;
            }
            double radius = Math.exp(logScale / 32);
            if (radius > cap) {
                float s = (float) (cap / radius);
                for (int i = 0; i < w.length; i++) {
                    w[i] *= s;
                }
            }
        }

        private static List<State> copies(List<State> states) {
            return states.stream().map(State::copy).toList();
        }
    }

    record Target(String name, float[] values) {
    }

    record Gradients(double loss, List<float[]> parameters, float[] input, List<float[]> states) {
        List<float[]> all() {
            List<float[]> a = new ArrayList<>(parameters);
            a.add(input);
            a.addAll(states);
            return a;
        }
    }
}
