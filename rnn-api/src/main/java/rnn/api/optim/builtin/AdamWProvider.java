package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.AdamW;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code adamw}: AdamW as PyTorch's ({@link AdamW}): first {@code θ ← θ·(1 − lr·λ)}, then Adam's update
 * from the undecayed gradient; PyTorch's default λ = 0.01.
 *
 * <p>Worked example, lr = 0.1, β₁ = 0.5, β₂ = 0.75, λ = 0.5 (θ keeps 1 − 0.05 = 0.95 each step),
 * ε = 1e-8 (negligible here), θ₀ = (2, −2):
 * <pre>
 * step 1, g = (1, 2):   decayed θ = (1.9, −1.9)   m₁ = (0.5, 1)   v₁ = (0.25, 1)   m̂ = (1, 2)   v̂ = (1, 4)
 *                       θ₁ = (1.9 − 0.1, −1.9 − 0.1) = (1.8, −2.0)
 * step 2, g = (−1, 2):  decayed θ = (1.71, −1.9)
 *                       m₂ = (0.25 − 0.5, 0.5 + 1) = (−0.25, 1.5)        m̂ = m₂/0.75 = (−1/3, 2)
 *                       v₂ = (0.1875 + 0.25, 0.75 + 1) = (0.4375, 1.75)  v̂ = v₂/0.4375 = (1, 4)
 *                       θ₂ = (1.71 + 1/30, −1.9 − 0.1) = (1.74333…, −2.0)
 * </pre>
 */
public final class AdamWProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String description() {
        return "AdamW (Loshchilov and Hutter, as PyTorch's): Adam with decoupled weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return AdamProvider.betasAndEps(AdamW.DEFAULT_WEIGHT_DECAY, "decoupled decay: θ ← θ·(1 − lr·λ) before each update");
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new AdamW(learningRate, Settings.get(values, "beta1"), Settings.get(values, "beta2"),
                Settings.get(values, "eps"), Settings.get(values, "weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("beta1", 0.5, "beta2", 0.75, "weight_decay", 0.5), Settings.floats(2, -2),
                List.of(Settings.floats(1, 2), Settings.floats(-1, 2)), Settings.floats(1.71 + 1.0 / 30, -2.0),
                Settings.EXAMPLE_TOLERANCE);
    }
}
