package rnn.bench;

import java.util.List;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.api.nn.RecurrentNet;
import rnn.api.cell.State;
import rnn.api.optim.Clipping;
import rnn.api.optim.Sgd;

/**
 * One training step of d2l's char-RNN: forward over 35 steps of a batch of (by default) 32 token sequences
 * (vocabulary 28, one-hot input given as ids, as the language model does), BPTT, global-norm clipping
 * and the SGD update, with the state carried as in sequential sampling. What the JMH benchmark times
 * and the allocation probe counts.
 */
final class TrainStep implements AutoCloseable {

    static final int VOCAB = 28, BATCH = 32, STEPS = 35;

    private final int batch;

    private final Backend ops;
    private final RecurrentNet net;
    private final List<State> states;
    private final int[] tokens;
    private final int[] targets;
    private final Sgd sgd = new Sgd(1);
    private final Clipping clip = new Clipping.GlobalNorm(1);

    /** {@code cell}: a cell's name, or {@code NAME-step} for its step form (backward derived). */
    TrainStep(String backend, int threads, String cell, int hidden) {
        this(backend, threads, cell, hidden, BATCH);
    }

    TrainStep(String backend, int threads, String cell, int hidden, int batch) {
        this.batch = batch;
        tokens = new int[batch * STEPS];
        targets = new int[batch * STEPS];
        ops = Backends.create(backend, new BackendOptions(threads));
        net = RecurrentNet.builder().setBackend(ops).setInputSize(VOCAB).setHiddenSize(hidden).setOutputSize(VOCAB)
                .optCell(cell(cell)).optSeed(1).build();
        states = net.newStates(batch);
        Rng rng = new Rng(2);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(VOCAB);
            targets[i] = rng.nextInt(VOCAB);
        }
    }

    static CellProvider cell(String name) {
        return name.endsWith("-step") ? Cells.stepFormOf(Cells.forName(name.substring(0, name.length() - 5)))
                : Cells.forName(name);
    }

    /** One step; returns the summed loss. */
    double run() {
        net.zeroGrad();
        double loss = net.forward(tokens, targets, STEPS, states);
        net.backward(null);
        clip.apply(ops, net.parameters());
        sgd.step(ops, net.parameters());
        return loss;
    }

    @Override
    public void close() {
        ops.close();
    }
}
