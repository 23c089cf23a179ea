package rnn.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;
import rnn.api.nn.CellType;
import rnn.api.nn.RecurrentNet;
import rnn.api.optim.Clipping;
import rnn.api.optim.Sgd;

/**
 * One training step of d2l's char-RNN: forward over 35 steps of a batch of 32 token sequences
 * (vocabulary 28, one-hot input given as ids, as the language model does), BPTT, global-norm clipping and the SGD update, with the state carried as in
 * sequential sampling. tokens/s = 32·35 · ops/s. Run with {@code -prof gc} to see allocation per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainStepBenchmark {

    static final int VOCAB = 28, BATCH = 32, STEPS = 35;

    @Param({"256", "512"})
    public int hidden;

    @Param({"RNN"})
    public String cell;

    @Param({"vector", "naive"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend ops;
    private RecurrentNet net;
    private List<rnn.api.nn.State> states;
    private final int[] tokens = new int[STEPS * BATCH];
    private final int[] targets = new int[STEPS * BATCH];
    private final Sgd sgd = new Sgd(1f);
    private final Clipping clip = new Clipping.GlobalNorm(1);

    @Setup(Level.Trial)
    public void setUp() {
        ops = Backends.create(backend, new BackendOptions(threads));
        net = RecurrentNet.builder().setBackend(ops).setInputSize(VOCAB).setHiddenSize(hidden).setOutputSize(VOCAB)
                .optCell(CellType.valueOf(cell)).optSeed(1).build();
        states = net.newStates(BATCH);
        Rng rng = new Rng(2);
        for (int i = 0; i < targets.length; i++) {
            tokens[i] = rng.nextInt(VOCAB);
            targets[i] = rng.nextInt(VOCAB);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public double trainStep() {
        net.zeroGrad();
        double loss = net.forward(tokens, targets, STEPS, states);
        net.backward(null);
        clip.apply(ops, net.parameters());
        sgd.step(ops, net.parameters());
        return loss;
    }
}
