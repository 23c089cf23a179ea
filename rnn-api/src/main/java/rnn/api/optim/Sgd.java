package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * Plain minibatch SGD, d2l's {@code sgd}: {@code θ ← θ − lr·g}; with weight decay λ (L2),
 * {@code θ ← θ − lr·(g + λθ)}. Stateless.
 */
public final class Sgd extends BaseOptimizer {

    private final double weightDecay;

    /** No weight decay. */
    public Sgd(double learningRate) {
        this(learningRate, 0);
    }

    public Sgd(double learningRate, double weightDecay) {
        super(learningRate);
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        float lr = (float) learningRate;
        float keep = (float) (1 - learningRate * weightDecay);
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            if (weightDecay != 0) {
                ops.scale(p.size(), keep, p.value(), 0);
            }
            ops.axpy(p.size(), -lr, p.grad(), 0, p.value(), 0);
        }
    }

    @Override
    public String toString() {
        return "Sgd[lr=" + learningRate + ", weightDecay=" + weightDecay + "]";
    }
}
