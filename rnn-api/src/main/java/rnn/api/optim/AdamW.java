package rnn.api.optim;

import java.util.List;
import java.util.Map;

import rnn.api.Backend;
import rnn.api.nn.Parameter;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as PyTorch's {@code AdamW}: first
 * {@code θ ← θ·(1 − lr·λ)}, then the {@link Adam} update from the undecayed gradient. State as Adam's.
 */
public final class AdamW implements Optimizer {

    private final Adam adam;

    public AdamW(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        this.adam = new Adam(learningRate, beta1, beta2, eps, weightDecay, true);
    }

    /** β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and PyTorch's default decay 0.01. */
    public AdamW(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    public double beta1() {
        return adam.beta1();
    }

    public double beta2() {
        return adam.beta2();
    }

    public double eps() {
        return adam.eps();
    }

    public double weightDecay() {
        return adam.weightDecay();
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        adam.step(ops, parameters);
    }

    @Override
    public double learningRate() {
        return adam.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        adam.setLearningRate(learningRate);
    }

    @Override
    public Map<String, float[]> state() {
        return adam.state();
    }

    @Override
    public void restore(Map<String, float[]> state) {
        adam.restore(state);
    }

    @Override
    public String toString() {
        return adam.toString();
    }
}
