package rnn.api.optim;

import java.util.Map;

/**
 * What every update rule here shares: a learning rate that schedules may change between steps, and
 * per-parameter state slots that checkpoints save and restore. Steps loop over parameters by index:
 * C2 does not always scalar-replace an iterator, and a steady-state training step allocates nothing.
 */
abstract sealed class BaseOptimizer implements Optimizer permits Sgd, Momentum, Adagrad, RmsProp, Adam {

    /** Kept in double so that {@link #learningRate()} returns exactly what was set; kernels take {@code (float)}. */
    double learningRate;
    /** Null for a stateless rule, which then refuses any state to restore. */
    final Slots slots;

    /** A stateless rule. */
    BaseOptimizer(double learningRate) {
        this.learningRate = Optimizer.positive("learning rate", learningRate);
        this.slots = null;
    }

    /** A rule with per-parameter state; {@code countsSteps}: whether it needs the step number (Adam's bias correction). */
    BaseOptimizer(double learningRate, boolean countsSteps) {
        this.learningRate = Optimizer.positive("learning rate", learningRate);
        this.slots = new Slots(countsSteps);
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        this.learningRate = Optimizer.nonNegative("learning rate", learningRate);
    }

    @Override
    public final Map<String, float[]> state() {
        return slots == null ? Optimizer.super.state() : slots.snapshot();
    }

    @Override
    public final void restore(Map<String, float[]> state) {
        if (slots == null) {
            Optimizer.super.restore(state);
        } else {
            slots.restore(state);
        }
    }
}
