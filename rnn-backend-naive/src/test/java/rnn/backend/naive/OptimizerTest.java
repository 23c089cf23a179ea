package rnn.backend.naive;

import rnn.api.optim.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Parameter;

/**
 * Each update rule against the formulas written out in double precision, on a 3-element parameter over
 * three steps with a different gradient each step.
 */
class OptimizerTest {

    static final double TOL = 1e-6;
    static final double[] THETA0 = {0.5, -1.0, 2.0};
    static final double[][] GRADS = {{0.1, -0.2, 0.3}, {-0.4, 0.05, 0.2}, {0.3, 0.3, -0.1}};

    final Backend ops = Backends.create("naive", new BackendOptions(1));

    /** Runs three steps and checks θ after each against {@code expected[step]}. */
    void check(Optimizer opt, double[][] expected) {
        Parameter p = Parameter.zeros("w", 3);
        for (int i = 0; i < 3; i++) {
            p.value()[i] = (float) THETA0[i];
        }
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                p.grad()[i] = (float) GRADS[s][i];
            }
            opt.step(ops, List.of(p));
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[s][i], p.value()[i], TOL, opt + " step " + (s + 1) + " element " + i);
                assertEquals((float) GRADS[s][i], p.grad()[i], "the gradient is left unchanged");
            }
        }
    }

    @Test
    void sgdWithWeightDecay() {
        double lr = 0.1, wd = 0.01;
        double[] th = THETA0.clone();
        double[][] e = new double[3][];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                th[i] -= lr * (GRADS[s][i] + wd * th[i]);
            }
            e[s] = th.clone();
        }
        check(new Sgd(lr, wd), e);
        // hand-computed first step of element 0: 0.5 - 0.1 * (0.1 + 0.005) = 0.4895
        assertEquals(0.4895, e[0][0], 1e-12);
    }

    @Test
    void plainSgdIsUnchanged() {
        double[][] e = new double[3][];
        double[] th = THETA0.clone();
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                th[i] -= 0.5 * GRADS[s][i];
            }
            e[s] = th.clone();
        }
        check(new Sgd(0.5), e);
    }

    @Test
    void momentumAndNesterov() {
        for (boolean nesterov : new boolean[] {false, true}) {
            double lr = 0.1, mu = 0.9, wd = 0.05;
            double[] th = THETA0.clone();
            double[] v = new double[3];
            double[][] e = new double[3][];
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[s][i] + wd * th[i];
                    v[i] = mu * v[i] + g;
                    th[i] -= lr * (nesterov ? g + mu * v[i] : v[i]);
                }
                e[s] = th.clone();
            }
            check(new Momentum(lr, mu, nesterov, wd), e);
        }
        // heavy ball without decay, element 0: v1 = 0.1, θ1 = 0.49; v2 = 0.09 - 0.4 = -0.31, θ2 = 0.521
        Parameter p = Parameter.zeros("w", 1);
        p.value()[0] = 0.5f;
        Momentum m = new Momentum(0.1, 0.9, false, 0);
        p.grad()[0] = 0.1f;
        m.step(ops, List.of(p));
        p.grad()[0] = -0.4f;
        m.step(ops, List.of(p));
        assertEquals(0.521, p.value()[0], TOL);
    }

    @Test
    void adagrad() {
        double lr = 0.1, eps = 1e-6;
        double[] th = THETA0.clone();
        double[] sum = new double[3];
        double[][] e = new double[3][];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                sum[i] += GRADS[s][i] * GRADS[s][i];
                th[i] -= lr * GRADS[s][i] / Math.sqrt(sum[i] + eps);
            }
            e[s] = th.clone();
        }
        check(new Adagrad(lr, eps), e);
    }

    @Test
    void rmsPropAsCharRnn() {
        double lr = 2e-3, alpha = 0.95, eps = 1e-8;
        double[] th = THETA0.clone();
        double[] ms = new double[3];
        double[][] e = new double[3][];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 3; i++) {
                ms[i] = alpha * ms[i] + (1 - alpha) * GRADS[s][i] * GRADS[s][i];
                th[i] -= lr * GRADS[s][i] / (Math.sqrt(ms[i]) + eps);
            }
            e[s] = th.clone();
        }
        check(new RmsProp(lr), e);
        // the first step moves each element by lr / sqrt(0.05) (up to ε) against the gradient's sign
        assertEquals(0.5 - 2e-3 / Math.sqrt(0.05), e[0][0], 1e-8);
    }

    static double[][] adam(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] th = THETA0.clone();
        double[] m = new double[3], v = new double[3];
        double[][] e = new double[3][];
        for (int s = 0; s < 3; s++) {
            int t = s + 1;
            for (int i = 0; i < 3; i++) {
                double g = GRADS[s][i] + (decoupled ? 0 : wd * th[i]);
                if (decoupled) {
                    th[i] *= 1 - lr * wd;
                }
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                th[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            e[s] = th.clone();
        }
        return e;
    }

    @Test
    void adamWithL2Decay() {
        check(new Adam(0.01, 0.9, 0.999, 1e-8, 0.1), adam(0.01, 0.9, 0.999, 1e-8, 0.1, false));
        // without decay the first step is lr·sign(g) (up to ε): 0.5 - 0.01
        assertEquals(0.49, adam(0.01, 0.9, 0.999, 1e-8, 0, false)[0][0], 1e-7);
    }

    @Test
    void adamWDecouplesTheDecay() {
        check(new AdamW(0.01, 0.9, 0.999, 1e-8, 0.1), adam(0.01, 0.9, 0.999, 1e-8, 0.1, true));
        // decoupled and L2 decay differ
        double[][] l2 = adam(0.01, 0.9, 0.999, 1e-8, 0.1, false);
        double[][] w = adam(0.01, 0.9, 0.999, 1e-8, 0.1, true);
        assertEquals(true, Math.abs(l2[2][2] - w[2][2]) > 1e-4);
    }

    @Test
    void stateRoundTripContinuesExactly() {
        for (var make : List.<java.util.function.Supplier<Optimizer>>of(
                () -> new Momentum(0.1, 0.9, true, 0.01), () -> new Adagrad(0.1, 1e-8),
                () -> new RmsProp(0.01), () -> new Adam(0.01, 0.9, 0.999, 1e-8, 0.01),
                () -> new AdamW(0.01))) {
            Optimizer a = make.get();
            Parameter pa = Parameter.zeros("w", 3);
            for (int s = 0; s < 2; s++) {
                for (int i = 0; i < 3; i++) {
                    pa.grad()[i] = (float) GRADS[s][i];
                }
                a.step(ops, List.of(pa));
            }
            Map<String, float[]> saved = a.state();
            Optimizer b = make.get();
            b.restore(saved);
            Parameter pb = Parameter.zeros("w", 3);
            System.arraycopy(pa.value(), 0, pb.value(), 0, 3);
            for (int i = 0; i < 3; i++) {
                pa.grad()[i] = pb.grad()[i] = (float) GRADS[2][i];
            }
            a.step(ops, List.of(pa));
            b.step(ops, List.of(pb));
            for (int i = 0; i < 3; i++) {
                assertEquals(pa.value()[i], pb.value()[i], a + " element " + i);
            }
        }
        Map<String, float[]> st = new Adam(0.1).state();
        assertEquals(0f, st.get("step")[0]);
    }

    @Test
    void learningRateIsSettableAndValidated() {
        Optimizer o = new Adam(0.01);
        o.setLearningRate(0.1);
        assertEquals(0.1, o.learningRate(), 0.0, "kept in double: exactly what was set");
        assertEquals(0.1, new Sgd(0.1).learningRate(), 0.0);
        o.setLearningRate(0);
        assertThrows(IllegalArgumentException.class, () -> o.setLearningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
        assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1.0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.1, 0.95, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 0.999, 1e-8, -1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).restore(Map.of("w.x", new float[1])));
    }

    @Test
    void theLearningRateConstructorsTakeTheProvidersDefaults() {
        Map<String, Optimizer> byConstructor = Map.of("sgd", new Sgd(0.1), "momentum", new Momentum(0.1),
                "adagrad", new Adagrad(0.1), "rmsprop", new RmsProp(0.1), "adam", new Adam(0.1), "adamw", new AdamW(0.1));
        byConstructor.forEach((name, o) -> assertEquals(Optimizers.create(name, 0.1, Map.of()).toString(), o.toString(), name));
        assertEquals("AdamW[lr=0.1, beta1=0.9, beta2=0.999, eps=1.0E-8, weightDecay=0.01]", new AdamW(0.1).toString());
        assertEquals("RmsProp[lr=0.1, alpha=0.95, eps=1.0E-8]", new RmsProp(0.1).toString());
    }
}
