package rnn.backend.vector;

import static rnn.backend.vector.GemmKernels.MR;
import static rnn.backend.vector.GemmKernels.NR;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import rnn.api.Activation;
import rnn.api.Backend;

/**
 * The SIMD kernels, on {@link FloatVector#SPECIES_PREFERRED}, with scalar tails for any size. GEMM is
 * register-blocked (see {@link GemmKernels}) and split over a fixed {@link WorkerPool} when large enough;
 * elementwise kernels are memory-bound and stay on the caller's thread.
 *
 * <p>Elementwise kernels other than tanh/sigmoid/exp perform the reference backend's float operations
 * in the same order, so they agree with it bit for bit.
 */
final class VectorBackend implements Backend {

    private static final VectorSpecies<Float> S = GemmKernels.S;
    private static final int L = S.length();
    /** Below this m·n·k a handoff to the workers costs more than it saves. */
    private static final long SERIAL_WORK = 1L << 16;
    /** Below this many elements bias + activation stays on the caller's thread (a handoff costs ~µs). */
    private static final int SERIAL_ACTIVATIONS = 8192;
    /** sumOfSquares adds at most this many squares per float lane before moving the sum to double. */
    private static final int SQUARES_BLOCK = 1024;

    private final int threads;
    private final WorkerPool pool;
    private final GemmJob job;
    private final ActivationJob activationJob = new ActivationJob();
    /** Workspaces grown on demand and reused: Aᵀ or Bᵀ packed, Cᵀ, softmax exponentials, lane sums. */
    private float[] packed = new float[0];
    private float[] transposedC = new float[0];
    private float[] expRow = new float[0];
    private final float[] lanes = new float[L];

    VectorBackend(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new WorkerPool(threads, "rnn-vector") : null;
        this.job = new GemmJob(threads);
    }

    /** Bits of the preferred float species; the first thing that touches the Vector API. */
    static int preferredBits() {
        return S.vectorBitSize();
    }

