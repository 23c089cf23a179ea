package rnn.conformance;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code nesterov} passes the kit a third-party optimizer passes. */
class NesterovOptimizerTest implements OptimizerContract {

    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("nesterov");
    }
}
