package rnn.api;

/**
 * Pointwise nonlinearities. Each derivative is written in terms of the output {@code y = f(z)}, so
 * backward passes keep only outputs. The scalar formulas here are the reference every backend's kernel
 * is tested against.
 */
public enum Activation {
    IDENTITY {
        @Override public float apply(float z) { return z; }
        @Override public float derivativeFromOutput(float y) { return 1f; }
    },
    TANH {
        @Override public float apply(float z) { return (float) Math.tanh(z); }
        @Override public float derivativeFromOutput(float y) { return 1f - y * y; }
    },
    SIGMOID {
        @Override public float apply(float z) { return (float) (1.0 / (1.0 + Math.exp(-z))); }
        @Override public float derivativeFromOutput(float y) { return y * (1f - y); }
    },
    RELU {
        @Override public float apply(float z) { return z > 0f ? z : 0f; }
        @Override public float derivativeFromOutput(float y) { return y > 0f ? 1f : 0f; }
    };

    public abstract float apply(float z);

    public abstract float derivativeFromOutput(float y);
}
