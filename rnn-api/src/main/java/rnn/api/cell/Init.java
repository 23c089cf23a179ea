package rnn.api.cell;

import rnn.api.Rng;

/**
 * How weight matrices start. Biases start at zero unless a cell sets its own (the LSTM's forget-gate
 * bias hyperparameter, {@link StepCell#initBias}).
 */
public sealed interface Init {

    /** Fills a {@code fanIn × fanOut} weight matrix. */
    void fill(float[] w, int fanIn, int fanOut, Rng rng);

    /** d2l's {@code normal(0, std)}; d2l uses std = 0.01. */
    record Normal(double std) implements Init {
        public Normal {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + std);
            }
        }

        @Override
        public void fill(float[] w, int fanIn, int fanOut, Rng rng) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (std * rng.nextGaussian());
            }
        }
    }

    /** Uniform on {@code [−a, a)}; char-rnn uses a = 0.08 for every parameter. */
    record Uniform(double a) implements Init {
        public Uniform {
            if (!(a > 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("uniform range must be positive and finite, got " + a);
            }
        }

        @Override
        public void fill(float[] w, int fanIn, int fanOut, Rng rng) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (a * (2 * rng.nextDouble() - 1));
            }
        }
    }

    /**
     * Glorot and Bengio's uniform initialisation: {@code U(−a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}.
     * A fused gate matrix ({@code [in, G·H]}) is filled with the fan-out of one gate block, {@code H}, as
     * if each gate's matrix were initialised on its own.
     */
    record Xavier() implements Init {
        @Override
        public void fill(float[] w, int fanIn, int fanOut, Rng rng) {
            double a = Math.sqrt(6.0 / (fanIn + fanOut));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (a * (2 * rng.nextDouble() - 1));
            }
        }
    }

    /** d2l's default. */
    static Init d2l() {
        return new Normal(0.01);
    }
}
