package rnn.conformance;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.testkit.OptimizerContract;

/** The built-in {@code adagrad} passes the kit a third-party optimizer passes. */
class AdagradOptimizerTest implements OptimizerContract {

    @Override
    public OptimizerProvider optimizer() {
        return Optimizers.forName("adagrad");
    }
}
