package rnn.lm.train;

import java.util.Arrays;
import java.util.Locale;

import rnn.api.optim.Adagrad;
import rnn.api.optim.Adam;
import rnn.api.optim.AdamW;
import rnn.api.optim.Momentum;
import rnn.api.optim.Optimizer;
import rnn.api.optim.RmsProp;
import rnn.api.optim.Sgd;

/** The optimizers a training run can name, with the defaults of the tools they come from. */
public enum OptimizerKind {
    /** d2l's minibatch SGD. */
    SGD,
    /** SGD with heavy-ball momentum 0.9. */
    MOMENTUM,
    /** SGD with Nesterov momentum 0.9. */
    NESTEROV,
    /** min-char-rnn's Adagrad. */
    ADAGRAD,
    /** char-rnn's RMSProp (decay 0.95). */
    RMSPROP,
    /** Adam (0.9, 0.999, 1e-8), weight decay as L2 on the gradient. */
    ADAM,
    /** AdamW: Adam with decoupled weight decay. */
    ADAMW;

    public Optimizer create(double learningRate, double weightDecay) {
        double lr = learningRate;
        double wd = weightDecay;
        return switch (this) {
            case SGD -> new Sgd(lr, wd);
            case MOMENTUM -> new Momentum(lr, 0.9, false, wd);
            case NESTEROV -> new Momentum(lr, 0.9, true, wd);
            case ADAGRAD -> {
                requireNoDecay(wd);
                yield new Adagrad(lr, 1e-8);
            }
            case RMSPROP -> {
                requireNoDecay(wd);
                yield new RmsProp(lr);
            }
            case ADAM -> new Adam(lr, 0.9, 0.999, 1e-8, wd);
            case ADAMW -> new AdamW(lr, 0.9, 0.999, 1e-8, wd);
        };
    }

    private void requireNoDecay(double wd) {
        if (wd != 0) {
            throw new IllegalArgumentException("--weight-decay is not supported by " + id()
                    + "; use sgd, momentum, nesterov, adam or adamw");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptimizerKind parse(String name) {
        for (OptimizerKind k : values()) {
            if (k.id().equalsIgnoreCase(name.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose one of "
                + Arrays.stream(values()).map(OptimizerKind::id).toList());
    }
}
