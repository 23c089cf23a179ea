package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * SGD with momentum μ (PyTorch's form, no dampening), optionally Nesterov's, and L2 weight decay λ:
 * <pre>
 * g' = g + λθ      v ← μv + g'      θ ← θ − lr·v            (heavy ball)
 *                                   θ ← θ − lr·(g' + μv)    (Nesterov)
 * </pre>
 * State: {@code <name>.velocity}.
 */
public final class Momentum extends BaseOptimizer {

    /** The usual μ, PyTorch's examples' and d2l's. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    public Momentum(double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(learningRate, false);
        this.momentum = Optimizer.fraction("momentum", momentum);
        this.nesterov = nesterov;
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
    }

    /** Heavy ball with μ = 0.9, no weight decay. */
    public Momentum(double learningRate) {
        this(learningRate, DEFAULT_MOMENTUM, false, 0);
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        float lr = (float) learningRate;
        float mu = (float) momentum;
        float wd = (float) weightDecay;
        float keep = (float) (1 - learningRate * weightDecay);
        float lrMu = (float) (learningRate * momentum);
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            int n = p.size();
            float[] theta = p.value();
            float[] g = p.grad();
            float[] v = slots.get(p, "velocity");
            ops.scale(n, mu, v, 0);
            ops.axpy(n, 1f, g, 0, v, 0);
            if (weightDecay != 0) {
                ops.axpy(n, wd, theta, 0, v, 0);
            }
            if (nesterov) {
                // θ − lr·(g + λθ + μv), the decay term from θ before this update
                if (weightDecay != 0) {
                    ops.scale(n, keep, theta, 0);
                }
                ops.axpy(n, -lr, g, 0, theta, 0);
                ops.axpy(n, -lrMu, v, 0, theta, 0);
            } else {
                ops.axpy(n, -lr, v, 0, theta, 0);
            }
        }
    }

    @Override
    public String toString() {
        return (nesterov ? "Nesterov" : "Momentum") + "[lr=" + learningRate + ", momentum=" + momentum
                + ", weightDecay=" + weightDecay + "]";
    }
}
