package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.Adagrad;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code adagrad}: min-char-rnn's Adagrad ({@link Adagrad}): {@code s ← s + g², θ ← θ − lr·g / √(s + ε)}.
 *
 * <p>Worked example, lr = 0.5, ε = 7 (large, so that where ε goes shows), θ₀ = (1, −2):
 * <pre>
 * step 1, g = (3, −3):  s₁ = (9, 9)    √(s₁ + ε) = 4   θ₁ = (1 − 0.5·3/4, −2 + 0.5·3/4) = (0.625, −1.625)
 * step 2, g = (−3, 3):  s₂ = (18, 18)  √(s₂ + ε) = 5   θ₂ = (0.625 + 0.3, −1.625 − 0.3)  = (0.925, −1.925)
 * </pre>
 */
public final class AdagradProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public String description() {
        return "Adagrad (min-char-rnn), ε inside the root";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(Settings.eps(Adagrad.DEFAULT_EPS, "added to the sum of squares under the root"));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Adagrad(learningRate, Settings.get(values, "eps"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.5, Map.of("eps", 7.0), Settings.floats(1, -2),
                List.of(Settings.floats(3, -3), Settings.floats(-3, 3)), Settings.floats(0.925, -1.925),
                Settings.EXAMPLE_TOLERANCE);
    }
}
