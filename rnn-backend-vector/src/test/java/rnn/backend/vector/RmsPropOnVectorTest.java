package rnn.backend.vector;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code rmsprop} against the optimizer kit, here with the vector backend beside the reference. */
class RmsPropOnVectorTest implements OptimizerContract {
    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("rmsprop");
    }
}
