package rnn.lm.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.optim.Optimizer;

/**
 * Lion (Chen et al., 2023), written only against the public API, as a third party would write an
 * optimizer plug-in: {@code c = β₁m + (1 − β₁)g}, {@code θ ← θ − lr·(sign(c) + λθ)},
 * {@code m ← β₂m + (1 − β₂)g}. State: {@code <name>.m}.
 */
final class Lion implements Optimizer {

    private double learningRate;
    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final Map<String, float[]> moments = new LinkedHashMap<>();
    private float[] scratch = new float[0];

    Lion(double learningRate, double beta1, double beta2, double weightDecay) {
        this.learningRate = Optimizer.positive("learning rate", learningRate);
        this.beta1 = Optimizer.fraction("beta1", beta1);
        this.beta2 = Optimizer.fraction("beta2", beta2);
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        float lr = (float) learningRate;
        for (Parameter p : parameters) {
            int n = p.size();
            float[] m = moments.computeIfAbsent(p.name() + ".m", k -> new float[n]);
            if (scratch.length < n) {
                scratch = new float[n];
            }
            float[] c = scratch;
            System.arraycopy(m, 0, c, 0, n);
            ops.scale(n, (float) beta1, c, 0);
            ops.axpy(n, (float) (1 - beta1), p.grad(), 0, c, 0);
            if (weightDecay != 0) {
                ops.scale(n, (float) (1 - learningRate * weightDecay), p.value(), 0);
            }
            float[] theta = p.value();
            for (int i = 0; i < n; i++) {
                theta[i] -= lr * Math.signum(c[i]);
            }
            ops.scale(n, (float) beta2, m, 0);
            ops.axpy(n, (float) (1 - beta2), p.grad(), 0, m, 0);
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
