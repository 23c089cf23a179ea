package rnn.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import rnn.api.Activation;

/**
 * The elementwise kernels of {@link VectorBackend}: activations, the 1-D vector operations and their
 * forms over strided 2-D blocks, each with a scalar tail for any size. They run on the calling thread;
 * a block kernel covers rows {@code [i0, i1)} so that the backend can hand chunks of rows to its workers.
 *
 * <p>Everything except tanh, sigmoid and exp performs the reference backend's float operations in its
 * order, one rounding each and never a fused multiply-add, so it agrees with the reference bit for bit.
 * No element's value depends on where a row or chunk starts, except under tanh and sigmoid, whose vector
 * lanes and scalar tail round differently: those are therefore always staged one row at a time, so a
 * row of a block gets the bits that the 1-D {@link #activate} (and bias + activation) gives that row.
 *
 * <p>No vector crosses a method boundary: C2 does not always inline a helper that takes or returns
 * vectors (it refuses callees already "compiled into a medium method"), and then every vector is boxed,
 * i.e. allocated, on every call. Helpers here take arrays and indices only, and a loop never merges
 * vectors from different branches: the choice of activation or of accumulating is made outside the loops.
 */
final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = GemmKernels.S;
    private static final int L = S.length();

    private ElementwiseKernels() {
    }

    // ---------------------------------------------------------------- activations

    /*
     * tanh, sigmoid and exp are computed here from IEEE-exact lane-wise operations only (add, mul, div,
     * fma, float-int conversion and shifts), never with VectorOperators.TANH/EXP: those run as Java
     * fallbacks until C2 compiles the loop and as SVML stubs afterwards, which round differently, so the
     * same seed would give different numbers depending on JIT timing. These formulas give the same bits
     * interpreted or compiled, and stay within about 2e-7 of the double-precision reference.
     *
     * Activations are staged through the array: e^{αx} into place (the one loop that holds the
     * exponential; α·x rounded first, as a pass of its own would), then combine in place.
     */
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;   // ln 2 split so that k·LN2_HI is exact (Cephes)
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MIN = -87.3f, EXP_MAX = 88.3f; // the normal float range

    /**
     * out ← e^{α·x} over n elements ({@code out} may be {@code x} at the same offset); Taylor of degree 7 on
     * |r| ≤ ln2/2 after range reduction (≈ 5e-9 relative).
     */
    static void exp(float alpha, float[] x, int xOff, float[] out, int outOff, int n) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            // Clamped by compare and blend, not max/min: the same values (NaN stays NaN), but Java's max and
            // min (NaN and signed-zero rules) compile to five instructions each (Zen 5: tanh 1.34× faster).
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).mul(alpha);
            v = v.blend(EXP_MIN, v.compare(VectorOperators.LT, EXP_MIN))
                    .blend(EXP_MAX, v.compare(VectorOperators.GT, EXP_MAX));
            FloatVector t = v.mul(LOG2E);
            FloatVector half = FloatVector.broadcast(S, 0.5f).blend(-0.5f, t.compare(VectorOperators.LT, 0f));
            IntVector ki = (IntVector) t.add(half).convert(VectorOperators.F2I, 0); // round half away from zero
            FloatVector k = (FloatVector) ki.convert(VectorOperators.I2F, 0);
            FloatVector r = k.neg().fma(FloatVector.broadcast(S, LN2_HI), v);
            r = k.neg().fma(FloatVector.broadcast(S, LN2_LO), r);
            FloatVector p = FloatVector.broadcast(S, 1f / 5040);
            p = p.fma(r, FloatVector.broadcast(S, 1f / 720));
            p = p.fma(r, FloatVector.broadcast(S, 1f / 120));
            p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
            p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
            p = p.fma(r, FloatVector.broadcast(S, 0.5f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            p = p.fma(r, FloatVector.broadcast(S, 1f));
            FloatVector scale = ki.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(scale).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) StrictMath.exp(Math.min(EXP_MAX, Math.max(EXP_MIN, x[xOff + i] * alpha)));
        }
    }

    /** x ← a − b / (1 + x) over [off, off+n): the last stage of sigmoid and tanh. */
    private static void oneOverOnePlus(float a, float b, float[] x, int off, int n) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector.broadcast(S, a).sub(FloatVector.broadcast(S, b).div(v.add(1f))).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = a - b / (1f + x[off + i]);
        }
    }

    /**
     * out ← f(x) over n elements; {@code out} may be {@code x} at the same offset, and the bits are the
     * same either way (the first stage reads x, the rest works in place on out).
     */
    static void activate(Activation f, float[] x, int xOff, float[] out, int outOff, int n) {
        switch (f) {
            case IDENTITY -> {
                if (x != out || xOff != outOff) {
                    System.arraycopy(x, xOff, out, outOff, n);
                }
            }
            case TANH -> { // 1 − 2/(1 + e^{2x}): saturates to ±1 without overflow, as e^x is clamped
                exp(2f, x, xOff, out, outOff, n);
                oneOverOnePlus(1f, 2f, out, outOff, n);
            }
            case SIGMOID -> { // 1/(1 + e^{−x})
                exp(-1f, x, xOff, out, outOff, n);
                oneOverOnePlus(0f, -1f, out, outOff, n);
            }
            case RELU -> {
                int upper = S.loopBound(n);
                int i = 0;
                for (; i < upper; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                    FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
                }
                for (; i < n; i++) {
                    out[outOff + i] = f.apply(x[xOff + i]);
                }
            }
        }
    }

    /** Whether every element of f is computed the same way in a vector lane and in the scalar tail. */
    private static boolean positionIndependent(Activation f) {
        return f == Activation.IDENTITY || f == Activation.RELU;
    }

    /** c[i,j] ← f(c[i,j] + bias[j]) over rows [i0, i1), one row at a time. */
    static void biasActivationRows(Activation f, int i0, int i1, int cols, float[] bias, int biasOff,
                                   float[] c, int cOff, int ldc) {
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            add(cols, bias, biasOff, c, row);
            activate(f, c, row, c, row, cols);
        }
    }

    /** out[i,j] ← f(x[i,j]) over rows [i0, i1); tanh and sigmoid one row at a time (see the class comment). */
    static void activationRows(Activation f, int i0, int i1, int cols, float[] x, int xOff, int ldx,
                               float[] out, int outOff, int ldo) {
        if (i0 >= i1) {
            return;
        }
        if (ldx == cols && ldo == cols && positionIndependent(f)) {
            activate(f, x, xOff + i0 * cols, out, outOff + i0 * cols, (i1 - i0) * cols);
            return;
        }
        for (int i = i0; i < i1; i++) {
            activate(f, x, xOff + i * ldx, out, outOff + i * ldo, cols);
        }
    }

    /**
     * dz ← dy·f'(y) + beta·dz over n elements, beta 0 meaning overwrite (dz may hold garbage): the
     * reference formulas, operation for operation.
     */
    static void activationBackward(Activation f, int n, float[] y, int yOff, float[] dy, int dyOff,
                                   float beta, float[] dz, int dzOff) {
        int upper = S.loopBound(n);
        boolean acc = beta != 0f;
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        switch (f) {
            case IDENTITY -> {
                if (acc) {
                    for (; i < upper; i += L) {
                        FloatVector.fromArray(S, dy, dyOff + i).mul(one)
                                .add(FloatVector.fromArray(S, dz, dzOff + i).mul(beta)).intoArray(dz, dzOff + i);
                    }
                } else {
                    for (; i < upper; i += L) {
                        FloatVector.fromArray(S, dy, dyOff + i).mul(one).intoArray(dz, dzOff + i);
                    }
                }
            }
            case TANH -> { // 1 − y²
                if (acc) {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(one.sub(yv.mul(yv)))
                                .add(FloatVector.fromArray(S, dz, dzOff + i).mul(beta)).intoArray(dz, dzOff + i);
                    }
                } else {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(one.sub(yv.mul(yv))).intoArray(dz, dzOff + i);
                    }
                }
            }
            case SIGMOID -> { // y·(1 − y)
                if (acc) {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(yv.mul(one.sub(yv)))
                                .add(FloatVector.fromArray(S, dz, dzOff + i).mul(beta)).intoArray(dz, dzOff + i);
                    }
                } else {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(yv.mul(one.sub(yv))).intoArray(dz, dzOff + i);
                    }
                }
            }
            case RELU -> { // y > 0 ? 1 : 0, multiplied (not selected) so that the sign of zero and NaNs match
                FloatVector zero = FloatVector.zero(S);
                if (acc) {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(zero.blend(one, yv.compare(VectorOperators.GT, 0f)))
                                .add(FloatVector.fromArray(S, dz, dzOff + i).mul(beta)).intoArray(dz, dzOff + i);
                    }
                } else {
                    for (; i < upper; i += L) {
                        FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                        FloatVector.fromArray(S, dy, dyOff + i).mul(zero.blend(one, yv.compare(VectorOperators.GT, 0f)))
                                .intoArray(dz, dzOff + i);
                    }
                }
            }
        }
        for (; i < n; i++) {
            float d = dy[dyOff + i] * f.derivativeFromOutput(y[yOff + i]);
            dz[dzOff + i] = acc ? d + beta * dz[dzOff + i] : d;
        }
    }

    /** {@link #activationBackward} over rows [i0, i1) of strided blocks. */
    static void activationBackwardRows(Activation f, int i0, int i1, int cols, float[] y, int yOff, int ldy,
                                       float[] dy, int dyOff, int lddy, float beta, float[] dz, int dzOff, int lddz) {
        if (i0 >= i1) {
            return;
        }
        if (ldy == cols && lddy == cols && lddz == cols) { // one contiguous run: fewer scalar tails
            int s = i0 * cols;
            activationBackward(f, (i1 - i0) * cols, y, yOff + s, dy, dyOff + s, beta, dz, dzOff + s);
            return;
        }
        for (int i = i0; i < i1; i++) {
            activationBackward(f, cols, y, yOff + i * ldy, dy, dyOff + i * lddy, beta, dz, dzOff + i * lddz);
        }
    }

    // ---------------------------------------------------------------- 1-D

    /** y ← y + alpha·x. */
    static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i).mul(alpha))
                    .intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /** out ← alpha·x ({@code out} may be {@code x} at the same offset). */
    static void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * alpha;
        }
    }

    /** out ← a·b. */
    static void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    /** y ← y + x. */
    static void add(int n, float[] x, int xOff, float[] y, int yOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** out ← out + a·b. */
    static void addMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, out, outOff + i)
                    .add(FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] += a[aOff + i] * b[bOff + i];
        }
    }

    /** out ← a + alpha·b. */
    static void addScaled(int n, float[] a, int aOff, float alpha, float[] b, int bOff, float[] out, int outOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i).mul(alpha))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + alpha * b[bOff + i];
        }
    }

    // ---------------------------------------------------------------- strided blocks, rows [i0, i1)

    /*
     * When every operand's leading dimension equals cols the rows are one contiguous run, handled as a
     * single row: the same operations on the same elements (these kernels are position independent), with
     * one scalar tail instead of one per row, which matters for narrow blocks.
     */

    /** out ← alpha·a + beta·b. */
    static void addRows(int i0, int i1, int cols, float alpha, float[] a, int aOff, int lda,
                        float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
        if (i0 >= i1) {
            return;
        }
        int n = cols, rows = i1 - i0;
        if (lda == cols && ldb == cols && ldo == cols) {
            n = rows * cols;
            rows = 1;
        }
        int upper = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int ao = aOff + (i0 + r) * lda, bo = bOff + (i0 + r) * ldb, oo = outOff + (i0 + r) * ldo;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(alpha).add(FloatVector.fromArray(S, b, bo + i).mul(beta))
                        .intoArray(out, oo + i);
            }
            for (; i < n; i++) {
                out[oo + i] = alpha * a[ao + i] + beta * b[bo + i];
            }
        }
    }

    /** out ← a·b + beta·out, beta 0 meaning overwrite (out may hold garbage). */
    static void mulRows(int i0, int i1, int cols, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float beta, float[] out, int outOff, int ldo) {
        if (i0 >= i1) {
            return;
        }
        int n = cols, rows = i1 - i0;
        if (lda == cols && ldb == cols && ldo == cols) {
            n = rows * cols;
            rows = 1;
        }
        int upper = S.loopBound(n);
        boolean acc = beta != 0f;
        for (int r = 0; r < rows; r++) {
            int ao = aOff + (i0 + r) * lda, bo = bOff + (i0 + r) * ldb, oo = outOff + (i0 + r) * ldo;
            int i = 0;
            if (acc) {
                for (; i < upper; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i))
                            .add(FloatVector.fromArray(S, out, oo + i).mul(beta)).intoArray(out, oo + i);
                }
                for (; i < n; i++) {
                    out[oo + i] = a[ao + i] * b[bo + i] + beta * out[oo + i];
                }
            } else {
                for (; i < upper; i += L) {
                    FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(out, oo + i);
                }
                for (; i < n; i++) {
                    out[oo + i] = a[ao + i] * b[bo + i];
                }
            }
        }
    }

    /** out ← alpha·x + beta. */
    static void affineRows(int i0, int i1, int cols, float alpha, float[] x, int xOff, int ldx, float beta,
                           float[] out, int outOff, int ldo) {
        if (i0 >= i1) {
            return;
        }
        int n = cols, rows = i1 - i0;
        if (ldx == cols && ldo == cols) {
            n = rows * cols;
            rows = 1;
        }
        int upper = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + (i0 + r) * ldx, oo = outOff + (i0 + r) * ldo;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector.fromArray(S, x, xo + i).mul(alpha).add(beta).intoArray(out, oo + i);
            }
            for (; i < n; i++) {
                out[oo + i] = alpha * x[xo + i] + beta;
            }
        }
    }
}
