package rnn.api.optim;

import java.util.List;

import rnn.api.Backend;
import rnn.api.nn.Parameter;

/** Updates parameters from their gradients. */
public interface Optimizer {

    /** One update of every parameter from its current gradient. */
    void step(Backend ops, List<Parameter> parameters);
}
