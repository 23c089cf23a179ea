package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static rnn.testkit.Fixtures.TAIL_SIZES;
import static rnn.testkit.Fixtures.U;
import static rnn.testkit.Fixtures.assertWithin;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import rnn.api.Activation;
import rnn.api.Backend;
import rnn.api.Rng;

/**
 * Every kernel agrees with the reference backend at every tail size, with offsets and strides.
 *
 * <p>Tolerances follow from float32 rounding, since backends may sum in another order or fuse a
 * multiply-add: a sum of k products is within {@code k·u·Σ|a·b|} of the exact value (u = 2⁻²⁴), so two
 * implementations are within twice that. Elementwise kernels differ by at most a rounding or two of
 * their terms. Activations may use a polynomial or exp-based approximation accurate to 2e-6 absolute.
 */
public interface KernelContract {

    /** The backend under test with the given worker-thread count. */
    Backend backend(int threads);

    /** Absolute error a backend's tanh and sigmoid may have (vectorised approximations). */
    double ACTIVATION_TOLERANCE = 4e-6;

    @TestFactory
    default Stream<DynamicTest> gemmAgreesWithReferenceInEveryTransposeForm() {
        int[] dims = {1, 7, 16, 17, 33};
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : dims) {
                    tests.add(DynamicTest.dynamicTest("gemm ta=" + ta + " tb=" + tb + " m=" + m, () -> {
                        for (int n : dims) {
                            for (int k : dims) {
                                checkGemm(ta, tb, m, n, k, 0f, 1);
                                checkGemm(ta, tb, m, n, k, 1f, 1);
                            }
                        }
                    }));
                }
                for (int[] s : new int[][] {{32, 512, 512}, {32, 513, 511}, {1, 515, 64}, {33, 17, 515}}) {
                    tests.add(DynamicTest.dynamicTest("gemm ta=" + ta + " tb=" + tb + " " + s[0] + "x" + s[1] + "x" + s[2],
                            () -> {
                                checkGemm(ta, tb, s[0], s[1], s[2], 1f, 1);
                                checkGemm(ta, tb, s[0], s[1], s[2], 0f, 2);
                            }));
                }
            }
        }
        return tests.stream();
    }

    private void checkGemm(boolean ta, boolean tb, int m, int n, int k, float beta, int threads) {
        Rng rng = new Rng(31L * m + 17L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        int pad = 3; // strides wider than the matrix and non-zero offsets catch indexing mistakes
        int aRows = ta ? k : m, aCols = ta ? m : k;
        int bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        int aOff = 5, bOff = 2, cOff = 7;
        float[] a = Fixtures.gaussian(rng, aOff + aRows * lda, 1);
        float[] b = Fixtures.gaussian(rng, bOff + bRows * ldb, 1);
        float[] c0 = Fixtures.gaussian(rng, cOff + m * ldc, 1);
        float[] expected = c0.clone();
        float[] actual = c0.clone();
        try (Backend ref = Fixtures.reference(); Backend sut = backend(threads)) {
            ref.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
            sut.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);
        }
        for (int i = 0; i < m; i++) {
            double[] tol = new double[n];
            for (int j = 0; j < n; j++) {
                double absSum = beta == 0f ? 0 : Math.abs(c0[cOff + i * ldc + j]);
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    absSum += Math.abs((double) av * bv);
                }
                tol[j] = 2 * (k + 1) * U * absSum + Float.MIN_NORMAL;
            }
            assertWithin("gemm ta=" + ta + " tb=" + tb + " " + m + "x" + n + "x" + k + " beta=" + beta + " row " + i,
                    expected, actual, cOff + i * ldc, n, tol);
        }
        // Padding between rows and around C must be untouched.
        for (int i = 0; i < cOff; i++) {
            assertEquals(c0[i], actual[i], "gemm wrote before C");
        }
        for (int i = 0; i < m; i++) {
            for (int j = n; j < ldc && cOff + i * ldc + j < actual.length; j++) {
                assertEquals(c0[cOff + i * ldc + j], actual[cOff + i * ldc + j], "gemm wrote into the row padding");
            }
        }
    }

    @TestFactory
    default Stream<DynamicTest> elementwiseKernelsAgreeWithReferenceAtTailSizes() {
        return java.util.Arrays.stream(TAIL_SIZES).mapToObj(n -> DynamicTest.dynamicTest("n=" + n, () -> {
            Rng rng = new Rng(n);
            int off = 3;
            float[] x = Fixtures.gaussian(rng, off + n, 2);
            float[] y = Fixtures.gaussian(rng, off + n, 2);
            float[] z = Fixtures.gaussian(rng, off + n, 2);
            try (Backend ref = Fixtures.reference(); Backend sut = backend(1)) {
                for (Activation f : Activation.values()) {
                    float[] e = x.clone(), a = x.clone();
                    ref.activation(f, n, e, off);
                    sut.activation(f, n, a, off);
                    assertWithin(f + " activation", e, a, off, n, ACTIVATION_TOLERANCE, 4 * U);
                    // y plays the output of f: keep it in f's range so the derivative formula applies.
                    float[] out = e.clone();
                    float[] de = z.clone(), da = z.clone();
                    ref.activationBackward(f, n, out, off, y, off, de, off);
                    sut.activationBackward(f, n, out, off, y, off, da, off);
                    assertWithin(f + " backward", de, da, off, n, 0, 4 * U);
                    int rows = Math.max(1, n / 16), cols = Math.max(1, n / rows);
                    float[] eb = x.clone(), ab = x.clone();
                    ref.biasActivation(f, rows, cols, y, 1, eb, off, cols);
                    sut.biasActivation(f, rows, cols, y, 1, ab, off, cols);
                    assertWithin(f + " bias+activation", eb, ab, off, rows * cols, ACTIVATION_TOLERANCE, 4 * U);
                }
                float[] e = z.clone(), a = z.clone();
                ref.axpy(n, 0.7f, x, off, e, off);
                sut.axpy(n, 0.7f, x, off, a, off);
                assertWithin("axpy", e, a, off, n, absTerms(n, x, off, z, off));
                e = x.clone();
                a = x.clone();
                ref.scale(n, -1.3f, e, off);
                sut.scale(n, -1.3f, a, off);
                assertWithin("scale", e, a, off, n, 0, 2 * U);
                e = z.clone();
                a = z.clone();
                ref.mul(n, x, off, y, off, e, off);
                sut.mul(n, x, off, y, off, a, off);
                assertWithin("mul", e, a, off, n, 0, 2 * U);
                e = z.clone();
                a = z.clone();
                ref.addMul(n, x, off, y, off, e, off);
                sut.addMul(n, x, off, y, off, a, off);
                assertWithin("addMul", e, a, off, n, absProducts(n, x, y, z, off));
                e = z.clone();
                a = z.clone();
                ref.addScaled(n, x, off, -0.5f, y, off, e, off);
                sut.addScaled(n, x, off, -0.5f, y, off, a, off);
                assertWithin("addScaled", e, a, off, n, absTerms(n, x, off, y, off));
                assertEquals(ref.sumOfSquares(n, x, off), sut.sumOfSquares(n, x, off),
                        1e-4 * ref.sumOfSquares(n, x, off), "sumOfSquares");
            }
        }));
    }

    /** Two roundings of a two-term sum, whether or not the backend fuses the multiply-add. */
    private static double[] absTerms(int n, float[] x, int xOff, float[] y, int yOff) {
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            tol[i] = 4 * U * (Math.abs(x[xOff + i]) + Math.abs(y[yOff + i]));
        }
        return tol;
    }

    private static double[] absProducts(int n, float[] x, float[] y, float[] z, int off) {
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            tol[i] = 4 * U * (Math.abs(x[off + i] * y[off + i]) + Math.abs(z[off + i]));
        }
        return tol;
    }

    @TestFactory
    default Stream<DynamicTest> sumRowsAndSoftmaxCrossEntropyAgreeWithReference() {
        int[][] shapes = {{1, 1}, {1, 2}, {3, 7}, {32, 28}, {5, 17}, {2, 33}, {35, 65}, {4, 513}};
        return Stream.of(shapes).map(s -> DynamicTest.dynamicTest(s[0] + "x" + s[1], () -> {
            int rows = s[0], cols = s[1];
            Rng rng = new Rng(rows * 1000L + cols);
            float[] x = Fixtures.gaussian(rng, 2 + rows * cols, 3);
            int[] targets = new int[rows + 1];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = rng.nextInt(cols);
            }
            try (Backend ref = Fixtures.reference(); Backend sut = backend(1)) {
                float[] e = Fixtures.gaussian(rng, cols + 1, 1);
                float[] a = e.clone();
                ref.sumRows(rows, cols, x, 2, cols, e, 1);
                sut.sumRows(rows, cols, x, 2, cols, a, 1);
                double[] tol = new double[cols];
                for (int j = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        tol[j] += Math.abs(x[2 + i * cols + j]);
                    }
                    tol[j] = 2 * (rows + 1) * U * (tol[j] + Math.abs(e[1 + j]));
                }
                assertWithin("sumRows", e, a, 1, cols, tol);

                float scale = 1f / rows;
                float[] de = new float[1 + rows * cols], da = new float[1 + rows * cols];
                double le = ref.softmaxCrossEntropy(rows, cols, x, 2, targets, 1, scale, de, 1);
                double la = sut.softmaxCrossEntropy(rows, cols, x, 2, targets, 1, scale, da, 1);
                assertEquals(le, la, 1e-5 * Math.max(1, le), "softmax cross-entropy loss");
                assertWithin("softmax cross-entropy gradient", de, da, 1, rows * cols, 1e-6 * scale, 1e-5);
                assertEquals(le, sut.softmaxCrossEntropy(rows, cols, x, 2, targets, 1, scale, null, 0),
                        1e-5 * Math.max(1, le), "loss without gradient");
            }
        }));
    }

    /**
     * Splitting work over threads changes which thread computes an element, never how: GEMM (every
     * form) and bias + activation at training sizes, large enough to be split, give the bits of one thread.
     */
    @Test
    default void twoThreadsGiveTheBitsOfOne() {
        Rng rng = new Rng(11);
        int m = 33, n = 515, k = 257;
        float[] a = Fixtures.gaussian(rng, m * k, 1), b = Fixtures.gaussian(rng, k * n, 1);
        float[] bias = Fixtures.gaussian(rng, n, 1), c = Fixtures.gaussian(rng, m * n, 2);
        try (Backend one = backend(1); Backend two = backend(2)) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    float[] c1 = c.clone(), c2 = c.clone();
                    int lda = ta ? m : k, ldb = tb ? k : n;
                    one.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 1f, c1, 0, n);
                    two.gemm(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, 1f, c2, 0, n);
                    assertArrayEquals(c1, c2, "gemm ta=" + ta + " tb=" + tb + " on 2 threads");
                }
            }
            for (Activation f : Activation.values()) {
                float[] c1 = c.clone(), c2 = c.clone();
                one.biasActivation(f, m, n, bias, 0, c1, 0, n);
                two.biasActivation(f, m, n, bias, 0, c2, 0, n);
                assertArrayEquals(c1, c2, f + " bias+activation on 2 threads");
            }
        }
    }

    @Test
    default void sameThreadCountGivesBitIdenticalResults() {
        Rng rng = new Rng(7);
        int m = 32, n = 512, k = 512;
        float[] a = Fixtures.gaussian(rng, m * k, 1), b = Fixtures.gaussian(rng, k * n, 1);
        for (int threads : new int[] {1, 2}) {
            float[] c1 = new float[m * n], c2 = new float[m * n];
            try (Backend x = backend(threads); Backend y = backend(threads)) {
                x.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c1, 0, n);
                y.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c2, 0, n);
                x.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 1f, c1, 0, n);
                y.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 1f, c2, 0, n);
            }
            assertArrayEquals(c1, c2, "gemm is deterministic for " + threads + " thread(s)");
        }
    }
}
