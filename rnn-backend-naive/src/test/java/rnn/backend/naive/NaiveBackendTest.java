package rnn.backend.naive;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.testkit.BackendContract;

/** The reference passes its own contract: gradient checks above all, since agreement with itself is trivial. */
class NaiveBackendTest implements BackendContract {

    @Override
    public Backend backend(int threads) {
        return new NaiveProvider().create(new BackendOptions(threads));
    }
}
