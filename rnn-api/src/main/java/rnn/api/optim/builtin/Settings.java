package rnn.api.optim.builtin;

import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;

/** The hyperparameters the built-in optimizers share, and the little the examples need. */
final class Settings {

    /**
     * The worked examples' tolerance: their values are at most about 2 in magnitude, where a float32 ulp
     * is 2.4e-7, and each step rounds a handful of times; 1e-6 allows a few ulps, while a wrong rule is
     * off by at least 1e-3.
     */
    static final double EXAMPLE_TOLERANCE = 1e-6;

    private Settings() {
    }

    static Hyperparameter weightDecay(double defaultValue) {
        return new Hyperparameter("weight_decay", defaultValue, Range.NON_NEGATIVE, "L2 penalty λ added to the gradient as λθ");
    }

    static Hyperparameter momentum(double defaultValue) {
        return new Hyperparameter("momentum", defaultValue, Range.FRACTION, "momentum μ of the velocity");
    }

    static Hyperparameter eps(double defaultValue, String where) {
        return new Hyperparameter("eps", defaultValue, Range.POSITIVE, "ε " + where);
    }

    static double get(Map<String, Double> values, String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("hyperparameter '" + key + "' is missing; resolve the values first");
        }
        return v;
    }

    static float[] floats(double... xs) {
        float[] f = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            f[i] = (float) xs[i];
        }
        return f;
    }
}
