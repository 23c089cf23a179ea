package org.example.lion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import rnn.api.Backend;
import rnn.api.Hyperparameter;
import rnn.api.Hyperparameter.Range;
import rnn.api.Parameter;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerExample;
import rnn.api.optim.OptimizerProvider;

/**
 * Lion (Chen et al. 2023): the sign of an interpolated momentum, with decoupled weight decay:
 * {@code c = β₁m + (1 − β₁)g}, {@code θ ← θ − lr·(sign(c) + λθ)}, {@code m ← β₂m + (1 − β₂)g}.
 *
 * <p>Worked example, lr = 0.1, β₁ = 0.5, β₂ = 0.75, λ = 0.5, θ₀ = (1, −2):
 * <pre>
 * step 1, g = (2, −1):     c = 0.5·0 + 0.5·g = (1, −0.5)   sign = (1, −1)
 *                          θ₁ = (1 − 0.1·(1 + 0.5), −2 − 0.1·(−1 − 1)) = (0.85, −1.8)     m₁ = 0.25·g = (0.5, −0.25)
 * step 2, g = (−0.4, −3):  c = 0.5·m₁ + 0.5·g = (0.05, −1.625)   sign = (1, −1)   (g alone would say −1 for element 0)
 *                          θ₂ = (0.85 − 0.1·(1 + 0.425), −1.8 − 0.1·(−1 − 0.9)) = (0.7075, −1.61)
 * </pre>
 */
public final class Lion implements OptimizerProvider {

    @Override
    public String name() {
        return "lion";
    }

    @Override
    public String description() {
        return "Lion (Chen et al. 2023): the sign of an interpolated momentum, decoupled weight decay";
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return List.of(new Hyperparameter("beta1", 0.9, Range.FRACTION, "interpolation β₁ of the update"),
                new Hyperparameter("beta2", 0.99, Range.FRACTION, "decay β₂ of the momentum"),
                new Hyperparameter("weight_decay", 0, Range.NON_NEGATIVE, "decoupled decay λ"));
    }

    @Override
    public Optimizer create(double learningRate, Map<String, Double> values) {
        return new Rule(learningRate, values.get("beta1"), values.get("beta2"), values.get("weight_decay"));
    }

    @Override
    public OptimizerExample example() {
        return new OptimizerExample(0.1, Map.of("beta1", 0.5, "beta2", 0.75, "weight_decay", 0.5),
                new float[] {1, -2}, List.of(new float[] {2, -1}, new float[] {-0.4f, -3}), new float[] {0.7075f, -1.61f},
                1e-6);
    }

    /** The update rule; its state is one momentum buffer per parameter, {@code <name>.m}. */
    private static final class Rule implements Optimizer {
        private double learningRate;
        private final float beta1;
        private final float beta2;
        private final double weightDecay;
        private final Map<String, float[]> moments = new LinkedHashMap<>();
        private float[] c = new float[0];

        Rule(double learningRate, double beta1, double beta2, double weightDecay) {
            this.learningRate = Optimizer.positive("learning rate", learningRate);
            this.beta1 = (float) beta1;
            this.beta2 = (float) beta2;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(Backend ops, List<Parameter> parameters) {
            for (int k = 0; k < parameters.size(); k++) { // no iterator: a training step allocates nothing
                Parameter p = parameters.get(k);
                int n = p.size();
                float[] m = moments.get(p.name() + ".m");
                if (m == null) {
                    m = new float[n];
                    moments.put(p.name() + ".m", m);
                }
                if (c.length < n) {
                    c = new float[n];
                }
                System.arraycopy(m, 0, c, 0, n);            // c = β₁m + (1 − β₁)g
                ops.scale(n, beta1, c, 0);
                ops.axpy(n, 1 - beta1, p.grad(), 0, c, 0);
                if (weightDecay != 0) {
                    ops.scale(n, (float) (1 - learningRate * weightDecay), p.value(), 0);
                }
                float[] theta = p.value();
                float lr = (float) learningRate;
                for (int i = 0; i < n; i++) { // no sign kernel: a plain loop
                    theta[i] -= lr * Math.signum(c[i]);
                }
                ops.scale(n, beta2, m, 0);
                ops.axpy(n, 1 - beta2, p.grad(), 0, m, 0);
            }
        }

        @Override
        public double learningRate() {
            return learningRate;
        }

        @Override
        public void setLearningRate(double learningRate) {
            this.learningRate = Optimizer.nonNegative("learning rate", learningRate);
        }

        @Override
        public Map<String, float[]> state() {
            Map<String, float[]> copy = new LinkedHashMap<>();
            moments.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }

        @Override
        public void restore(Map<String, float[]> state) {
            moments.clear();
            state.forEach((k, v) -> {
                if (!k.endsWith(".m")) {
                    throw new IllegalArgumentException("Lion keeps only <name>.m, got " + k);
                }
                moments.put(k, v.clone());
            });
        }
    }
}
