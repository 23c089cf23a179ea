package rnn.api.optim;

import java.util.List;
import java.util.Map;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * Updates parameters from their gradients. Implementations keep their per-parameter state (moments,
 * accumulators) keyed by {@link Parameter#name()}, created on the first step; the learning rate is
 * mutable so that a {@link LearningRateSchedule} can drive it:
 * {@code opt.setLearningRate(schedule.learningRate(base, epoch, step))} before each step.
 *
 * <p>The built-in rules are also plug-ins ({@link OptimizerProvider}, found by name with
 * {@link Optimizers}); any implementation can be given to a trainer directly.
 */
public interface Optimizer {

    /** One update of every parameter from its current gradient (gradients are left unchanged). */
    void step(Backend ops, List<Parameter> parameters);

    /** The learning rate the next step uses: exactly the double last set (kernels may round it to float). */
    double learningRate();

    /**
     * Sets the learning rate of the following steps (non-negative and finite: a schedule may reach 0).
     *
     * @throws IllegalArgumentException for a negative, infinite or NaN rate
     */
    void setLearningRate(double learningRate);

    /**
     * The optimizer's state for a checkpoint: copies of every buffer, keyed
     * {@code <parameter name>.<buffer>} (e.g. {@code W_hq.m}), plus {@code step} for optimizers that
     * count steps. Empty for stateless ones.
     */
    default Map<String, float[]> state() {
        return Map.of();
    }

    /**
     * Restores what {@link #state()} returned, into this or a freshly created optimizer of the same
     * settings; the next step continues exactly (bit for bit). The optimizer keeps copies: the caller
     * may reuse the arrays. The learning rate is not state: the trainer sets it before every step.
     */
    default void restore(Map<String, float[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no state, got " + state.keySet());
        }
    }

    /** Checks a learning rate (or another positive hyperparameter). */
    static double positive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + value);
        }
        return value;
    }

    /** Checks a hyperparameter that must lie in [0, 1) (momentum, decay rates, betas). */
    static double fraction(String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** Checks a non-negative, finite hyperparameter (weight decay). */
    static double nonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be non-negative and finite, got " + value);
        }
        return value;
    }
}
