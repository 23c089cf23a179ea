package rnn.backend.naive;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code rmsprop} against the optimizer kit. */
class RmsPropContractTest implements OptimizerContract {
    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("rmsprop");
    }
}
