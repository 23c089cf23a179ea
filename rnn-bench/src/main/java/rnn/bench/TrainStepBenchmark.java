package rnn.bench;

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


/**
 * One {@link TrainStep}: tokens/s = batch·35 · ops/s. Allocation per step: {@link AllocationProbe}
 * ({@code -prof gc} also counts the harness's own threads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class TrainStepBenchmark {

    @Param({"256", "512"})
    public int hidden;

    /** A cell's name, or {@code NAME-step} for its step form (e.g. {@code lstm-step}). */
    @Param({"rnn"})
    public String cell;

    @Param({"vector", "naive"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    /** Sequences per batch: d2l's 32, or more to see how the speed holds as the work grows. */
    @Param({"32"})
    public int batch;

    private TrainStep step;

    @Setup(Level.Trial)
    public void setUp() {
        step = new TrainStep(backend, threads, cell, hidden, batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }

    @Benchmark
    public double trainStep() {
        return step.run();
    }
}
