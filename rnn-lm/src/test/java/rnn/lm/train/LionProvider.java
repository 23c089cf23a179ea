package rnn.lm.train;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * {@code lion}, a plug-in found through this module's test {@code META-INF/services}.
 *
 * <p>Worked example, lr = 0.1, β₁ = 0.5, β₂ = 0.75, λ = 0.5, θ₀ = (1, −2):
 * <pre>
 * step 1, g = (2, −1):     c = 0.5·0 + 0.5·g = (1, −0.5)   sign = (1, −1)
 *                          θ₁ = (1 − 0.1·(1 + 0.5), −2 − 0.1·(−1 − 1)) = (0.85, −1.8)     m₁ = 0.25·g = (0.5, −0.25)
 * step 2, g = (−0.4, −3):  c = 0.5·m₁ + 0.5·g = (0.05, −1.625)   sign = (1, −1)   (g alone would say −1 for element 0)
 *                          θ₂ = (0.85 − 0.1·(1 + 0.425), −1.8 − 0.1·(−1 − 0.9)) = (0.7075, −1.61)
 * </pre>
 */
public final class LionProvider implements OptimizerProvider {

    @Override
    public String name() {
        return "lion";
    }

    @Override
    public String description() {
        return "Lion (Chen et al., 2023): the sign of an interpolated momentum, decoupled weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(new Hyperparameter("beta1", 0.9, Range.FRACTION, "interpolation β₁ of the update"),
                new Hyperparameter("beta2", 0.99, Range.FRACTION, "decay β₂ of the momentum"),
                new Hyperparameter("weight_decay", 0, Range.NON_NEGATIVE, "decoupled decay λ"));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Lion(learningRate, values.get("beta1"), values.get("beta2"), values.get("weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("beta1", 0.5, "beta2", 0.75, "weight_decay", 0.5),
                new float[] {1, -2}, List.of(new float[] {2, -1}, new float[] {-0.4f, -3}), new float[] {0.7075f, -1.61f},
                1e-6);
    }
}
