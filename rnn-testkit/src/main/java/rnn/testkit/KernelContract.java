package rnn.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static rnn.testkit.Fixtures.TAIL_SIZES;
import static rnn.testkit.Fixtures.U;
import static rnn.testkit.Fixtures.assertWithin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
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
 * their terms, except the kernels over 2-D blocks, which must give the reference's bits. Activations may
 * use a polynomial or exp-based approximation accurate to 2e-6 absolute.
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

    /**
     * A right operand packed once ({@code pack}, then {@code gemmPacked}) gives the bits of the plain
     * {@code gemm} on the same backend, in both forms of B, beta 0 and 1, across tails of n and k and
     * with offsets and strides; {@code pack} writes exactly {@code packedSize} floats. On 2 threads too.
     */
    @TestFactory
    default Stream<DynamicTest> packedOperandGivesThePlainProductsBits() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean tb : new boolean[] {false, true}) {
            for (int n : new int[] {1, 7, 15, 16, 17, 33, 47, 48, 49, 63, 65, 97, 511, 513}) {
                tests.add(DynamicTest.dynamicTest("packed tb=" + tb + " n=" + n, () -> {
                    for (int m : new int[] {1, 3, 4, 5, 8, 9, 12, 17, 33}) {
                        for (int k : new int[] {1, 7, 33, 129, 257}) {
                            checkPacked(tb, m, n, k, 1);
                        }
                    }
                }));
            }
            tests.add(DynamicTest.dynamicTest("packed tb=" + tb + " 32x512x512 on 2 threads",
                    () -> checkPacked(tb, 32, 512, 512, 2)));
            tests.add(DynamicTest.dynamicTest("packed tb=" + tb + " 33x515x257 on 2 threads",
                    () -> checkPacked(tb, 33, 515, 257, 2)));
        }
        return tests.stream();
    }

    private void checkPacked(boolean tb, int m, int n, int k, int threads) {
        Rng rng = new Rng(97L * m + 13L * n + k + (tb ? 1 : 0));
        int lda = k + 3, ldb = (tb ? k : n) + 2, ldc = n + 1;
        int aOff = 4, bOff = 3, cOff = 5;
        float[] a = Fixtures.gaussian(rng, aOff + m * lda, 1);
        float[] b = Fixtures.gaussian(rng, bOff + (tb ? n : k) * ldb, 1);
        float[] c0 = Fixtures.gaussian(rng, cOff + m * ldc, 1);
        try (Backend sut = backend(threads)) {
            int size = sut.packedSize(k, n);
            float[] packed = new float[size + 9];
            Arrays.fill(packed, size, packed.length, Float.NaN);
            sut.pack(tb, k, n, b, bOff, ldb, packed);
            for (int i = size; i < packed.length; i++) {
                assertEquals(Float.NaN, packed[i], "pack wrote past packedSize(" + k + ", " + n + ") = " + size);
            }
            for (float beta : new float[] {0f, 1f}) {
                float[] plain = c0.clone(), viaPacked = c0.clone();
                sut.gemm(false, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, plain, cOff, ldc);
                sut.gemmPacked(m, n, k, a, aOff, lda, packed, beta, viaPacked, cOff, ldc);
                assertArrayEquals(plain, viaPacked,
                        "gemmPacked tb=" + tb + " " + m + "x" + n + "x" + k + " beta=" + beta + " on " + threads + " thread(s)");
            }
        }
    }

    /**
     * The fused recurrent steps ({@code gemmPackedBiasActivation}, {@code gemmPackedActivationBackward})
     * give the bits of the calls they stand for on the same backend, for every activation, across tails of
     * n (a backend that finishes C strip by strip must cut rows where the whole-row kernels cut them), with
     * offsets and strides, on 1 and 2 threads.
     */
    @TestFactory
    default Stream<DynamicTest> fusedStepsGiveTheSeparateCallsBits() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int n : new int[] {1, 7, 15, 16, 17, 33, 47, 48, 49, 95, 97, 511, 513}) {
            tests.add(DynamicTest.dynamicTest("fused n=" + n, () -> {
                for (int m : new int[] {1, 5, 8, 12, 33}) {
                    checkFused(m, n, 33, 1);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("fused 32x512x512 on 2 threads", () -> checkFused(32, 512, 512, 2)));
        tests.add(DynamicTest.dynamicTest("fused 33x515x257 on 2 threads", () -> checkFused(33, 515, 257, 2)));
        return tests.stream();
    }

    private void checkFused(int m, int n, int k, int threads) {
        Rng rng = new Rng(7L * m + 11L * n + k);
        int lda = k + 3, ldc = n + 1, ldy = n + 2, lddy = n + 5, lddz = n + 3;
        float[] a = Fixtures.gaussian(rng, 4 + m * lda, 1);
        float[] b = Fixtures.gaussian(rng, 3 + k * n, 0.2);
        float[] bias = Fixtures.gaussian(rng, 2 + n, 1);
        float[] c0 = Fixtures.gaussian(rng, 5 + m * ldc, 1);
        float[] dy = Fixtures.gaussian(rng, 1 + m * lddy, 1);
        float[] dz0 = Fixtures.gaussian(rng, 6 + m * lddz, 1);
        try (Backend sut = backend(threads)) {
            float[] packed = new float[sut.packedSize(k, n)];
            sut.pack(false, k, n, b, 3, n, packed);
            for (Activation f : Activation.values()) {
                String what = f + " " + m + "x" + n + "x" + k + " on " + threads + " thread(s)";
                for (float beta : new float[] {0f, 1f}) {
                    float[] separate = c0.clone(), fused = c0.clone();
                    sut.gemmPacked(m, n, k, a, 4, lda, packed, beta, separate, 5, ldc);
                    sut.biasActivation(f, m, n, bias, 2, separate, 5, ldc);
                    sut.gemmPackedBiasActivation(m, n, k, a, 4, lda, packed, beta, fused, 5, ldc, f, bias, 2);
                    assertArrayEquals(separate, fused, "gemmPackedBiasActivation beta=" + beta + " " + what);
                }
                // y = f(something), so that f' from y is in f's range.
                float[] y = Fixtures.gaussian(rng, 2 + m * ldy, 1);
                sut.activationBlock(f, m, n, y, 2, ldy, y, 2, ldy);
                float[] cs = c0.clone(), cf = c0.clone(), dzs = dz0.clone(), dzf = dz0.clone();
                sut.gemmPacked(m, n, k, a, 4, lda, packed, 0f, cs, 5, ldc);
                sut.addBlock(m, n, 1f, dy, 1, lddy, 1f, cs, 5, ldc, cs, 5, ldc);
                sut.activationBackwardBlock(f, m, n, y, 2, ldy, cs, 5, ldc, 0f, dzs, 6, lddz);
                sut.gemmPackedActivationBackward(m, n, k, a, 4, lda, packed, cf, 5, ldc, f, y, 2, ldy, dy, 1, lddy,
                        dzf, 6, lddz);
                assertArrayEquals(cs, cf, "gemmPackedActivationBackward's C, " + what);
                assertArrayEquals(dzs, dzf, "gemmPackedActivationBackward's dz, " + what);
            }
        }
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

    /**
     * The kernels over strided 2-D blocks against the reference, for every tail size of cols and 1, 3 and
     * 8 rows. addBlock, mulBlock, affineBlock and activationBackwardBlock are one or two correctly rounded
     * operations per term with no sum to reorder, and a backend must do them as the reference does (no
     * fused multiply-add), so they must give its bits exactly; activationBlock is held to the tolerance
     * of {@link #elementwiseKernelsAgreeWithReferenceAtTailSizes}. Every operand has its own offset and a
     * leading dimension wider than cols (up to 4·cols, a gate of a fused {@code [B, 4H]} block); nothing
     * outside the output block may change, beta = 0 must overwrite NaN garbage, beta = 1 accumulate, and
     * an output may be the same view as an input.
     */
    @TestFactory
    default Stream<DynamicTest> blockKernelsAgreeWithReferenceAtTailSizes() {
        return Arrays.stream(TAIL_SIZES).mapToObj(cols -> DynamicTest.dynamicTest("cols=" + cols, () -> {
            try (Backend ref = Fixtures.reference(); Backend sut = backend(1)) {
                for (int rows : new int[] {1, 3, 8}) {
                    checkBlockKernels(ref, sut, rows, cols, new Rng(1000L * cols + rows));
                }
            }
        }));
    }

    private static void checkBlockKernels(Backend ref, Backend sut, int rows, int cols, Rng rng) {
        String shape = " " + rows + "x" + cols;
        // Inputs end at their last element (a read past the block fails); outputs have a few floats more.
        int aOff = 3, lda = cols + 5, bOff = 1, ldb = 2 * cols + 1, oOff = 7, ldo = 4 * cols;
        float[] a = Fixtures.gaussian(rng, aOff + (rows - 1) * lda + cols, 2);
        float[] b = Fixtures.gaussian(rng, bOff + (rows - 1) * ldb + cols, 2);
        int outLength = oOff + (rows - 1) * ldo + cols + 3;
        float[] garbage = new float[outLength];
        Arrays.fill(garbage, Float.NaN);
        float[] old = Fixtures.gaussian(rng, outLength, 2);

        for (float[] ab : new float[][] {{1f, 1f}, {0.75f, -1.5f}, {-1f, 0f}}) {
            float alpha = ab[0], beta = ab[1];
            String what = "addBlock alpha=" + alpha + " beta=" + beta + shape;
            checkBlock(what, ref, sut, garbage, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.addBlock(rows, cols, alpha, a, aOff, lda, beta, b, bOff, ldb, o, oOff, ldo));
            checkBlock(what + " in place of a", ref, sut, old, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.addBlock(rows, cols, alpha, o, oOff, ldo, beta, b, bOff, ldb, o, oOff, ldo));
            checkBlock(what + " in place of b", ref, sut, old, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.addBlock(rows, cols, alpha, a, aOff, lda, beta, o, oOff, ldo, o, oOff, ldo));
        }
        for (float beta : new float[] {0f, 1f}) {
            String what = "mulBlock beta=" + beta + shape;
            checkBlock(what, ref, sut, beta == 0f ? garbage : old, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.mulBlock(rows, cols, a, aOff, lda, b, bOff, ldb, beta, o, oOff, ldo));
            checkBlock(what + " in place of a", ref, sut, old, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.mulBlock(rows, cols, o, oOff, ldo, b, bOff, ldb, beta, o, oOff, ldo));
        }
        for (float[] ab : new float[][] {{-1f, 1f}, {0.5f, 0.25f}}) {
            float alpha = ab[0], beta = ab[1];
            String what = "affineBlock alpha=" + alpha + " beta=" + beta + shape;
            checkBlock(what, ref, sut, garbage, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.affineBlock(rows, cols, alpha, a, aOff, lda, beta, o, oOff, ldo));
            checkBlock(what + " in place", ref, sut, old, oOff, rows, cols, ldo, 0, 0,
                    (be, o) -> be.affineBlock(rows, cols, alpha, o, oOff, ldo, beta, o, oOff, ldo));
        }
        for (Activation f : Activation.values()) {
            String what = f + " activationBlock" + shape;
            checkBlock(what, ref, sut, garbage, oOff, rows, cols, ldo, ACTIVATION_TOLERANCE, 4 * U,
                    (be, o) -> be.activationBlock(f, rows, cols, a, aOff, lda, o, oOff, ldo));
            checkBlock(what + " in place", ref, sut, old, oOff, rows, cols, ldo, ACTIVATION_TOLERANCE, 4 * U,
                    (be, o) -> be.activationBlock(f, rows, cols, o, oOff, ldo, o, oOff, ldo));

            // y plays the output of f: keep it in f's range so the derivative formula applies.
            float[] y = a.clone(), yOld = old.clone();
            ref.activationBlock(f, rows, cols, a, aOff, lda, y, aOff, lda);
            ref.activationBlock(f, rows, cols, old, oOff, ldo, yOld, oOff, ldo);
            for (float beta : new float[] {0f, 1f}) {
                String back = f + " activationBackwardBlock beta=" + beta + shape;
                checkBlock(back, ref, sut, beta == 0f ? garbage : old, oOff, rows, cols, ldo, 0, 0,
                        (be, o) -> be.activationBackwardBlock(f, rows, cols, y, aOff, lda, b, bOff, ldb, beta, o, oOff, ldo));
                checkBlock(back + " in place of dy", ref, sut, old, oOff, rows, cols, ldo, 0, 0,
                        (be, o) -> be.activationBackwardBlock(f, rows, cols, y, aOff, lda, o, oOff, ldo, beta, o, oOff, ldo));
                checkBlock(back + " in place of y", ref, sut, yOld, oOff, rows, cols, ldo, 0, 0,
                        (be, o) -> be.activationBackwardBlock(f, rows, cols, o, oOff, ldo, b, bOff, ldb, beta, o, oOff, ldo));
            }
        }
    }

    /**
     * Runs {@code call} on a copy of {@code before} with each backend. Inside the rows × cols block at
     * {@code off} (stride {@code ld}) the results must agree, bit for bit when both tolerances are 0;
     * everywhere else the backend under test must have left {@code before}'s bits.
     */
    private static void checkBlock(String what, Backend ref, Backend sut, float[] before, int off, int rows, int cols,
                                   int ld, double absTol, double relTol, BiConsumer<Backend, float[]> call) {
        float[] expected = before.clone(), actual = before.clone();
        call.accept(ref, expected);
        call.accept(sut, actual);
        for (int i = 0; i < rows; i++) {
            int row = off + i * ld;
            if (absTol == 0 && relTol == 0) {
                for (int j = 0; j < cols; j++) {
                    if (Float.floatToIntBits(expected[row + j]) != Float.floatToIntBits(actual[row + j])) {
                        fail(what + ": [" + i + "," + j + "] expected " + expected[row + j] + " got " + actual[row + j]
                                + " (must be the reference's bits)");
                    }
                }
            } else {
                assertWithin(what + " row " + i, expected, actual, row, cols, absTol, relTol);
            }
        }
        for (int p = 0; p < actual.length; p++) {
            boolean inside = p >= off && (p - off) / ld < rows && (p - off) % ld < cols;
            if (!inside && Float.floatToIntBits(before[p]) != Float.floatToIntBits(actual[p])) {
                fail(what + ": wrote " + actual[p] + " at " + p + ", outside the block (offset " + off + ", ld " + ld + ")");
            }
        }
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
                // One logit far above the rest, at each column in turn: its exponential overflows unless the
                // row's max is subtracted first, so a max that misses a column gives an infinite loss.
                for (int p = 0; p < cols; p++) {
                    float[] y = x.clone();
                    y[2 + p] = 1000f;
                    double lr = ref.softmaxCrossEntropy(1, cols, y, 2, targets, 1, 1f, null, 0);
                    assertEquals(lr, sut.softmaxCrossEntropy(1, cols, y, 2, targets, 1, 1f, null, 0),
                            1e-5 * Math.max(1, lr), "loss with a logit of 1000 in column " + p + " of " + cols);
                }
            }
        }));
    }

    /**
     * Splitting work over threads changes which thread computes an element, never how: GEMM (every
     * form), bias + activation, activation, axpy and the softmax cross-entropy (loss and gradient) at
     * training sizes, large enough to be split, give the bits of one thread.
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
            int len = 70_001; // a weight's update or an LSTM's [B, H] block: not a multiple of any vector
            float[] x = Fixtures.gaussian(rng, len + 2, 3), y = Fixtures.gaussian(rng, len + 1, 1);
            for (Activation f : Activation.values()) {
                float[] y1 = x.clone(), y2 = x.clone();
                one.activation(f, len, y1, 1);
                two.activation(f, len, y2, 1);
                assertArrayEquals(y1, y2, f + " activation of " + len + " elements on 2 threads");
            }
            float[] y1 = y.clone(), y2 = y.clone();
            one.axpy(len, -0.37f, x, 2, y1, 1);
            two.axpy(len, -0.37f, x, 2, y2, 1);
            assertArrayEquals(y1, y2, "axpy of " + len + " elements on 2 threads");
            // A sequence's logits (35 steps × batch 32, the vocabulary 28), offsets on every array.
            int rows = 1120, cols = 28;
            float[] logits = Fixtures.gaussian(rng, rows * cols + 3, 4);
            int[] targets = new int[rows + 1];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = rng.nextInt(cols);
            }
            float[] d1 = new float[rows * cols + 2], d2 = new float[rows * cols + 2];
            double l1 = one.softmaxCrossEntropy(rows, cols, logits, 3, targets, 1, 1f / rows, d1, 2);
            double l2 = two.softmaxCrossEntropy(rows, cols, logits, 3, targets, 1, 1f / rows, d2, 2);
            assertEquals(l1, l2, "softmax cross-entropy loss of " + rows + " rows on 2 threads");
            assertArrayEquals(d1, d2, "softmax cross-entropy gradient of " + rows + " rows on 2 threads");
        }
    }

    /**
     * Products queued with {@code gemmBackground} (weight-gradient shapes, A read transposed), while the
     * caller runs other products meanwhile, accumulate in the order queued: after {@code awaitBackground}, C
     * holds the bits of {@code gemm} calls in that order, on 1 thread and on 2.
     */
    @Test
    default void backgroundProductsAccumulateInTheOrderQueued() {
        Rng rng = new Rng(13);
        int m = 33, n = 515, k = 64, groups = 5;
        float[] a = Fixtures.gaussian(rng, groups * k * m + 1, 1), b = Fixtures.gaussian(rng, groups * k * n + 2, 1);
        float[] c0 = Fixtures.gaussian(rng, m * n + 3, 2);
        try (Backend one = backend(1); Backend two = backend(2)) {
            float[] expected = c0.clone();
            for (int g = groups - 1; g >= 0; g--) {
                one.gemm(true, false, m, n, k, a, 1 + g * k * m, m, b, 2 + g * k * n, n, 1f, expected, 3, n);
            }
            for (Backend be : List.of(one, two)) {
                float[] c = c0.clone(), other = new float[m * n];
                for (int g = groups - 1; g >= 0; g--) {
                    be.gemmBackground(true, false, m, n, k, a, 1 + g * k * m, m, b, 2 + g * k * n, n, c, 3, n);
                    be.gemm(true, false, m, n, k, a, 1, m, b, 2, n, 0f, other, 0, n); // the caller's own work
                }
                be.awaitBackground();
                assertArrayEquals(expected, c, "background products on " + be.threads() + " thread(s)");
            }
        }
    }

    /**
     * A queued product that fails is reported, once, by the next {@code awaitBackground} (or at once by a
     * backend that computes it at once), and the backend goes on working.
     */
    @Test
    default void aFailedBackgroundProductIsReportedAndTheBackendGoesOn() {
        for (int threads : new int[] {1, 2}) {
            try (Backend be = backend(threads)) {
                float[] tooShort = new float[5], c = new float[64];
                assertThrows(RuntimeException.class, () -> {
                    be.gemmBackground(false, false, 8, 8, 8, tooShort, 0, 8, tooShort, 0, 8, c, 0, 8);
                    be.awaitBackground();
                }, "a product over a 5-float operand, on " + threads + " thread(s)");
                be.awaitBackground(); // reported once
                float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, d = new float[4];
                be.gemmBackground(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, d, 0, 2);
                be.awaitBackground();
                assertArrayEquals(new float[] {19, 22, 43, 50}, d, "a product after the failed one");
            }
        }
    }

    /**
     * The block kernels at the largest step-language shape (batch 128, hidden 513, a gate of a fused
     * [B, 4H] block), large enough to be split over threads, give the same bits on 2 threads as on 1.
     */
    @Test
    default void blockKernelsGiveTheBitsOfOneThreadOnTwo() {
        Rng rng = new Rng(12);
        int rows = 128, cols = 513, ld = 4 * cols, len = 3 + rows * ld;
        float[] a = Fixtures.gaussian(rng, len, 2), b = Fixtures.gaussian(rng, len, 2), c = Fixtures.gaussian(rng, len, 2);
        List<String> names = new ArrayList<>();
        List<BiConsumer<Backend, float[]>> calls = new ArrayList<>();
        names.add("addBlock");
        calls.add((be, o) -> be.addBlock(rows, cols, 0.75f, a, 1, ld, -1.5f, b, 2, ld, o, 3, ld));
        for (float beta : new float[] {0f, 1f}) {
            names.add("mulBlock beta=" + beta);
            calls.add((be, o) -> be.mulBlock(rows, cols, a, 1, ld, b, 2, ld, beta, o, 3, ld));
        }
        names.add("affineBlock");
        calls.add((be, o) -> be.affineBlock(rows, cols, -1f, a, 1, ld, 1f, o, 3, ld));
        for (Activation f : Activation.values()) {
            names.add(f + " activationBlock");
            calls.add((be, o) -> be.activationBlock(f, rows, cols, a, 1, ld, o, 3, ld));
            names.add(f + " activationBlock in place");
            calls.add((be, o) -> be.activationBlock(f, rows, cols, o, 3, ld, o, 3, ld));
            for (float beta : new float[] {0f, 1f}) {
                names.add(f + " activationBackwardBlock beta=" + beta);
                calls.add((be, o) -> be.activationBackwardBlock(f, rows, cols, a, 1, ld, b, 2, ld, beta, o, 3, ld));
            }
        }
        try (Backend one = backend(1); Backend two = backend(2)) {
            for (int k = 0; k < calls.size(); k++) {
                float[] c1 = c.clone(), c2 = c.clone();
                calls.get(k).accept(one, c1);
                calls.get(k).accept(two, c2);
                assertArrayEquals(c1, c2, names.get(k) + " on 2 threads");
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

    /** The view forms of the kernels check shapes and then give exactly what the array forms give. */
    @Test
    default void viewFormsCheckShapesAndGiveTheArrayFormsNumbers() {
        try (Backend b = backend(1)) {
            Rng rng = new Rng(17);
            float[] x = Fixtures.gaussian(rng, 5 * 12, 1);
            float[] w = Fixtures.gaussian(rng, 4 * 9, 1);
            rnn.api.Tensor a = new rnn.api.Tensor(x, 2, 5, 4, 12);      // a 5×4 block inside a 5×12 array
            rnn.api.Tensor m = rnn.api.Tensor.of(w, 4, 9).columns(3, 3); // columns 3..5 of a 4×9 matrix
            float[] viaViews = new float[5 * 3];
            float[] viaArrays = new float[5 * 3];
            b.gemm(a, m, 0f, rnn.api.Tensor.of(viaViews, 5, 3));
            b.gemm(false, false, 5, 3, 4, x, 2, 12, w, 3, 9, 0f, viaArrays, 0, 3);
            assertArrayEquals(viaArrays, viaViews);
            b.activation(Activation.TANH, rnn.api.Tensor.of(viaViews, 5, 3), rnn.api.Tensor.of(viaViews, 5, 3));
            b.activationBlock(Activation.TANH, 5, 3, viaArrays, 0, 3, viaArrays, 0, 3);
            assertArrayEquals(viaArrays, viaViews);
            b.mul(a.columns(0, 3), rnn.api.Tensor.of(viaViews, 5, 3), 0f, rnn.api.Tensor.of(viaViews, 5, 3));
            b.mulBlock(5, 3, x, 2, 12, viaArrays, 0, 3, 0f, viaArrays, 0, 3);
            assertArrayEquals(viaArrays, viaViews);
            b.add(1f, a.columns(1, 3), -1f, rnn.api.Tensor.of(viaViews, 5, 3), rnn.api.Tensor.of(viaViews, 5, 3));
            b.addBlock(5, 3, 1f, x, 3, 12, -1f, viaArrays, 0, 3, viaArrays, 0, 3);
            assertArrayEquals(viaArrays, viaViews);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> b.gemm(a, rnn.api.Tensor.of(w, 4, 9), 0f, rnn.api.Tensor.of(new float[15], 5, 3)));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> b.mul(a, a, 0f, rnn.api.Tensor.of(new float[15], 5, 3)));
        }
    }
}
