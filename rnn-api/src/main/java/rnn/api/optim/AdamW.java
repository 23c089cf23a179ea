package rnn.api.optim;

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as PyTorch's {@code AdamW}: first
 * {@code θ ← θ·(1 − lr·λ)}, then the {@link Adam} update from the undecayed gradient. State as Adam's.
 */
public final class AdamW extends Adam {

    /** PyTorch's default decoupled decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    public AdamW(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        super(learningRate, beta1, beta2, eps, weightDecay, true);
    }

    /** β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and PyTorch's default decay 0.01. */
    public AdamW(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_WEIGHT_DECAY);
    }
}
