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
import rnn.api.nn.RecurrentNet;

/**
 * One step of batch-1 generation: feed the last character (its id: one-hot input as a lookup), take the logits, pick the most
 * likely next one. chars/s = ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GenerateBenchmark {

    static final int VOCAB = 28;

    @Param({"512"})
    public int hidden;

    @Param({"rnn"})
    public String cell;

    @Param({"vector", "naive"})
    public String backend;

    private Backend ops;
    private RecurrentNet net;
    private List<rnn.api.cell.State> states;
    private final int[] token = new int[1];
    private int last;

    @Setup(Level.Trial)
    public void setUp() {
        ops = Backends.create(backend, new BackendOptions(1));
        net = RecurrentNet.builder().setBackend(ops).setInputSize(VOCAB).setHiddenSize(hidden).setOutputSize(VOCAB)
                .optCell(cell).optInit(new rnn.api.cell.Init.Normal(0.1)).optSeed(1).build();
        states = net.newStates(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public int nextChar() {
        token[0] = last;
        net.forward(token, null, 1, states);
        float[] logits = net.logits();
        int best = 0;
        for (int j = 1; j < VOCAB; j++) {
            if (logits[j] > logits[best]) {
                best = j;
            }
        }
        last = best;
        return best;
    }
}
