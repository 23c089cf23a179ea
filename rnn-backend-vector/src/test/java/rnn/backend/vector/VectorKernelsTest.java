package rnn.backend.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Random;

import org.junit.jupiter.api.Test;

import rnn.api.Activation;

/**
 * Module-local checks of the vector kernels against plain loops, at every vector tail and with offsets
 * and row strides wider than the matrix, plus the properties the contract suite does not pin down:
 * bit-identical GEMM whatever the thread split, and untouched memory around C.
 */
class VectorKernelsTest {

    private static final int[] SIZES = {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 65, 511, 512, 513};

    /** A build run held to one vector width (the pom's x86 executions) really got it, and its register tile. */
    @Test
    void theVectorWidthAndTileAreTheOnesThisRunAskedFor() {
        String expected = System.getProperty("rnn.test.vectorBits");
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), VectorBackend.preferredBits());
        }
        int bits = VectorBackend.preferredBits();
        assertEquals(bits >= 512 || "aarch64".equals(System.getProperty("os.arch")) ? 8 : 4, GemmKernels.MR,
                "8-row tiles where there are 32 vector registers, 4 where there are 16");
        assertTrue(GemmKernels.KC * GemmKernels.NR * Float.BYTES <= 24 * 1024 || GemmKernels.KC == 64,
                "the B panel fits a 32 KiB L1");
    }
    /** float32 unit roundoff. */
    private static final double U = 0x1.0p-24;

    /**
     * Reference GEMM in double. A float32 sum of k products in any order (fused or not) is within
     * k·u·Σ|a·b| of the exact sum; we allow 2(k+1)·u·(Σ|a·b| + |beta·c|) plus a denormal floor.
     */
    private static void check(boolean ta, boolean tb, int m, int n, int k, float beta, int threads, long seed) {
        Random rnd = new Random(seed);
        int pad = 5;
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + 3, ldc = n + 2, aOff = 3, bOff = 1, cOff = 4;
        float[] a = random(rnd, aOff + aRows * lda), b = random(rnd, bOff + bRows * ldb);
        float[] c0 = random(rnd, cOff + m * ldc + 3);
        float[] c = c0.clone();
        try (VectorBackend vb = new VectorBackend(threads)) {
            vb.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
        String what = "gemm ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k + " beta=" + beta + " t=" + threads;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = beta * (double) c0[cOff + i * ldc + j], abs = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double prod = (double) (ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p])
                            * (tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                    exact += prod;
                    abs += Math.abs(prod);
                }
                double got = c[cOff + i * ldc + j];
                if (!(Math.abs(got - exact) <= 2 * (k + 1) * U * abs + 1e-30)) {
                    fail(what + " C[" + i + "," + j + "] = " + got + ", expected " + exact);
                }
            }
            for (int j = n; j < ldc; j++) {
                int idx = cOff + i * ldc + j;
                if (idx < c.length) {
                    assertEquals(c0[idx], c[idx], what + ": wrote into row padding");
                }
            }
        }
        for (int i = 0; i < cOff; i++) {
            assertEquals(c0[i], c[i], what + ": wrote before C");
        }
    }

    /** n standard normal floats. */
    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @Test
    void gemmMatchesReferenceAtTailSizesInAllTransposeForms() {
        int[] dims = {1, 2, 7, 8, 15, 16, 17, 31, 33, 65};
        long seed = 0;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : dims) {
                    for (int n : dims) {
                        int k = dims[(m + n) % dims.length];
                        check(ta, tb, m, n, k, 0f, 1, seed++);
                        check(ta, tb, m, n, k, 1f, 1, seed++);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesReferenceAtLargeShapesAndThreadCounts() {
        // 24×80: with 32 registers, B read in place (fewer than COPY_ROWS rows), its last strip two vectors.
        int[][] shapes = {{32, 512, 512}, {32, 513, 511}, {33, 65, 513}, {1, 512, 33}, {511, 17, 32},
                {512, 33, 32}, {24, 80, 300}, {40, 80, 300}, {7, 1, 300}, {0, 5, 5}, {5, 5, 0}};
        long seed = 1000;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int[] s : shapes) {
                    for (int threads : new int[] {1, 2}) {
                        check(ta, tb, s[0], s[1], s[2], 0f, threads, seed++);
                        check(ta, tb, s[0], s[1], s[2], 1f, threads, seed++);
                    }
                }
            }
        }
    }

    /** Each C element is one fma chain in k order, so any thread count gives the same bits. */
    @Test
    void gemmIsBitIdenticalAcrossThreadCounts() {
        Random rnd = new Random(5);
        int[][] shapes = {{32, 512, 512}, {512, 512, 32}, {33, 257, 300}, {300, 40, 64}};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int[] s : shapes) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                    float[] c1 = c0.clone(), c3 = c0.clone();
                    try (VectorBackend one = new VectorBackend(1); VectorBackend three = new VectorBackend(3)) {
                        one.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, 1f, c1, 0, n);
                        three.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, 1f, c3, 0, n);
                    }
                    assertArrayEquals(c1, c3, "ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k);
                }
            }
        }
    }

    /** Elementwise kernels do the reference's float operations in its order: equal bits (except tanh/sigmoid). */
    @Test
    void elementwiseKernelsMatchReference() {
        Random rnd = new Random(9);
        try (VectorBackend vb = new VectorBackend(1)) {
            for (int n : SIZES) {
                int off = 3;
                float[] x = random(rnd, off + n), y = random(rnd, off + n), z = random(rnd, off + n);
                float[] e = z.clone(), g = z.clone();
                vb.axpy(n, 0.3f, x, off, g, off);
                for (int i = 0; i < n; i++) {
                    e[off + i] += 0.3f * x[off + i];
                }
                assertArrayEquals(e, g, "axpy n=" + n);
                e = x.clone();
                g = x.clone();
                vb.scale(n, -1.7f, g, off);
                for (int i = 0; i < n; i++) {
                    e[off + i] *= -1.7f;
                }
                assertArrayEquals(e, g, "scale n=" + n);
                e = z.clone();
                g = z.clone();
                vb.mul(n, x, off, y, off, g, off);
                vb.addMul(n, x, off, y, off, g, off);
                for (int i = 0; i < n; i++) {
                    e[off + i] = x[off + i] * y[off + i];
                    e[off + i] += x[off + i] * y[off + i];
                }
                assertArrayEquals(e, g, "mul/addMul n=" + n);
                e = z.clone();
                g = x.clone();
                vb.addScaled(n, g, off, 0.25f, y, off, g, off); // out aliases a
                for (int i = 0; i < n; i++) {
                    e[off + i] = x[off + i] + 0.25f * y[off + i];
                }
                for (int i = off; i < off + n; i++) {
                    assertEquals(e[i], g[i], "addScaled n=" + n);
                }
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += (double) x[off + i] * x[off + i];
                }
                // float partial sums of at most 1024/L terms each: relative error well under 1e-5.
                assertEquals(ss, vb.sumOfSquares(n, x, off), 1e-5 * ss, "sumOfSquares n=" + n);
                float[] out = random(rnd, n + 1), expOut = out.clone();
                int rows = 3;
                float[] mat = random(rnd, 2 + rows * (n + 1));
                vb.sumRows(rows, n, mat, 2, n + 1, out, 1);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < n; j++) {
                        expOut[1 + j] += mat[2 + i * (n + 1) + j];
                    }
                }
                assertArrayEquals(expOut, out, "sumRows n=" + n);
            }
        }
    }

    /**
     * Activations: tanh and sigmoid are staged through an exact-lane-operation exp; this allows 2e-6 absolute
     * (measured max error is about 6e-8, one ulp near 1). Backward formulas match bit for bit.
     */
    @Test
    void activationsMatchReference() {
        Random rnd = new Random(11);
        try (VectorBackend vb = new VectorBackend(1)) {
            for (int n : SIZES) {
                for (Activation f : Activation.values()) {
                    int off = 2, ld = n + 3, rows = 3;
                    float[] c = new float[off + rows * ld];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = (float) (rnd.nextGaussian() * 6);
                    }
                    float[] bias = random(rnd, n + 1);
                    float[] got = c.clone();
                    vb.biasActivation(f, rows, n, bias, 1, got, off, ld);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < ld; j++) {
                            int idx = off + i * ld + j;
                            float want = j < n ? f.apply(c[idx] + bias[1 + j]) : c[idx];
                            assertEquals(want, got[idx], 2e-6, f + " biasActivation n=" + n);
                        }
                    }
                    float[] x = c.clone();
                    vb.activation(f, n, x, off);
                    for (int i = 0; i < n; i++) {
                        assertEquals(f.apply(c[off + i]), x[off + i], 2e-6, f + " activation n=" + n);
                    }
                    float[] dy = random(rnd, off + n), dz = new float[off + n];
                    vb.activationBackward(f, n, x, off, dy, off, dz, off);
                    for (int i = 0; i < n; i++) {
                        assertEquals(dy[off + i] * f.derivativeFromOutput(x[off + i]), dz[off + i], 0f,
                                f + " backward n=" + n);
                    }
                }
            }
        }
    }

    /**
     * tanh and sigmoid round differently in vector lanes and in the scalar tail, so activationBlock stages
     * them one row at a time, even when the rows are contiguous and however the rows are split over
     * threads: each row gets exactly the bits of the 1-D activation, and of bias + activation with a zero
     * bias, of that row.
     */
    @Test
    void activationBlockGivesEachRowTheBitsOfTheOneDimensionalKernels() {
        Random rnd = new Random(17);
        int rows = 20; // × 513 columns: enough for tanh and sigmoid to be split over two threads
        try (VectorBackend one = new VectorBackend(1); VectorBackend two = new VectorBackend(2)) {
            for (int cols : SIZES) {
                for (int ld : new int[] {cols, cols + 3}) {
                    float[] x = new float[2 + rows * ld];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (rnd.nextGaussian() * 6);
                    }
                    float[] zeroBias = new float[cols];
                    for (Activation f : Activation.values()) {
                        String what = f + " " + rows + "x" + cols + " ld=" + ld;
                        float[] y1 = new float[x.length], y2 = new float[x.length], inPlace = x.clone(), biased = x.clone();
                        one.activationBlock(f, rows, cols, x, 2, ld, y1, 2, ld);
                        two.activationBlock(f, rows, cols, x, 2, ld, y2, 2, ld);
                        two.activationBlock(f, rows, cols, inPlace, 2, ld, inPlace, 2, ld);
                        one.biasActivation(f, rows, cols, zeroBias, 0, biased, 2, ld);
                        for (int i = 0; i < rows; i++) {
                            int row = 2 + i * ld;
                            float[] want = java.util.Arrays.copyOfRange(x, row, row + cols);
                            one.activation(f, cols, want, 0);
                            for (float[] got : new float[][] {y1, y2, inPlace, biased}) {
                                assertArrayEquals(want, java.util.Arrays.copyOfRange(got, row, row + cols), what + " row " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Once compiled, the block kernels allocate nothing: no FloatVector is boxed (which happens when a
     * vector crosses a method boundary C2 did not inline). Interpreted and C1 code does allocate, so each
     * kernel runs in windows of calls until one, once C2 has caught up, allocates no byte at all. That
     * takes well under a second, but C2's queue can be long in a busy test JVM: the budget is in time.
     */
    @Test
    void blockKernelsAllocateNothingOnceCompiled() {
        assumeFalse(GemmKernels.inSoftware(), "a width the CPU lacks runs boxed, in software: it allocates");
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Random rnd = new Random(19);
        int rows = 3, cols = 2 * 16 + 5, ld = 4 * cols; // vector body and scalar tail for any species
        float[] a = random(rnd, rows * ld), b = random(rnd, rows * ld), c = random(rnd, rows * ld);
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<java.util.function.Consumer<VectorBackend>> calls = new java.util.ArrayList<>();
        names.add("addBlock");
        calls.add(vb -> vb.addBlock(rows, cols, 0.5f, a, 0, ld, -1f, b, 1, ld, c, 2, ld));
        names.add("mulBlock");
        calls.add(vb -> vb.mulBlock(rows, cols, a, 0, ld, b, 1, ld, 0f, c, 2, ld));
        names.add("mulBlock accumulating");
        calls.add(vb -> vb.mulBlock(rows, cols, a, 0, ld, b, 1, ld, 1f, c, 2, ld));
        names.add("affineBlock");
        calls.add(vb -> vb.affineBlock(rows, cols, -1f, a, 0, ld, 1f, c, 2, ld));
        for (Activation f : Activation.values()) {
            names.add(f + " activationBlock");
            calls.add(vb -> vb.activationBlock(f, rows, cols, a, 0, ld, c, 2, ld));
            names.add(f + " activationBackwardBlock");
            calls.add(vb -> vb.activationBackwardBlock(f, rows, cols, a, 0, ld, b, 1, ld, 0f, c, 2, ld));
            names.add(f + " activationBackwardBlock accumulating");
            calls.add(vb -> vb.activationBackwardBlock(f, rows, cols, a, 0, ld, b, 1, ld, 1f, c, 2, ld));
        }
        try (VectorBackend vb = new VectorBackend(1)) {
            for (int k = 0; k < calls.size(); k++) {
                var call = calls.get(k);
                long bytes = -1, deadline = System.nanoTime() + 30_000_000_000L;
                while (bytes != 0 && System.nanoTime() < deadline) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 500; i++) {
                        call.accept(vb);
                    }
                    bytes = mx.getCurrentThreadAllocatedBytes() - before;
                    java.util.Arrays.fill(c, 0.5f); // keep accumulating kernels finite
                }
                assertEquals(0, bytes, names.get(k) + ": bytes allocated by 500 calls, still after 30 s of calls");
            }
        }
    }

    /**
     * The kernels that check for a second thread (GEMM, sumOfSquares, softmax without a gradient, block
     * kernels split over the workers) allocate nothing either once compiled: the check is a
     * compare-and-set and a release store, and the pool's handoff allocates nothing.
     */
    @Test
    void checkedKernelsAllocateNothingOnceCompiled() {
        assumeFalse(GemmKernels.inSoftware(), "a width the CPU lacks runs boxed, in software: it allocates");
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Random rnd = new Random(23);
        int n = 64, rows = 256, cols = 256; // 64³ and 256² are past the serial thresholds
        float[] a = random(rnd, n * n), b = random(rnd, n * n), c = new float[n * n];
        float[] x = random(rnd, rows * cols), out = new float[rows * cols];
        int[] targets = new int[4];
        for (int threads : new int[] {1, 2}) {
            java.util.Map<String, java.util.function.Consumer<VectorBackend>> calls = new java.util.LinkedHashMap<>();
            calls.put("small gemm", vb -> vb.gemm(false, false, 2, 8, 8, a, 0, 8, b, 0, 8, 0f, c, 0, 8));
            calls.put("small gemm NT", vb -> vb.gemm(false, true, 8, 8, 8, a, 0, 8, b, 0, 8, 1f, c, 0, 8));
            calls.put("large gemm", vb -> vb.gemm(false, false, n, n, n, a, 0, n, b, 0, n, 0f, c, 0, n));
            calls.put("sumOfSquares", vb -> vb.sumOfSquares(1000, a, 3));
            calls.put("softmaxCrossEntropy without gradient",
                    vb -> vb.softmaxCrossEntropy(4, 37, a, 0, targets, 0, 0.25f, null, 0));
            calls.put("large addBlock", vb -> vb.addBlock(rows, cols, 0.5f, x, 0, cols, -1f, x, 0, cols, out, 0, cols));
            calls.put("large tanh biasActivation", vb -> {
                System.arraycopy(x, 0, out, 0, out.length);
                vb.biasActivation(Activation.TANH, rows, cols, x, 0, out, 0, cols);
            });
            try (VectorBackend vb = new VectorBackend(threads)) {
                for (var call : calls.entrySet()) {
                    long bytes = -1, deadline = System.nanoTime() + 30_000_000_000L;
                    while (bytes != 0 && System.nanoTime() < deadline) {
                        long before = mx.getCurrentThreadAllocatedBytes();
                        for (int i = 0; i < 200; i++) {
                            call.getValue().accept(vb);
                        }
                        bytes = mx.getCurrentThreadAllocatedBytes() - before;
                        java.util.Arrays.fill(c, 0.5f); // keep the accumulating GEMM finite
                    }
                    assertEquals(0, bytes, call.getKey() + ", " + threads + " threads: bytes allocated by 200 calls,"
                            + " still after 30 s of calls");
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyMatchesReference() {
        Random rnd = new Random(13);
        try (VectorBackend vb = new VectorBackend(1)) {
            for (int cols : SIZES) {
                int rows = 4, off = 1, dOff = 2;
                float[] logits = new float[off + rows * cols];
                for (int i = 0; i < logits.length; i++) {
                    logits[i] = (float) (rnd.nextGaussian() * 4);
                }
                int[] targets = new int[rows + 1];
                for (int i = 0; i < targets.length; i++) {
                    targets[i] = rnd.nextInt(cols);
                }
                float scale = 1f / rows;
                double loss = 0;
                float[] want = new float[dOff + rows * cols];
                for (int i = 0; i < rows; i++) {
                    int row = off + i * cols;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) {
                        max = Math.max(max, logits[row + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < cols; j++) {
                        sum += Math.exp(logits[row + j] - max);
                    }
                    int t = targets[1 + i];
                    loss += Math.log(sum) - (logits[row + t] - max);
                    for (int j = 0; j < cols; j++) {
                        double p = Math.exp(logits[row + j] - max) / sum;
                        want[dOff + i * cols + j] = (float) (scale * (p - (j == t ? 1 : 0)));
                    }
                }
                float[] got = new float[want.length];
                // Float exponentials (≤ 1-2 ulp) summed in double: loss and gradient within ~1e-6 relative.
                assertEquals(loss, vb.softmaxCrossEntropy(rows, cols, logits, off, targets, 1, scale, got, dOff),
                        1e-6 * Math.max(1, loss), "loss cols=" + cols);
                for (int i = dOff; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-7 * scale + 1e-6 * Math.abs(want[i]), "gradient cols=" + cols);
                }
                assertEquals(loss, vb.softmaxCrossEntropy(rows, cols, logits, off, targets, 1, scale, null, 0),
                        1e-6 * Math.max(1, loss), "loss without gradient cols=" + cols);
            }
        }
    }

    @Test
    void providerDescribesItself() {
        VectorProvider p = new VectorProvider();
        assertEquals("vector", p.name());
        assertTrue(p.unusableReason().isEmpty(), () -> p.unusableReason().orElseThrow());
        assertTrue(p.description().startsWith("FloatVector "), p.description());
        try (var b = p.create(new rnn.api.BackendOptions(2))) {
            assertEquals(2, b.threads());
            assertEquals("vector", b.name());
        }
    }

    /** A vector width that is no width makes the backend unusable, with the property and the choices named. */
    @Test
    void aWidthThatIsNoWidthIsRefusedWithTheChoices() {
        String before = System.getProperty(GemmKernels.WIDTH_PROPERTY);
        try {
            System.setProperty(GemmKernels.WIDTH_PROPERTY, "300");
            String why = new VectorProvider().unusableReason().orElseThrow();
            assertTrue(why.contains("-Drnn.vector.bits=300") && why.contains("128, 256 or 512"), why);
        } finally {
            if (before == null) {
                System.clearProperty(GemmKernels.WIDTH_PROPERTY);
            } else {
                System.setProperty(GemmKernels.WIDTH_PROPERTY, before);
            }
        }
    }

    /**
     * The same inputs give the same bits before and after the JIT compiles the kernels: transcendentals
     * built from IEEE-exact lane-wise operations, not VectorOperators.TANH/EXP whose interpreted fallback
     * and compiled intrinsic round differently (which once made two runs with one seed diverge).
     */
    @org.junit.jupiter.api.Test
    void activationsAndSoftmaxGiveTheSameBitsInterpretedAndCompiled() {
        var ops = new VectorProvider().create(new rnn.api.BackendOptions(1));
        rnn.api.Rng rng = new rnn.api.Rng(5);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (6 * rng.nextGaussian());
        }
        int[] targets = new int[n / 29];
        java.util.List<float[]> first = null;
        for (int round = 0; round < 3000; round++) {
            float[] t = x.clone(), s = x.clone(), d = new float[targets.length * 29];
            ops.activation(rnn.api.Activation.TANH, n, t, 0);
            ops.activation(rnn.api.Activation.SIGMOID, n, s, 0);
            ops.softmaxCrossEntropy(targets.length, 29, x, 0, targets, 0, 1f, d, 0);
            if (first == null) {
                first = java.util.List.of(t, s, d);
            } else if (round % 500 == 0 || round == 2999) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(first.get(0), t, "tanh, round " + round);
                org.junit.jupiter.api.Assertions.assertArrayEquals(first.get(1), s, "sigmoid, round " + round);
                org.junit.jupiter.api.Assertions.assertArrayEquals(first.get(2), d, "softmax, round " + round);
            }
        }
    }
}
