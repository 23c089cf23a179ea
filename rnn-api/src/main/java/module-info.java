/**
 * The service-provider interface: backends (compute kernels), recurrent cells written once on top of
 * them, the output layer and loss, optimizers. Depends on nothing but java.base.
 */
module rnn.api {
    exports rnn.api;
    exports rnn.api.nn;
    exports rnn.api.optim;

    uses rnn.api.BackendProvider;
}
