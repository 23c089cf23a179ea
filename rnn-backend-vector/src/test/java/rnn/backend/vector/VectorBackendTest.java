package rnn.backend.vector;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.testkit.BackendContract;

/** The shared backend contract (kernels, gradients, loss) run against the vector backend. */
class VectorBackendTest implements BackendContract {

    @Override
    public Backend backend(int threads) {
        return Backends.create("vector", new BackendOptions(threads));
    }
}