    static String describe() {
        return "FloatVector " + S.vectorBitSize() + "-bit (" + L + " lanes)";
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    // ---------------------------------------------------------------- GEMM

    /**
     * The kernels need B's rows contiguous along the vectorised dimension. NN and TN have that. For NT
     * and TT this computes in the transposed world {@code Cᵀ = op(B)ᵀ·op(A)ᵀ} when m is wide enough for
     * vectors and that is cheaper (packing Aᵀ is m·k floats against n·k for packing Bᵀ), else it packs
     * Bᵀ. Either way each element is still one fma chain over p in order.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        boolean acc = beta != 0f;
        if (acc && beta != 1f) {
            for (int i = 0; i < m; i++) {
                scale(n, beta, c, cOff + i * ldc);
            }
        }
        GemmJob g = job;
        g.clear();
        if (!transB) {
            g.world(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, ldb, acc, c, cOff, ldc);
        } else if (m >= L && (transA || (long) m * k + 2L * m * n <= (long) n * k)) {
            int ldt = m;
            transposedC = grow(transposedC, n * ldt);
            if (transA) {
                // Cᵀ = B·A with B stored n×k and A stored k×m: a plain NN product, nothing to pack.
                g.world(n, m, k, b, bOff, ldb, 1, a, aOff, lda, acc, transposedC, 0, ldt);
            } else {
                packed = grow(packed, k * m);
                GemmKernels.transposeInto(0, k, a, aOff, lda, packed, 0, m, 0, m);
                g.world(n, m, k, b, bOff, ldb, 1, packed, 0, m, acc, transposedC, 0, ldt);
            }
            g.transposeOut(c, cOff, ldc);
        } else {
            packed = grow(packed, k * n);
            g.world(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, packed, 0, n, acc, c, cOff, ldc);
            g.packB(b, bOff, ldb);
        }
        long work = (long) m * n * k;
        if (pool == null || work < SERIAL_WORK) {
            g.split(true, 1);
            g.runChunk(0, 0);
        } else {
            boolean byColumns = ceilDiv(g.n, NR) >= ceilDiv(g.m, MR);
            if (g.packSource != null && !byColumns) {
                GemmKernels.transposeInto(0, g.k, g.packSource, g.packOff, g.packLd, g.b, 0, g.ldb, 0, g.n);
                g.packSource = null;
            }
            // About four chunks per thread: small enough to balance, big enough to amortise claiming.
            pool.run(g, g.split(byColumns, 4 * threads));
        }
        g.clear();
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static float[] grow(float[] ws, int size) {
        return ws.length >= size ? ws : new float[size];
    }

    /**
     * One GEMM call's parameters, reused across calls so that dispatch allocates nothing. Chunks cover
     * disjoint tiles of C and each element's value does not depend on the tiling, so results are the
     * same bits whichever thread runs which chunk.
     */
    private static final class GemmJob implements WorkerPool.Job {
        int m, n, k;
        float[] a, b, c;
        int aOff, rsA, csA, bOff, ldb, cOff, ldc;
        boolean acc;
        boolean byColumns;
        int unitsPerChunk;
        /** Non-null: B is packed from this n×k source (Bᵀ) by each part for its columns. */
        float[] packSource;
        int packOff, packLd;
        /** Non-null: the computed matrix is Cᵀ in a workspace; this is the real C. */
        float[] realC;
        int realOff, realLd;
        /** One B panel buffer per thread. */
        final float[][] panels;

        GemmJob(int threads) {
            panels = new float[threads][GemmKernels.PANEL];
        }

        void world(int m, int n, int k, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                   boolean acc, float[] c, int cOff, int ldc) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.rsA = rsA;
            this.csA = csA;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.acc = acc;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        void packB(float[] src, int off, int ld) {
            packSource = src;
            packOff = off;
            packLd = ld;
        }

        void transposeOut(float[] c, int off, int ld) {
            realC = c;
            realOff = off;
            realLd = ld;
        }

        void clear() {
            a = b = c = packSource = realC = null;
        }

        /** Splits the work into about {@code target} chunks of whole NR panels or MR row blocks; returns the count. */
        int split(boolean columns, int target) {
            byColumns = columns;
            int units = columns ? ceilDiv(n, NR) : ceilDiv(m, MR);
            unitsPerChunk = Math.max(1, ceilDiv(units, target));
            return Math.max(1, ceilDiv(units, unitsPerChunk));
        }

        /** Chunk number {@code chunk}, on worker {@code w}'s panel buffer; no tile is shared between chunks. */
        @Override
        public void runChunk(int chunk, int w) {
            int i0 = 0, i1 = m, j0 = 0, j1 = n;
            int u0 = chunk * unitsPerChunk, u1 = u0 + unitsPerChunk;
            if (byColumns) {
                j0 = (int) Math.min(n, (long) u0 * NR);
                j1 = (int) Math.min(n, (long) u1 * NR);
            } else {
                i0 = (int) Math.min(m, (long) u0 * MR);
                i1 = (int) Math.min(m, (long) u1 * MR);
            }
            if (i0 >= i1 || j0 >= j1) {
                return;
            }
            if (packSource != null) {
                GemmKernels.transposeInto(0, k, packSource, packOff, packLd, b, bOff, ldb, j0, j1);
            }
            if (realC != null && acc) {
                GemmKernels.transposeInto(i0, i1, realC, realOff, realLd, c, cOff, ldc, j0, j1);
            }
            GemmKernels.compute(k, a, aOff, rsA, csA, b, bOff, ldb, acc, c, cOff, ldc, i0, i1, j0, j1, panels[w]);
            if (realC != null) {
                GemmKernels.transposeInto(j0, j1, c, cOff, ldc, realC, realOff, realLd, i0, i1);
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /*
     * tanh, sigmoid and exp are computed here from IEEE-exact lane-wise operations only (add, mul, div,
     * fma, float-int conversion and shifts), never with VectorOperators.TANH/EXP: those run as Java
     * fallbacks until C2 compiles the loop and as SVML stubs afterwards, which round differently, so the
     * same seed would give different numbers depending on JIT timing. These formulas give the same bits
     * interpreted or compiled, and stay within about 2e-7 of the double-precision reference.
     *
     * No vector crosses a method boundary: C2 does not always inline a helper that takes and returns
     * vectors (it refuses callees already "compiled into a medium method"), and then every vector is
     * boxed, i.e. allocated, on every call. So activations are staged through the array: scale in
     * place, e^x in place (the one loop that holds the exponential), then combine in place.
     */
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;   // ln 2 split so that k·LN2_HI is exact (Cephes)
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_MIN = -87.3f, EXP_MAX = 88.3f; // the normal float range

    /** x ← e^x over [off, off+n); Taylor of degree 7 on |r| ≤ ln2/2 after range reduction (≈ 5e-9 relative). */
    static void expInPlace(float[] x, int off, int n) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).max(EXP_MIN).min(EXP_MAX);
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
            p.mul(scale).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] = (float) StrictMath.exp(Math.min(EXP_MAX, Math.max(EXP_MIN, x[off + i])));
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

    /** x ← f(x) over [off, off+n). */
    private static void activateInPlace(Activation f, float[] x, int off, int n) {
        switch (f) {
            case IDENTITY -> {
            }
            case TANH -> { // 1 − 2/(1 + e^{2x}): saturates to ±1 without overflow, as e^x is clamped
                scaleInPlace(2f, x, off, n);
                expInPlace(x, off, n);
                oneOverOnePlus(1f, 2f, x, off, n);
            }
            case SIGMOID -> { // 1/(1 + e^{−x})
                scaleInPlace(-1f, x, off, n);
                expInPlace(x, off, n);
                oneOverOnePlus(0f, -1f, x, off, n);
            }
            case RELU -> {
                int upper = S.loopBound(n);
                int i = 0;
                for (; i < upper; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, off + i);
                    FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(x, off + i);
                }
                for (; i < n; i++) {
                    x[off + i] = f.apply(x[off + i]);
                }
            }
        }
    }

    private static void scaleInPlace(float alpha, float[] x, int off, int n) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, x, off + i).mul(alpha).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public void biasActivation(Activation f, int rows, int cols, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc) {
        if (pool == null || rows < 2 || (long) rows * cols < SERIAL_ACTIVATIONS) {
            biasActivationRows(f, 0, rows, cols, bias, biasOff, c, cOff, ldc);
            return;
        }
        // The recurrent step's tanh is a serial gap between two parallel GEMMs: split it by rows too.
        ActivationJob j = activationJob;
        j.set(f, rows, cols, bias, biasOff, c, cOff, ldc);
        j.perChunk = ceilDiv(rows, 2 * threads);
        pool.run(j, ceilDiv(rows, j.perChunk));
        j.set(null, 0, 0, null, 0, null, 0, 0);
    }

