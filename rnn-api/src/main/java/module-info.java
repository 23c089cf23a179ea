/**
 * The service-provider interface: backends (compute kernels), recurrent cells (a step language with
 * derived gradients, or hand-written fused layers), the network and loss, optimizers. Depends on
 * nothing but java.base.
 */
module rnn.api {
    exports rnn.api;
    exports rnn.api.cell;
    exports rnn.api.nn;
    exports rnn.api.optim;

    uses rnn.api.BackendProvider;
    uses rnn.api.cell.CellProvider;
    uses rnn.api.optim.OptimizerProvider;

    provides rnn.api.cell.CellProvider with
            rnn.api.cell.builtin.RnnProvider,
            rnn.api.cell.builtin.GruProvider,
            rnn.api.cell.builtin.LstmProvider;
    provides rnn.api.optim.OptimizerProvider with
            rnn.api.optim.builtin.SgdProvider,
            rnn.api.optim.builtin.MomentumProvider,
            rnn.api.optim.builtin.NesterovProvider,
            rnn.api.optim.builtin.AdagradProvider,
            rnn.api.optim.builtin.RmsPropProvider,
            rnn.api.optim.builtin.AdamProvider,
            rnn.api.optim.builtin.AdamWProvider;
}
