package rnn.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static rnn.backend.vector.VectorKernelsTest.random;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import rnn.api.Activation;
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

    /**
     * Two threads driving one two-thread vector backend at once (issue 12): a large GEMM split over the
     * workers on one, a small GEMM (the shared GEMM job, no workers) and a large block kernel split over
     * the workers on the other. The second to enter gets the clear IllegalStateException, quickly; no
     * call hangs and none that returns normally gives wrong bits; the backend still works afterwards.
     */
    @Test
    void twoThreadsOnOneBackendGetAClearExceptionQuicklyNeverAHang() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rnd = new Random(12);
            int n = 96, s = 8, rows = 256, cols = 256; // 96³ and 256² are past the serial thresholds, 8³ is not
            float[] a = random(rnd, n * n), b = random(rnd, n * n), sa = random(rnd, s * s), sb = random(rnd, s * s);
            float[] x = random(rnd, rows * cols), y = random(rnd, rows * cols);
            try (Backend vb = backend(2)) {
                float[] big = new float[n * n], small = new float[s * s], sum = new float[rows * cols];
                float[] bias = random(rnd, cols), tanh = x.clone();
                vb.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0f, big, 0, n);
                vb.gemm(false, true, s, s, s, sa, 0, s, sb, 0, s, 0f, small, 0, s);
                vb.addBlock(rows, cols, 0.5f, x, 0, cols, -2f, y, 0, cols, sum, 0, cols);
                vb.biasActivation(Activation.TANH, rows, cols, bias, 0, tanh, 0, cols);

                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<IllegalStateException> refused = new AtomicReference<>();
                long start = System.nanoTime(), deadline = start + 20_000_000_000L;
                List<Runnable> loops = List.of(
                        () -> {
                            float[] c = new float[n * n];
                            while (!stop.get() && System.nanoTime() < deadline) {
                                Arrays.fill(c, Float.NaN);
                                vb.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0f, c, 0, n);
                                assertArrayEquals(big, c, "large GEMM while another thread used the backend");
                            }
                        },
                        () -> {
                            float[] c = new float[s * s], out = new float[rows * cols], t = new float[rows * cols];
                            while (!stop.get() && System.nanoTime() < deadline) {
                                Arrays.fill(c, Float.NaN);
                                vb.gemm(false, true, s, s, s, sa, 0, s, sb, 0, s, 0f, c, 0, s);
                                assertArrayEquals(small, c, "small GEMM while another thread used the backend");
                                Arrays.fill(out, Float.NaN);
                                vb.addBlock(rows, cols, 0.5f, x, 0, cols, -2f, y, 0, cols, out, 0, cols);
                                assertArrayEquals(sum, out, "addBlock while another thread used the backend");
                                System.arraycopy(x, 0, t, 0, t.length);
                                vb.biasActivation(Activation.TANH, rows, cols, bias, 0, t, 0, cols);
                                assertArrayEquals(tanh, t, "biasActivation while another thread used the backend");
                            }
                        });
                List<CompletableFuture<Void>> running = new ArrayList<>();
                for (int i = 0; i < loops.size(); i++) {
                    Runnable loop = loops.get(i);
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    Thread t = new Thread(() -> {
                        try {
                            loop.run();
                            f.complete(null);
                        } catch (IllegalStateException e) {
                            refused.compareAndSet(null, e);
                            f.complete(null);
                        } catch (Throwable e) {
                            f.completeExceptionally(e);
                        } finally {
                            stop.set(true);
                        }
                    }, "backend-user-" + i);
                    t.setDaemon(true);
                    t.start();
                    running.add(f);
                }
                for (CompletableFuture<Void> f : running) {
                    f.get(40, TimeUnit.SECONDS);
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                IllegalStateException e = refused.get();
                if (e == null) {
                    fail("two threads on one backend for " + millis + " ms and no IllegalStateException");
                }
                String message = e.getMessage();
                // The other thread is named when it is still inside its kernel as the message is made.
                assertTrue((message.startsWith("backend 'vector' is already running a kernel on thread 'backend-user-")
                        || message.startsWith("backend 'vector' is already running a kernel on another thread"))
                        && message.contains("a Backend is used by one thread at a time"), message);

                // The refused call left nothing behind: the backend serves the next (one-at-a-time) caller.
                float[] c = new float[n * n];
                vb.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0f, c, 0, n);
                assertArrayEquals(big, c, "large GEMM after the refusal");
                float[] c2 = new float[s * s];
                vb.gemm(false, true, s, s, s, sa, 0, s, sb, 0, s, 0f, c2, 0, s);
                assertArrayEquals(small, c2, "small GEMM after the refusal");
            }
        });
    }

    /**
     * The GEMM is cut into runs of equal work that may end inside a strip, and each thread takes its home
     * runs first: on 2, 3 and 5 threads, every form, C cut strip-major and row-block-major (m ≫ n), with
     * tails in both dimensions, gives the bits of one thread; so does the packed operand.
     */
    @Test
    void theGemmSplitOverAnyThreadCountGivesTheBitsOfOne() {
        int[][] shapes = {{33, 515, 257}, {200, 100, 64}, {9, 1000, 33}, {32, 512, 128}};
        Random rnd = new Random(5);
        try (Backend one = backend(1)) {
            for (int threads : new int[] {2, 3, 5}) {
                try (Backend many = backend(threads)) {
                    for (int[] s : shapes) {
                        int m = s[0], n = s[1], k = s[2];
                        float[] a = random(rnd, m * k), b = random(rnd, k * n), c = random(rnd, m * n);
                        for (boolean ta : new boolean[] {false, true}) {
                            for (boolean tb : new boolean[] {false, true}) {
                                float[] c1 = c.clone(), cn = c.clone();
                                int lda = ta ? m : k, ldb = tb ? k : n;
                                one.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 1f, c1, 0, n);
                                many.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 1f, cn, 0, n);
                                assertArrayEquals(c1, cn, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb
                                        + " on " + threads + " threads");
                            }
                        }
                        float[] packed = new float[many.packedSize(k, n)];
                        many.pack(false, k, n, b, 0, n, packed);
                        float[] c1 = c.clone(), cn = c.clone();
                        one.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 1f, c1, 0, n);
                        many.gemmPacked(m, n, k, a, 0, k, packed, 1f, cn, 0, n);
                        assertArrayEquals(c1, cn, m + "x" + n + "x" + k + " packed on " + threads + " threads");
                    }
                }
            }
        }
    }

    /**
     * Whichever route a form takes (B packed per call, an operand copied transposed, Cᵀ computed through a
     * workspace when the other copy is smaller, B packed once), each element of C is its own chain
     * {@code acc = fma(A[i,p], B[p,j], acc)} over p in order, from C (beta 1) or from 0 (beta 0).
     */
    @Test
    void everyFormGivesEachElementItsOwnFmaChain() {
        // 300x12x700: m·k far above n·k + 2m·n, the shape of the output layer's weight gradient.
        // 20x1000x300: B past 2^18 floats, so each next B panel is copied inside a kernel.
        // 40x28x100: the output layer's 28 columns, a last strip padded to whole vectors.
        // 530x500x9: C past 2^18 floats, so Aᵀ is copied at every width (an LSTM's weight gradient).
        // 13x100x1600: k past KC_PACKED at every width (1536 at 128 bits), so B packed once is read in k-blocks.
        int[][] shapes = {{300, 12, 700}, {12, 300, 700}, {33, 515, 257}, {20, 1000, 300}, {40, 28, 100}, {7, 9, 5},
            {64, 64, 1}, {530, 500, 9}, {13, 100, 1600}};
        Random rnd = new Random(11);
        try (Backend vb = backend(1)) {
            for (int[] s : shapes) {
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(rnd, m * k), b = random(rnd, k * n), c = random(rnd, m * n);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        for (float beta : new float[] {0f, 1f}) {
                            int lda = ta ? m : k, ldb = tb ? k : n;
                            float[] want = new float[m * n];
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    float acc = beta == 0f ? 0f : c[i * n + j];
                                    for (int p = 0; p < k; p++) {
                                        acc = Math.fma(ta ? a[p * lda + i] : a[i * lda + p],
                                                tb ? b[j * ldb + p] : b[p * ldb + j], acc);
                                    }
                                    want[i * n + j] = acc;
                                }
                            }
                            float[] got = c.clone();
                            vb.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, beta, got, 0, n);
                            assertArrayEquals(want, got, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb
                                    + " beta=" + beta);
                            if (!ta) {
                                float[] packed = new float[vb.packedSize(k, n)];
                                vb.pack(tb, k, n, b, 0, ldb, packed);
                                got = c.clone();
                                vb.gemmPacked(m, n, k, a, 0, lda, packed, beta, got, 0, n);
                                assertArrayEquals(want, got, m + "x" + n + "x" + k + " packed tb=" + tb + " beta=" + beta);
                            }
                        }
                    }
                }
            }
        }
    }
}
