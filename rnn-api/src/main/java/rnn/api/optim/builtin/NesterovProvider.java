package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.Momentum;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code nesterov}: SGD with Nesterov momentum as PyTorch's ({@link Momentum}):
 * {@code g' = g + λθ, v ← μv + g', θ ← θ − lr·(g' + μv)}.
 *
 * <p>Worked example, lr = 0.1, μ = 0.5, λ = 0.1, θ₀ = (1, −2):
 * <pre>
 * step 1, g = (0.5, 0.5):  g' = (0.6, 0.3)  v₁ = (0.6, 0.3)  g' + μv₁ = (0.9, 0.45)  θ₁ = (0.91, −2.045)
 * step 2, g = (−1, 2):     g' = (−1 + 0.091, 2 − 0.2045) = (−0.909, 1.7955)
 *                          v₂ = (0.3 − 0.909, 0.15 + 1.7955) = (−0.609, 1.9455)
 *                          g' + μv₂ = (−0.909 − 0.3045, 1.7955 + 0.97275) = (−1.2135, 2.76825)
 *                          θ₂ = (0.91 + 0.12135, −2.045 − 0.276825) = (1.03135, −2.321825)
 * </pre>
 */
public final class NesterovProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "nesterov";
    }

    @Override
    public String description() {
        return "SGD with Nesterov momentum (PyTorch's form), optional L2 weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(Settings.momentum(Momentum.DEFAULT_MOMENTUM), Settings.weightDecay(0));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Momentum(learningRate, Settings.get(values, "momentum"), true, Settings.get(values, "weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("momentum", 0.5, "weight_decay", 0.1), Settings.floats(1, -2),
                List.of(Settings.floats(0.5, 0.5), Settings.floats(-1, 2)), Settings.floats(1.03135, -2.321825),
                Settings.EXAMPLE_TOLERANCE);
    }
}
