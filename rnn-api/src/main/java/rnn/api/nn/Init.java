package rnn.api.nn;

import rnn.api.Rng;

/** How weight matrices start; biases always start at zero. */
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

    /** d2l's default. */
    static Init d2l() {
        return new Normal(0.01);
    }
}
