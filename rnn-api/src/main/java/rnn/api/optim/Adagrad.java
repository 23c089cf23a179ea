package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * Adagrad as in d2l and min-char-rnn: {@code s ← s + g²}, {@code θ ← θ − lr·g / √(s + ε)}
 * (ε inside the root, min-char-rnn uses 1e-8). State: {@code <name>.sum}.
 */
public final class Adagrad extends BaseOptimizer {

    /** min-char-rnn's ε. */
    public static final double DEFAULT_EPS = 1e-8;

    private final double eps;

    public Adagrad(double learningRate, double eps) {
        super(learningRate, false);
        this.eps = Optimizer.positive("epsilon", eps);
    }

    /** ε = 1e-8. */
    public Adagrad(double learningRate) {
        this(learningRate, DEFAULT_EPS);
    }

    public double eps() {
        return eps;
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            int n = p.size();
            float[] g = p.grad();
            float[] s = slots.get(p, "sum");
            ops.addMul(n, g, 0, g, 0, s, 0);
            // No kernel divides or takes square roots elementwise: a plain loop over the parameter.
            float[] theta = p.value();
            for (int i = 0; i < n; i++) {
                theta[i] -= (float) (learningRate * g[i] / Math.sqrt(s[i] + eps));
            }
        }
    }

    @Override
    public String toString() {
        return "Adagrad[lr=" + learningRate + ", eps=" + eps + "]";
    }
}
