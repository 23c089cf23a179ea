/**
 * The service-provider interface: backends (compute kernels), recurrent cells written once on top of
 * them, the output layer and loss, optimizers. Depends on nothing but java.base.
 */
module rnn.api {
    exports rnn.api;
    exports rnn.api.nn;
    exports rnn.api.optim;

    uses rnn.api.BackendProvider;
    uses rnn.api.optim.OptimizerProvider;

    provides rnn.api.optim.OptimizerProvider with
            rnn.api.optim.builtin.SgdProvider,
            rnn.api.optim.builtin.MomentumProvider,
            rnn.api.optim.builtin.NesterovProvider,
            rnn.api.optim.builtin.AdagradProvider,
            rnn.api.optim.builtin.RmsPropProvider,
            rnn.api.optim.builtin.AdamProvider,
            rnn.api.optim.builtin.AdamWProvider;
}
