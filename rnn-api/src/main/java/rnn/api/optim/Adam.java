package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.Parameter;

/**
 * Adam (Kingma and Ba) with L2 weight decay λ folded into the gradient, as PyTorch's {@code Adam}:
 * <pre>
 * g' = g + λθ     m ← β₁m + (1 − β₁)g'     v ← β₂v + (1 − β₂)g'²     (t counts steps from 1)
 * θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * {@link AdamW} decouples the decay instead. State: {@code <name>.m}, {@code <name>.v}, {@code step}.
 */
public sealed class Adam extends BaseOptimizer permits AdamW {

    /** Kingma and Ba's and PyTorch's defaults. */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    public Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        this(learningRate, beta1, beta2, eps, weightDecay, false);
    }

    /** The usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no decay. */
    public Adam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0);
    }

    Adam(double learningRate, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(learningRate, true);
        this.beta1 = Optimizer.fraction("beta1", beta1);
        this.beta2 = Optimizer.fraction("beta2", beta2);
        this.eps = Optimizer.positive("epsilon", eps);
        this.weightDecay = Optimizer.nonNegative("weight decay", weightDecay);
        this.decoupled = decoupled;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        long t = slots.nextStep();
        double correction1 = 1 - Math.pow(beta1, t);
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = learningRate / correction1;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float wd = (float) weightDecay;
        float keep = (float) (1 - learningRate * weightDecay);
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            int n = p.size();
            float[] theta = p.value();
            float[] m = slots.get(p, "m");
            float[] v = slots.get(p, "v");
            float[] g = p.grad();
            float[] tmp = slots.scratch(2 * n);
            if (weightDecay != 0 && !decoupled) {
                ops.addScaled(n, g, 0, wd, theta, 0, tmp, n); // g' = g + λθ
                g = tmp;
            }
            int gOff = g == tmp ? n : 0;
            ops.scale(n, b1, m, 0);
            ops.axpy(n, oneMinusB1, g, gOff, m, 0);
            ops.mul(n, g, gOff, g, gOff, tmp, 0);
            ops.scale(n, b2, v, 0);
            ops.axpy(n, oneMinusB2, tmp, 0, v, 0);
            if (weightDecay != 0 && decoupled) {
                ops.scale(n, keep, theta, 0);
            }
            // No kernel divides or takes square roots elementwise: a plain loop over the parameter.
            for (int i = 0; i < n; i++) {
                theta[i] -= (float) (stepSize * m[i] / (Math.sqrt(v[i]) / sqrtCorrection2 + eps));
            }
        }
    }

    @Override
    public String toString() {
        return (decoupled ? "AdamW" : "Adam") + "[lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", eps=" + eps + ", weightDecay=" + weightDecay + "]";
    }
}
