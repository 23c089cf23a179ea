package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;
import rnn.api.optim.Adam;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code adam}: Adam as PyTorch's, weight decay as L2 on the gradient ({@link Adam}):
 * {@code g' = g + λθ, m ← β₁m + (1 − β₁)g', v ← β₂v + (1 − β₂)g'², θ ← θ − lr·m̂ / (√v̂ + ε)} with
 * {@code m̂ = m / (1 − β₁ᵗ)}, {@code v̂ = v / (1 − β₂ᵗ)}.
 *
 * <p>Worked example, lr = 0.1, β₁ = 0.5, β₂ = 0.75, λ = 0.5, ε = 1e-8 (moves θ by at most 2e-9 here),
 * θ₀ = (2, −2):
 * <pre>
 * step 1, g = (0, 3):         g' = g + 0.5·θ₀ = (1, 2)   m₁ = (0.5, 1)   v₁ = (0.25, 1)
 *                             m̂ = m₁/0.5 = (1, 2)   v̂ = v₁/0.25 = (1, 4)   θ₁ = θ₀ − 0.1·(1/1, 2/2) = (1.9, −2.1)
 * step 2, g = (−1.95, 3.05):  g' = g + 0.5·θ₁ = (−1, 2)
 *                             m₂ = 0.5·m₁ + 0.5·g' = (−0.25, 1.5)       m̂ = m₂/(1 − 0.25) = (−1/3, 2)
 *                             v₂ = 0.75·v₁ + 0.25·g'² = (0.4375, 1.75)  v̂ = v₂/(1 − 0.5625) = (1, 4)
 *                             θ₂ = θ₁ − 0.1·(−1/3 / 1, 2/2) = (1.9 + 1/30, −2.2) = (1.93333…, −2.2)
 * </pre>
 * Without the bias correction step 2 would move element 0 by 0.1·0.25/√0.4375 = 0.0378, not 0.0333.
 */
public final class AdamProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam (Kingma and Ba, as PyTorch's), weight decay as L2 on the gradient";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return betasAndEps(0, "L2 penalty λ added to the gradient as λθ");
    }

    static List<Hyperparameter> betasAndEps(double weightDecay, String weightDecayDescription) {
        return List.of(new Hyperparameter("beta1", Adam.DEFAULT_BETA1, Range.FRACTION, "decay β₁ of the first moment"),
                new Hyperparameter("beta2", Adam.DEFAULT_BETA2, Range.FRACTION, "decay β₂ of the second moment"),
                Settings.eps(Adam.DEFAULT_EPS, "added to the root of the second moment"),
                new Hyperparameter("weight_decay", weightDecay, Range.NON_NEGATIVE, weightDecayDescription));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Adam(learningRate, Settings.get(values, "beta1"), Settings.get(values, "beta2"),
                Settings.get(values, "eps"), Settings.get(values, "weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("beta1", 0.5, "beta2", 0.75, "weight_decay", 0.5), Settings.floats(2, -2),
                List.of(Settings.floats(0, 3), Settings.floats(-1.95, 3.05)), Settings.floats(1.9 + 1.0 / 30, -2.2),
                Settings.EXAMPLE_TOLERANCE);
    }
}
