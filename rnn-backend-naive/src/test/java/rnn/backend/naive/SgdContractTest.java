package rnn.backend.naive;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code sgd} against the optimizer kit. */
class SgdContractTest implements OptimizerContract {
    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("sgd");
    }
}