    private static void biasActivationRows(Activation f, int i0, int i1, int cols, float[] bias, int biasOff,
                                           float[] c, int cOff, int ldc) {
        int upper = S.loopBound(cols);
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector.fromArray(S, c, row + j).add(FloatVector.fromArray(S, bias, biasOff + j)).intoArray(c, row + j);
            }
            for (; j < cols; j++) {
                c[row + j] += bias[biasOff + j];
            }
            activateInPlace(f, c, row, cols);
        }
    }

    /** {@link #biasActivation} over chunks of rows; reused so that dispatch allocates nothing. */
    private static final class ActivationJob implements WorkerPool.Job {
        Activation f;
        int rows, cols, perChunk, biasOff, cOff, ldc;
        float[] bias, c;

        void set(Activation f, int rows, int cols, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
            this.f = f;
            this.rows = rows;
            this.cols = cols;
            this.bias = bias;
            this.biasOff = biasOff;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        @Override
        public void runChunk(int chunk, int worker) {
            int i0 = chunk * perChunk;
            biasActivationRows(f, i0, Math.min(rows, i0 + perChunk), cols, bias, biasOff, c, cOff, ldc);
        }
    }

    @Override
    public void activation(Activation f, int n, float[] x, int off) {
        activateInPlace(f, x, off, n);
    }

    /** The reference formulas, operation for operation: bit-identical to it. */
    @Override
    public void activationBackward(Activation f, int n, float[] y, int yOff, float[] dy, int dyOff,
                                   float[] dz, int dzOff) {
        int upper = S.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        for (; i < upper; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
            FloatVector d = switch (f) {
                case IDENTITY -> one;
                case TANH -> one.sub(yv.mul(yv));
                case SIGMOID -> yv.mul(one.sub(yv));
                case RELU -> zero.blend(one, yv.compare(VectorOperators.GT, 0f));
            };
            FloatVector.fromArray(S, dy, dyOff + i).mul(d).intoArray(dz, dzOff + i);
        }
        for (; i < n; i++) {
            dz[dzOff + i] = dy[dyOff + i] * f.derivativeFromOutput(y[yOff + i]);
        }
    }

    // ---------------------------------------------------------------- reductions

    /** Rows are added to out in order, as the reference does: bit-identical. */
    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        int upper = S.loopBound(cols);
        int j = 0;
        for (; j < upper; j += L) {
            FloatVector s = FloatVector.fromArray(S, out, outOff + j);
            for (int i = 0; i < rows; i++) {
                s = s.add(FloatVector.fromArray(S, x, xOff + i * ldx + j));
            }
            s.intoArray(out, outOff + j);
        }
        for (; j < cols; j++) {
            float s = out[outOff + j];
            for (int i = 0; i < rows; i++) {
                s += x[xOff + i * ldx + j];
            }
            out[outOff + j] = s;
        }
    }

    /**
     * Exponentials in float vectors (written to dLogits, or a workspace, then reused for the gradient);
     * their sum and the loss in double, in a fixed order.
     */
    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int off, int[] targets, int targetOff,
                                      float scale, float[] dLogits, int dOff) {
        float[] e = dLogits;
        if (e == null) {
            expRow = grow(expRow, cols);
            e = expRow;
        }
        int upper = S.loopBound(cols);
        double loss = 0;
        for (int i = 0; i < rows; i++) {
            int row = off + i * cols;
            int er = dLogits != null ? dOff + i * cols : 0;
            float max = Float.NEGATIVE_INFINITY;
            int j = 0;
            if (upper > 0) {
                FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (; j < upper; j += L) {
                    mv = mv.max(FloatVector.fromArray(S, logits, row + j));
                }
                max = mv.reduceLanes(VectorOperators.MAX); // max is exact in any order
            }
            for (; j < cols; j++) {
                max = Math.max(max, logits[row + j]);
            }
            FloatVector mx = FloatVector.broadcast(S, max);
            for (j = 0; j < upper; j += L) {
                FloatVector.fromArray(S, logits, row + j).sub(mx).intoArray(e, er + j);
            }
            for (; j < cols; j++) {
                e[er + j] = logits[row + j] - max;
            }
            expInPlace(e, er, cols);
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (j = 0; j + 4 <= cols; j += 4) {
                s0 += e[er + j];
                s1 += e[er + j + 1];
                s2 += e[er + j + 2];
                s3 += e[er + j + 3];
            }
            for (; j < cols; j++) {
                s0 += e[er + j];
            }
            double sum = (s0 + s1) + (s2 + s3);
            int target = targets[targetOff + i];
            loss += Math.log(sum) - (logits[row + target] - max);
            if (dLogits != null) {
                double pTarget = e[er + target] / sum;
                FloatVector f = FloatVector.broadcast(S, (float) (scale / sum));
                for (j = 0; j < upper; j += L) {
                    FloatVector.fromArray(S, e, er + j).mul(f).intoArray(e, er + j);
                }
                float fs = (float) (scale / sum);
                for (; j < cols; j++) {
                    e[er + j] *= fs;
                }
                // p - 1 cancels: form it in double from the unscaled exponential.
                e[er + target] = (float) (scale * (pTarget - 1));
            }
        }
        return loss;
    }

    /** Float partial sums per lane over blocks of at most SQUARES_BLOCK elements, blocks added in double. */
    @Override
    public double sumOfSquares(int n, float[] x, int off) {
        int upper = S.loopBound(n);
        double total = 0;
        int i = 0;
        while (i < upper) {
            int end = Math.min(upper, i + SQUARES_BLOCK);
            FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
            for (; i + 2 * L <= end; i += 2 * L) {
                FloatVector v0 = FloatVector.fromArray(S, x, off + i);
                FloatVector v1 = FloatVector.fromArray(S, x, off + i + L);
                s0 = v0.fma(v0, s0);
                s1 = v1.fma(v1, s1);
            }
            for (; i < end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, off + i);
                s0 = v.fma(v, s0);
            }
            // Lanes summed in a fixed order: reduceLanes(ADD) may reassociate differently when compiled.
            s0.add(s1).intoArray(lanes, 0);
            for (int l = 0; l < L; l++) {
                total += lanes[l];
            }
        }
        for (; i < n; i++) {
            total += (double) x[off + i] * x[off + i];
        }
        return total;
    }

    // ---------------------------------------------------------------- elementwise (bit-identical to the reference)

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
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

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        scaleInPlace(alpha, x, off, n);
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int upper = S.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void addMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
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

    @Override
    public void addScaled(int n, float[] a, int aOff, float alpha, float[] b, int bOff, float[] out, int outOff) {
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

    // ---------------------------------------------------------------- elementwise over strided blocks

    @Override
    public void addBlock(int rows, int cols, float alpha, float[] a, int aOff, int lda,
                         float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
        int upper = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int ao = aOff + r * lda, bo = bOff + r * ldb, oo = outOff + r * ldo;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector.fromArray(S, a, ao + i).mul(alpha).add(FloatVector.fromArray(S, b, bo + i).mul(beta))
                        .intoArray(out, oo + i);
            }
            for (; i < cols; i++) {
                out[oo + i] = alpha * a[ao + i] + beta * b[bo + i];
            }
        }
    }

    @Override
    public void mulBlock(int rows, int cols, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] out, int outOff, int ldo) {
        for (int r = 0; r < rows; r++) {
            if (beta == 0f) {
                mul(cols, a, aOff + r * lda, b, bOff + r * ldb, out, outOff + r * ldo);
            } else {
                addMul(cols, a, aOff + r * lda, b, bOff + r * ldb, out, outOff + r * ldo);
            }
        }
    }

    @Override
    public void affineBlock(int rows, int cols, float alpha, float[] x, int xOff, int ldx, float beta,
                            float[] out, int outOff, int ldo) {
        int upper = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * ldx, oo = outOff + r * ldo;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector.fromArray(S, x, xo + i).mul(alpha).add(beta).intoArray(out, oo + i);
            }
            for (; i < cols; i++) {
                out[oo + i] = alpha * x[xo + i] + beta;
            }
        }
    }

    @Override
    public void activationBlock(Activation f, int rows, int cols, float[] x, int xOff, int ldx,
                                float[] out, int outOff, int ldo) {
        for (int r = 0; r < rows; r++) {
            if (x != out || xOff + r * ldx != outOff + r * ldo) {
                System.arraycopy(x, xOff + r * ldx, out, outOff + r * ldo, cols);
            }
            activateInPlace(f, out, outOff + r * ldo, cols);
        }
    }

    @Override
    public void activationBackwardBlock(Activation f, int rows, int cols, float[] y, int yOff, int ldy,
                                        float[] dy, int dyOff, int lddy, float beta,
                                        float[] dz, int dzOff, int lddz) {
        int upper = S.loopBound(cols);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0; r < rows; r++) {
            int yo = yOff + r * ldy, dyo = dyOff + r * lddy, dzo = dzOff + r * lddz;
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector yv = FloatVector.fromArray(S, y, yo + i);
                FloatVector d = switch (f) {
                    case IDENTITY -> one;
                    case TANH -> one.sub(yv.mul(yv));
                    case SIGMOID -> yv.mul(one.sub(yv));
                    case RELU -> zero.blend(one, yv.compare(VectorOperators.GT, 0f));
                };
                FloatVector g = FloatVector.fromArray(S, dy, dyo + i).mul(d);
                if (beta != 0f) {
                    g = g.add(FloatVector.fromArray(S, dz, dzo + i).mul(beta));
                }
                g.intoArray(dz, dzo + i);
            }
            for (; i < cols; i++) {
                float g = dy[dyo + i] * f.derivativeFromOutput(y[yo + i]);
                dz[dzo + i] = beta == 0f ? g : g + beta * dz[dzo + i];
            }
        }
    }
}
