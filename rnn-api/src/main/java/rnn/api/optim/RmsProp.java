package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * RMSProp as in char-rnn ({@code optim.rmsprop}): {@code s ← αs + (1 − α)g²},
 * {@code θ ← θ − lr·g / (√s + ε)}; char-rnn's decay rate α is 0.95. State: {@code <name>.meanSquare}.
 */
public final class RmsProp extends BaseOptimizer {

    public static final double CHAR_RNN_ALPHA = 0.95;
    public static final double DEFAULT_EPS = 1e-8;

    private final double alpha;
    private final double eps;

    public RmsProp(double learningRate, double alpha, double eps) {
        super(learningRate, false);
        this.alpha = Optimizer.fraction("alpha", alpha);
        this.eps = Optimizer.positive("epsilon", eps);
    }

    /** char-rnn's settings: α = 0.95, ε = 1e-8. */
    public RmsProp(double learningRate) {
        this(learningRate, CHAR_RNN_ALPHA, DEFAULT_EPS);
    }

    public double alpha() {
        return alpha;
    }

    public double eps() {
        return eps;
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        float a = (float) alpha;
        float oneMinusA = (float) (1 - alpha);
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            int n = p.size();
            float[] g = p.grad();
            float[] s = slots.get(p, "meanSquare");
            float[] g2 = slots.scratch(n);
            ops.mul(n, g, 0, g, 0, g2, 0);
            ops.scale(n, a, s, 0);
            ops.axpy(n, oneMinusA, g2, 0, s, 0);
            // No kernel divides or takes square roots elementwise: a plain loop over the parameter.
            float[] theta = p.value();
            for (int i = 0; i < n; i++) {
                theta[i] -= (float) (learningRate * g[i] / (Math.sqrt(s[i]) + eps));
            }
        }
    }

    @Override
    public String toString() {
        return "RmsProp[lr=" + learningRate + ", alpha=" + alpha + ", eps=" + eps + "]";
    }
}
