package rnn.backend.vector;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code sgd} against the optimizer kit, here with the vector backend beside the reference. */
class SgdOnVectorTest implements OptimizerContract {
    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("sgd");
    }
}
