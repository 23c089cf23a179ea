package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/** Gradient clipping, applied to the gradients before the optimizer step. */
public sealed interface Clipping {

    /** Clips in place; returns the global gradient norm before clipping. */
    double apply(Backend ops, List<Parameter> parameters);

    /** The global L2 norm over all gradients together. */
    static double globalNorm(Backend ops, List<Parameter> parameters) {
        double sum = 0;
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            sum += ops.sumOfSquares(p.size(), p.grad(), 0);
        }
        return Math.sqrt(sum);
    }

    /** d2l's {@code grad_clipping}: {@code g ← min(1, θ/‖g‖)·g} over all parameters together. */
    record GlobalNorm(double theta) implements Clipping {
        public GlobalNorm {
            if (!(theta > 0) || Double.isInfinite(theta)) {
                throw new IllegalArgumentException("clipping threshold must be positive and finite, got " + theta);
            }
        }

        @Override
        public double apply(Backend ops, List<Parameter> parameters) {
            double norm = globalNorm(ops, parameters);
            if (norm > theta) {
                float factor = (float) (theta / norm);
                for (int k = 0; k < parameters.size(); k++) {
                    Parameter p = parameters.get(k);
                    ops.scale(p.size(), factor, p.grad(), 0);
                }
            }
            return norm;
        }
    }

    /**
     * Element-wise clipping by value: every gradient element is clamped to {@code [−c, c]} (PyTorch's
     * {@code clip_grad_value_}). Returns the global norm before clipping, like the others.
     */
    record Value(double c) implements Clipping {
        public Value {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("clipping value must be positive and finite, got " + c);
            }
        }

        @Override
        public double apply(Backend ops, List<Parameter> parameters) {
            double norm = globalNorm(ops, parameters);
            float hi = (float) c;
            float lo = -hi;
            for (int k = 0; k < parameters.size(); k++) {
                Parameter p = parameters.get(k);
                // No clamp kernel: a plain loop over the gradient.
                float[] g = p.grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] = Math.min(hi, Math.max(lo, g[i]));
                }
            }
            return norm;
        }
    }

    /** No clipping. */
    record None() implements Clipping {
        @Override
        public double apply(Backend ops, List<Parameter> parameters) {
            return globalNorm(ops, parameters);
        }
    }
}
