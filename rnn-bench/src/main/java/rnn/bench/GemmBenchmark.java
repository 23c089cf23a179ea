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

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;

/**
 * GEMM at the shapes char-RNN training and sampling use, in the forward form (A·B), the two
 * backward forms that are read in place (Aᵀ·B for weight gradients, A·Bᵀ for input gradients), and
 * the recurrent product as the layers run it, A·B with B packed once per sequence ({@code packed}).
 * GFLOP/s = 2·m·n·k / (µs/op) / 1000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {

    /** m×k @ k×n. */
    @Param({"32x512x512", "32x256x256", "32x512x2048", "1x512x2048"})
    public String shape;

    /** NN: C = A·B; TN: C = Aᵀ·B with A stored k×m; NT: C = A·Bᵀ with B stored n×k; packed: A·B, B packed. */
    @Param({"NN", "TN", "NT", "packed"})
    public String form;

    @Param({"vector", "naive"})
    public String backend;

    @Param({"1"})
    public int threads;

    private Backend ops;
    private int m, n, k;
    private float[] a, b, c, packed;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        Rng rng = new Rng(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        ops = Backends.create(backend, new BackendOptions(threads));
        packed = new float[ops.packedSize(k, n)];
        ops.pack(false, k, n, b, 0, n, packed);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    @Benchmark
    public float[] gemm() {
        switch (form) {
            case "NN" -> ops.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
            case "TN" -> ops.gemm(true, false, m, n, k, a, 0, m, b, 0, n, 0f, c, 0, n);
            case "NT" -> ops.gemm(false, true, m, n, k, a, 0, k, b, 0, k, 0f, c, 0, n);
            case "packed" -> ops.gemmPacked(m, n, k, a, 0, k, packed, 0f, c, 0, n);
            default -> throw new IllegalArgumentException(form);
        }
        return c;
    }
}
