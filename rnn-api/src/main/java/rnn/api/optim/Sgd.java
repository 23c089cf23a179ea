package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.nn.Parameter;

/** Plain minibatch SGD, d2l's {@code sgd}: {@code θ ← θ - lr·g}. */
public record Sgd(float learningRate) implements Optimizer {

    public Sgd {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
    }

    @Override
    public void step(Backend ops, List<Parameter> parameters) {
        for (Parameter p : parameters) {
            ops.axpy(p.size(), -learningRate, p.grad(), 0, p.value(), 0);
        }
    }
}
