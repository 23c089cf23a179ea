package org.example.lion;

import rnn.api.optim.OptimizerProvider;
import rnn.testkit.OptimizerContract;

/** The whole optimizer kit, inherited: the worked example, state round trip, backends, determinism. */
class LionTest implements OptimizerContract {

    @Override
    public OptimizerProvider optimizer() {
        return new Lion();
    }
}
