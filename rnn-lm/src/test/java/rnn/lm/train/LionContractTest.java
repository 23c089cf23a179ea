package rnn.lm.train;

import rnn.api.optim.OptimizerProvider;
import rnn.testkit.OptimizerContract;

/** A plug-in's whole test: one method, the kit does the rest. */
class LionContractTest implements OptimizerContract {
    @Override
    public OptimizerProvider optimizer() {
        return new LionProvider();
    }
}
