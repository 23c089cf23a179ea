package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.RmsProp;

/**
 * {@code rmsprop}: char-rnn's RMSProp ({@link RmsProp}): {@code s ← αs + (1 − α)g², θ ← θ − lr·g / (√s + ε)},
 * with char-rnn's decay α = 0.95 by default (PyTorch's is 0.99).
 *
 * <p>Worked example, lr = 0.1, α = 0.75, ε = 1 (large, so that where ε goes shows), θ₀ = (1, −2):
 * <pre>
 * step 1, g = (2, −6):  s₁ = 0.25·g² = (1, 9)                        √s₁ + ε = (2, 4)
 *                       θ₁ = (1 − 0.1·2/2, −2 + 0.1·6/4) = (0.9, −1.85)
 * step 2, g = (−1, 3):  s₂ = (0.75 + 0.25, 6.75 + 2.25) = (1, 9)     √s₂ + ε = (2, 4)
 *                       θ₂ = (0.9 + 0.1·1/2, −1.85 − 0.1·3/4) = (0.95, −1.925)
 * </pre>
 */
public final class RmsPropProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String description() {
        return "RMSProp (char-rnn), ε outside the root";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(new Hyperparameter("alpha", RmsProp.CHAR_RNN_ALPHA, Range.FRACTION,
                        "decay α of the mean square (char-rnn's decay_rate)"),
                Settings.eps(RmsProp.DEFAULT_EPS, "added to the root mean square"));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new RmsProp(learningRate, Settings.get(values, "alpha"), Settings.get(values, "eps"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("alpha", 0.75, "eps", 1.0), Settings.floats(1, -2),
                List.of(Settings.floats(2, -6), Settings.floats(-1, 3)), Settings.floats(0.95, -1.925),
                Settings.EXAMPLE_TOLERANCE);
    }
}
