package rnn.testkit;

import java.util.ArrayList;
import java.util.List;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.nn.CellType;
import rnn.api.nn.Parameter;
import rnn.api.nn.RecurrentNet;
import rnn.api.nn.State;

/**
 * One generated network problem: shapes, parameters, inputs, initial states and targets, all drawn
 * from {@code seed} so that the same case can be rebuilt on any backend.
 */
record NetCase(CellType cell, int layers, int batch, int input, int hidden, int steps, int vocab, long seed) {

    @Override
    public String toString() {
        return cell + " layers=" + layers + " batch=" + batch + " input=" + input + " hidden=" + hidden
                + " steps=" + steps + " vocab=" + vocab + " seed=" + seed;
    }

    /** A live instance of the case on one backend. */
    final class Instance {
        final RecurrentNet net;
        final float[] xs;
        final int[] targets;
        final List<State> initial;

        Instance(Backend backend) {
            Rng rng = new Rng(seed);
            net = RecurrentNet.builder().setBackend(backend).setInputSize(input).setHiddenSize(hidden)
                    .setOutputSize(vocab).optCell(cell).optLayers(layers).optSeed(seed).build();
            // Weights large enough for the recurrence to matter (spectral radius near 1), small enough
            // to keep tanh away from saturation where finite differences lose their precision.
            for (Parameter p : net.parameters()) {
                int[] shape = p.shape();
                double std = shape.length == 1 ? 0.1 : 0.8 / Math.sqrt(shape[0]);
                float[] v = Fixtures.gaussian(rng, p.size(), std);
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
            return net.forward(xs, targets, steps, copies(initial)) / (steps * batch);
        }

        /** Analytic gradients: every parameter's, the input's, and each initial state part's. */
        Gradients gradients() {
            net.zeroGrad();
            double loss = loss();
            List<State> dStates = net.newStates(batch);
            float[] dx = net.backward(dStates).clone();
            List<float[]> params = new ArrayList<>();
            net.parameters().forEach(p -> params.add(p.grad().clone()));
            List<float[]> states = new ArrayList<>();
            dStates.forEach(s -> {
                for (int i = 0; i < s.partCount(); i++) {
                    states.add(s.part(i).clone());
                }
            });
            return new Gradients(loss, params, java.util.Arrays.copyOf(dx, xs.length), states);
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
