package rnn.api.optim.builtin;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Sgd;

/**
 * {@code sgd}: d2l's minibatch SGD, {@code θ ← θ − lr·(g + λθ)} ({@link Sgd}).
 *
 * <p>Worked example, lr = 0.1, λ = 0.1, θ₀ = (1, −2):
 * <pre>
 * step 1, g = (0.5, 0.5):  g + λθ = (0.6, 0.3)       θ₁ = (1 − 0.06, −2 − 0.03)           = (0.94, −2.03)
 * step 2, g = (−1, 2):     g + λθ = (−0.906, 1.797)  θ₂ = (0.94 + 0.0906, −2.03 − 0.1797) = (1.0306, −2.2097)
 * </pre>
 */
public final class SgdProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "minibatch SGD (d2l), optional L2 weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(Settings.weightDecay(0));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Sgd(learningRate, Settings.get(values, "weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("weight_decay", 0.1), Settings.floats(1, -2),
                List.of(Settings.floats(0.5, 0.5), Settings.floats(-1, 2)), Settings.floats(1.0306, -2.2097),
                Settings.EXAMPLE_TOLERANCE);
    }
}
