package rnn.conformance;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code sgd} passes the kit a third-party optimizer passes. */
class SgdOptimizerTest implements OptimizerContract {

    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("sgd");
    }
}
