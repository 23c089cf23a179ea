package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.Momentum;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code momentum}: SGD with heavy-ball momentum as PyTorch's ({@link Momentum}):
 * {@code g' = g + λθ, v ← μv + g', θ ← θ − lr·v}.
 *
 * <p>Worked example, lr = 0.1, μ = 0.5, λ = 0.1, θ₀ = (1, −2):
 * <pre>
 * step 1, g = (0.5, 0.5):  g' = (0.6, 0.3)        v₁ = (0.6, 0.3)                          θ₁ = (0.94, −2.03)
 * step 2, g = (−1, 2):     g' = (−0.906, 1.797)   v₂ = (0.3 − 0.906, 0.15 + 1.797) = (−0.606, 1.947)
 *                          θ₂ = (0.94 + 0.0606, −2.03 − 0.1947) = (1.0006, −2.2247)
 * </pre>
 */
public final class MomentumProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String description() {
        return "SGD with heavy-ball momentum (PyTorch's form), optional L2 weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(Settings.momentum(Momentum.DEFAULT_MOMENTUM), Settings.weightDecay(0));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Momentum(learningRate, Settings.get(values, "momentum"), false, Settings.get(values, "weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("momentum", 0.5, "weight_decay", 0.1), Settings.floats(1, -2),
                List.of(Settings.floats(0.5, 0.5), Settings.floats(-1, 2)), Settings.floats(1.0006, -2.2247),
                Settings.EXAMPLE_TOLERANCE);
    }
}
