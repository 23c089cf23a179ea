package rnn.backend.vector;

import static rnn.backend.vector.GemmKernels.MR;
import static rnn.backend.vector.GemmKernels.NR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import rnn.api.Activation;
import rnn.api.Backend;

/**
 * The SIMD kernels, on {@link FloatVector#SPECIES_PREFERRED} (or the width -Drnn.vector.bits names, see
 * {@link GemmKernels#S}), with scalar tails for any size. GEMM is
 * register-blocked (see {@link GemmKernels}) and split over a fixed {@link WorkerPool} when large enough.
 * Elementwise kernels and activations are in {@link ElementwiseKernels}; they are memory-bound and stay
 * on the caller's thread, except 2-D blocks large enough to be split by rows (the softmax cross-entropy
 * with its gradient among them) and long {@code activation} and {@code axpy} calls, split into ranges.
 *
 * <p>Elementwise kernels other than tanh/sigmoid/exp perform the reference backend's float operations
 * in the same order, so they agree with it bit for bit.
 *
 * <p>One thread at a time, and checked: the kernels that use the backend's shared state (the worker pool,
 * the reused GEMM and block jobs, the workspaces) are GEMM, {@code sumOfSquares},
 * {@code softmaxCrossEntropy} without a gradient or when split, and the block kernels, {@code biasActivation},
 * {@code activation} and {@code axpy} when large enough to be split over the workers. Each of them takes
 * the backend on entry with one compare-and-set (no allocation, no waiting) and gives it back on exit. A
 * second thread entering one of them meanwhile gets an {@link IllegalStateException} naming the thread
 * inside, before anything is touched, so concurrent use fails fast instead of hanging in the pool or
 * silently mixing two calls' operands. The other kernels read and write only their arguments and are not checked. Different threads
 * may use the backend one after the other.
 */
final class VectorBackend implements Backend {

    private static final VectorSpecies<Float> S = GemmKernels.S;
    private static final int L = S.length();
    /** Below this m·n·k a handoff to the workers costs more than it saves. */
    private static final long SERIAL_WORK = 1L << 16;
    /** GEMM chunks per thread: claimed dynamically, so a thread the OS delays leaves its share to the others. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** Below this many elements bias + activation stays on the caller's thread (a handoff costs ~µs). */
    private static final int SERIAL_ACTIVATIONS = 8192;
    /** The same for memory-bound block kernels (add, mul, affine, backward, identity and ReLU). */
    private static final int SERIAL_ELEMENTWISE = 1 << 15;
    /** sumOfSquares adds at most this many squares per float lane before moving the sum to double. */
    private static final int SQUARES_BLOCK = 1024;

    private static final VarHandle USER;

    static {
        try {
            USER = MethodHandles.lookup().findVarHandle(VectorBackend.class, "user", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int threads;
    /** The thread inside a kernel that uses shared state, null when none; see {@link #enter}. */
    @SuppressWarnings("unused")
    private volatile Thread user;
    private final WorkerPool pool;
    private final GemmJob job;
    private final BlockJob blockJob = new BlockJob();
    private final PackJob packJob = new PackJob();
    private final CrossEntropyJob crossEntropyJob = new CrossEntropyJob();
    /** The products {@link #gemmBackground} queued: worker 1 computes them, or the caller at the await. */
    private final Background background;
    /** Workspaces grown on demand and reused: softmax exponentials and row losses, lane sums. */
    private float[] expRow = new float[0];
    private double[] rowLoss = new double[0];
    private final float[] lanes = new float[L];

    VectorBackend(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new WorkerPool(threads, "rnn-vector") : null;
        this.job = new GemmJob(threads);
        this.background = new Background();
        if (pool != null) {
            pool.background(background);
        }
    }

    /** Bits of the float species the kernels use; the first thing that touches the Vector API. */
    static int preferredBits() {
        return S.vectorBitSize();
    }

    /** Why {@link GemmKernels#WIDTH_PROPERTY} cannot be honoured, if it is set to something that is no width. */
    static java.util.Optional<String> widthProblem() {
        String bits = System.getProperty(GemmKernels.WIDTH_PROPERTY);
        if (bits == null || GemmKernels.species(bits, null) != null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("-D" + GemmKernels.WIDTH_PROPERTY + "=" + bits + " is no vector width: give 128, 256"
                + " or 512, or leave it unset for the CPU's widest");
    }

    static String describe() {
        String tiles = (MR == 4 ? "6x" + NR + " and " : "") + MR + "x" + NR; // 6 rows over panels, see panelRows
        String chosen = GemmKernels.inSoftware()
                ? " (" + GemmKernels.WIDTH_PROPERTY + ", in software: the CPU has not that width)"
                : S != FloatVector.SPECIES_PREFERRED ? " (" + GemmKernels.WIDTH_PROPERTY + ")" : "";
        return "FloatVector " + S.vectorBitSize() + "-bit (" + L + " lanes)" + chosen + ", GEMM tile " + tiles + " for "
                + GemmKernels.REGISTERS + " registers, k-block " + GemmKernels.KC + " (" + GemmKernels.KC_PACKED
                + " over packed operands)";
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
        if (pool != null) { // (on one thread, products queued and never awaited are dropped)
            background.drain();
            pool.close();
        }
    }

    // ---------------------------------------------------------------- one thread at a time

    /**
     * Takes the backend for the calling thread, or throws if another thread holds it. Every call is
     * followed by {@link #exit} in a {@code finally}; guarded kernels do not call each other.
     */
    private void enter() {
        if (!USER.compareAndSet(this, (Thread) null, Thread.currentThread())) {
            throw busy();
        }
    }

    private void exit() {
        USER.setRelease(this, (Thread) null);
    }

    private IllegalStateException busy() {
        Thread other = (Thread) USER.getVolatile(this);
        String where = other == Thread.currentThread() ? "this same thread"
                : other == null ? "another thread" : "thread '" + other.getName() + "'";
        return new IllegalStateException("backend '" + name() + "' is already running a kernel on " + where
                + "; a Backend is used by one thread at a time: give each thread its own backend"
                + " (Backends.create) or serialise the calls");
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
        enter(); // the GEMM job, the workspaces and the pool are shared
        try {
            gemmOwned(job, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            run(job);
        } finally {
            job.clear();
            exit();
        }
    }

    /** Prepares {@code g} for the product, in its own workspaces; {@link #run} or {@link #runSerial} computes it. */
    private void gemmOwned(GemmJob g, boolean transA, boolean transB, int m, int n, int k,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        boolean acc = prepareC(m, n, beta, c, cOff, ldc);
        g.clear();
        if (!transB && transA && n >= MR && (long) n * k + 2L * m * n < (long) m * k) {
            // As below, but Bᵀ is the smaller copy: Cᵀ = Bᵀ·A, with A stored k×m as the plain right operand
            // (the output layer's weight gradient, n = the vocabulary, copies 20 times less). With 32 registers
            // too, though Aᵀ could be read in place: n columns narrower than a strip would go through the
            // narrow kernels, n rows go through the full ones (512×1120×28: 1.34×, the RNN h=512 step 1.04×).
            g.copy = grow(g.copy, n * k);
            GemmKernels.transposeInto(0, n, b, bOff, ldb, g.copy, 0, k, 0, k);
            g.cT = grow(g.cT, n * m);
            g.world(n, m, k, g.copy, 0, k, 1, a, aOff, lda, acc, g.cT, 0, m);
            g.transposeOut(c, cOff, ldc);
        } else if (!transB && transA && (MR == 4 || GemmKernels.outgrowsL2((long) m * n))) {
            // With 16 registers only the A-rows-contiguous kernel runs free of bounds checks. With 32, Aᵀ read
            // in place costs a cache line per p per tile, which holds while A stays in L2 from strip to strip;
            // a C larger than L2 streams it out (an LSTM's weight gradient, 512×128×2048 at 512 bits: 1.41×,
            // while 32×512×512, whose A stays in L2, loses 9 % to the copy). m·k floats copied once are little
            // next to the product (the weight gradients: k = batch × steps).
            g.copy = grow(g.copy, m * k);
            GemmKernels.transposeInto(0, m, a, aOff, lda, g.copy, 0, k, 0, k);
            g.world(m, n, k, g.copy, 0, k, 1, b, bOff, ldb, acc, c, cOff, ldc);
        } else if (!transB) {
            g.world(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, ldb, acc, c, cOff, ldc);
        } else if (m >= L && (transA || (long) m * k + 2L * m * n <= (long) n * k)) {
            int ldt = m;
            g.cT = grow(g.cT, n * ldt);
            if (transA) {
                // Cᵀ = B·A with B stored n×k and A stored k×m: a plain NN product, nothing to pack.
                g.world(n, m, k, b, bOff, ldb, 1, a, aOff, lda, acc, g.cT, 0, ldt);
            } else {
                g.copy = grow(g.copy, k * m);
                GemmKernels.transposeInto(0, k, a, aOff, lda, g.copy, 0, m, 0, m);
                g.world(n, m, k, b, bOff, ldb, 1, g.copy, 0, m, acc, g.cT, 0, ldt);
            }
            g.transposeOut(c, cOff, ldc);
        } else {
            g.copy = grow(g.copy, k * n);
            g.world(m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, g.copy, 0, n, acc, c, cOff, ldc);
            g.packB(b, bOff, ldb);
        }
    }

    @Override
    public int packedSize(int k, int n) {
        return GemmKernels.packedSize(k, n);
    }

    /** Split by strips over the workers when large: with two threads a serial pack would be twice the share. */
    @Override
    public void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        if (pool == null || (long) k * n < SERIAL_WORK) {
            GemmKernels.pack(transB, k, n, b, bOff, ldb, packed, 0, n);
            return;
        }
        enter();
        try {
            packJob.set(transB, k, n, b, bOff, ldb, packed);
            pool.run(packJob, packJob.split(2 * threads));
        } finally {
            packJob.clear();
            exit();
        }
    }

    /** One pack call's parameters, reused so that dispatch allocates nothing; chunks are runs of whole strips. */
    private static final class PackJob implements WorkerPool.Job {
        boolean trans;
        int k, n, bOff, ldb, stripsPerChunk;
        float[] b, packed;

        void set(boolean trans, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
            this.trans = trans;
            this.k = k;
            this.n = n;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.packed = packed;
        }

        int split(int target) {
            int strips = ceilDiv(n, NR);
            stripsPerChunk = ceilDiv(strips, target);
            return ceilDiv(strips, stripsPerChunk);
        }

        void clear() {
            b = packed = null;
        }

        @Override
        public void runChunk(int chunk, int worker) {
            long from = (long) chunk * stripsPerChunk * NR;
            GemmKernels.pack(trans, k, n, b, bOff, ldb, packed, (int) from, (int) Math.min(n, from + (long) stripsPerChunk * NR));
        }
    }

    /** The NN product over B as {@link #pack} laid it out: {@link #gemm} without its per-call panel copies. */
    @Override
    public void gemmPacked(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                           float beta, float[] c, int cOff, int ldc) {
        runPacked(m, n, k, a, aOff, lda, packed, beta, c, cOff, ldc,
                GemmJob.NO_FINISH, null, null, 0, 0, null, 0, 0, null, 0, 0);
    }

    /**
     * Each chunk's rectangle of C is finished right after it is computed, by the thread that computed it, row
     * by row across the rectangle. Finished strip by strip instead, tanh and sigmoid (staged passes per row)
     * worked on NR columns per call: by rectangle, GRU h=512 is 1.036× (1.033–1.045) faster and RNN h=512
     * 1.011× (Zen 5, one thread, in turns).
     */
    @Override
    public void gemmPackedBiasActivation(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                                         float beta, float[] c, int cOff, int ldc,
                                         Activation f, float[] bias, int biasOff) {
        runPacked(m, n, k, a, aOff, lda, packed, beta, c, cOff, ldc,
                GemmJob.BIAS_ACTIVATION, f, bias, biasOff, 0, null, 0, 0, null, 0, 0);
    }

    /** As {@link #gemmPackedBiasActivation}: each chunk's rectangle finished as soon as it is computed. */
    @Override
    public void gemmPackedActivationBackward(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                                             float[] c, int cOff, int ldc, Activation f,
                                             float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                             float[] dz, int dzOff, int lddz) {
        runPacked(m, n, k, a, aOff, lda, packed, 0f, c, cOff, ldc,
                GemmJob.ACTIVATION_BACKWARD, f, y, yOff, ldy, dy, dyOff, lddy, dz, dzOff, lddz);
    }

    /** The packed product with the finish {@code op} (see {@link GemmJob#finish}), on the shared job. */
    private void runPacked(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                           float beta, float[] c, int cOff, int ldc, int op, Activation f,
                           float[] x, int xOff, int ldx, float[] dy, int dyOff, int lddy, float[] dz, int dzOff, int lddz) {
        if (m <= 0 || n <= 0) {
            return;
        }
        enter();
        try {
            boolean acc = prepareC(m, n, beta, c, cOff, ldc);
            GemmJob g = job;
            g.clear();
            g.world(m, n, k, a, aOff, lda, 1, packed, 0, -1, acc, c, cOff, ldc);
            g.packed = true;
            g.finish(op, f, x, xOff, ldx, dy, dyOff, lddy, dz, dzOff, lddz);
            run(g);
        } finally {
            job.clear();
            exit();
        }
    }

    // ---------------------------------------------------------------- products beside the caller

    /**
     * Queued for worker 1, which computes it on its own between (or instead of) its shares of the caller's
     * jobs: a job the worker is not there for is done by the caller alone (the pool lets a thread take the
     * others' chunks), so the weight gradient of backward through time runs beside its step-by-step products
     * instead of after them. On one thread the caller computes the queue at {@link #awaitBackground}: run
     * between the steps, an LSTM's four-step products pushed the steps' operands out of the caches (h=512:
     * 0.92× the step of one product at the end; deferred, 1.01×). Either way the products accumulate into C
     * in the order submitted, each as one serial GEMM, so the bits do not depend on the thread count.
     */
    @Override
    public void gemmBackground(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        enter(); // the queue has one producer
        try {
            background.submit(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } finally {
            exit();
        }
        if (pool != null) {
            pool.wakeBackground();
        }
    }

    @Override
    public void awaitBackground() {
        background.await();
    }

    /**
     * The products {@link #gemmBackground} queued: a ring of reused slots (no allocation per product) that
     * the caller fills and worker 1 (on one thread, the caller itself) empties, in order. {@code submitted}
     * and {@code completed} have one writer each; their volatile writes publish a slot's operands to the
     * worker and its C to the caller.
     */
    private final class Background implements WorkerPool.Background {
        private final Product[] ring = new Product[16];
        private final GemmJob gemm = new GemmJob(1);
        private volatile long submitted, completed;
        private volatile Throwable failure;
        private volatile Thread waiter;

        Background() {
            for (int i = 0; i < ring.length; i++) {
                ring[i] = new Product();
            }
        }

        void submit(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
            long s = submitted;
            if (pool == null && s - completed == ring.length) {
                runNext();
            }
            waitFor(s - ring.length + 1); // the slot's previous product is done
            Product p = ring[(int) (s % ring.length)];
            p.transA = transA;
            p.transB = transB;
            p.m = m;
            p.n = n;
            p.k = k;
            p.a = a;
            p.aOff = aOff;
            p.lda = lda;
            p.b = b;
            p.bOff = bOff;
            p.ldb = ldb;
            p.c = c;
            p.cOff = cOff;
            p.ldc = ldc;
            submitted = s + 1;
        }

        void await() {
            if (pool == null) {
                while (runNext()) {
                    // the caller computes what it queued
                }
            }
            waitFor(submitted);
            Throwable t = failure;
            failure = null;
            WorkerPool.rethrow(t);
        }

        /** Waits, with the caller's thread, for the worker when the backend is closed without an await. */
        void drain() {
            waitFor(submitted);
        }

        private void waitFor(long count) {
            if (completed >= count) {
                return;
            }
            waiter = Thread.currentThread();
            long deadline = System.nanoTime() + 50_000;
            while (completed < count) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, 100_000);
                }
            }
            waiter = null;
        }

        @Override
        public boolean runNext() {
            long done = completed;
            if (done == submitted) {
                return false;
            }
            Product p = ring[(int) (done % ring.length)];
            try {
                if (failure == null) {
                    gemmOwned(gemm, p.transA, p.transB, p.m, p.n, p.k, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb,
                            1f, p.c, p.cOff, p.ldc);
                    runSerial(gemm);
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                gemm.clear();
                p.a = p.b = p.c = null;
                completed = done + 1;
            }
            Thread w = waiter;
            if (w != null) {
                java.util.concurrent.locks.LockSupport.unpark(w);
            }
            return true;
        }
    }

    /** One queued product's operands. */
    private static final class Product {
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        float[] a, b, c;
    }

    /** Whether the kernels accumulate into C; a beta other than 0 or 1 is applied to C first. */
    private boolean prepareC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta != 0f && beta != 1f) {
            for (int i = 0; i < m; i++) {
                scale(n, beta, c, cOff + i * ldc);
            }
        }
        return beta != 0f;
    }

    /** Runs a prepared GEMM job on this thread or, when it is worth a handoff, over the workers. */
    private void run(GemmJob g) {
        long work = (long) g.m * g.n * g.k;
        if (pool == null || work < SERIAL_WORK) {
            runSerial(g);
        } else {
            boolean byColumns = ceilDiv(g.n, NR) >= ceilDiv(g.m, MR);
            if (g.packSource != null && !byColumns) {
                GemmKernels.transposeInto(0, g.k, g.packSource, g.packOff, g.packLd, g.b, 0, g.ldb, 0, g.n);
                g.packSource = null;
            }
            pool.run(g, g.split(byColumns, CHUNKS_PER_THREAD * threads));
        }
    }

    /** Computes a prepared GEMM job on this thread, as one chunk. */
    private static void runSerial(GemmJob g) {
        g.split(true, 1);
        g.runChunk(0, 0);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static float[] grow(float[] ws, int size) {
        return ws.length >= size ? ws : new float[size];
    }

    private static double[] grow(double[] ws, int size) {
        return ws.length >= size ? ws : new double[size];
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
        /** The tile grid of {@link #split} and where each chunk's run of tiles starts. */
        int strips, blocks, blockRows;
        final int[] bounds;
        /** Non-null: B is packed from this n×k source (Bᵀ) by each part for its columns. */
        float[] packSource;
        int packOff, packLd;
        /** B is in {@link GemmKernels#pack}'s layout. */
        boolean packed;
        /** Non-null: the computed matrix is Cᵀ in a workspace; this is the real C. */
        float[] realC;
        int realOff, realLd;
        /** One B panel buffer per thread. */
        final float[][] panels;
        /** Workspaces grown on demand and reused: Aᵀ or Bᵀ copied, Cᵀ. */
        float[] copy = new float[0], cT = new float[0];
        /**
         * What is done to each rectangle of C once computed, packed products only: nothing, or a fused step's
         * finish ({@link Backend#gemmPackedBiasActivation}: x is the bias; {@link
         * Backend#gemmPackedActivationBackward}: x is y, then dy and dz).
         */
        static final int NO_FINISH = 0, BIAS_ACTIVATION = 1, ACTIVATION_BACKWARD = 2;
        int finish;
        Activation f;
        float[] x, dy, dz;
        int xOff, ldx, dyOff, lddy, dzOff, lddz;

        GemmJob(int threads) {
            panels = new float[threads][GemmKernels.PANEL];
            bounds = new int[CHUNKS_PER_THREAD * threads + 1];
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

        void finish(int op, Activation f, float[] x, int xOff, int ldx, float[] dy, int dyOff, int lddy,
                    float[] dz, int dzOff, int lddz) {
            this.finish = op;
            this.f = f;
            this.x = x;
            this.xOff = xOff;
            this.ldx = ldx;
            this.dy = dy;
            this.dyOff = dyOff;
            this.lddy = lddy;
            this.dz = dz;
            this.dzOff = dzOff;
            this.lddz = lddz;
        }

        void clear() {
            a = b = c = packSource = realC = x = dy = dz = null;
            f = null;
            packed = false;
            finish = NO_FINISH;
        }

        /**
         * Cuts C into tiles of one NR strip × one MR row block (a whole strip when B is packed per chunk,
         * as each strip must be packed by one chunk), orders them strip-major ({@code columns}) or
         * row-block-major, and cuts that order into about {@code target} runs of equal work; returns how
         * many. Equal work, not equal tile counts: 512 columns are 10⅔ strips, and whole strips per chunk
         * left one of two threads 12 % more work than the other at every recurrent step.
         */
        int split(boolean columns, int target) {
            byColumns = columns;
            strips = ceilDiv(n, NR);
            blockRows = packSource != null ? m : MR;
            blocks = ceilDiv(m, blockRows);
            int tiles = strips * blocks;
            int chunks = Math.min(target, tiles);
            bounds[0] = 0;
            if (chunks > 1) {
                int per = columns ? blocks : strips;
                long total = (long) m * n;
                // Chunk c starts at the fraction at(c) / den of the work: equal chunks, or, when each thread
                // has its CHUNKS_PER_THREAD home chunks, halving ones (1/2, 1/4, 1/8, 1/8 of its share), so that
                // the chunk a thread is still in when the other runs out is a small one.
                int threads = panels.length;
                boolean halving = chunks == CHUNKS_PER_THREAD * threads;
                long den = halving ? (long) threads << (CHUNKS_PER_THREAD - 1) : chunks;
                long before = 0;
                int c = 1;
                for (int t = 0; t < tiles && c < chunks; t++) {
                    int line = t / per, at = t % per;
                    long w = columns ? (long) width(line) * height(at) : (long) height(line) * width(at);
                    // A chunk ends before the tile whose middle passes its share of the work.
                    while (c < chunks && (2 * before + w) * den >= 2L * start(c, halving) * total) {
                        bounds[c++] = t;
                    }
                    before += w;
                }
                while (c < chunks) {
                    bounds[c++] = tiles;
                }
            }
            bounds[chunks] = tiles;
            return chunks;
        }

        /** Where chunk c starts, in units of the work divided by den (see split). */
        private static long start(int c, boolean halving) {
            if (!halving) {
                return c;
            }
            int unit = 1 << (CHUNKS_PER_THREAD - 1);
            return (long) (c / CHUNKS_PER_THREAD) * unit + unit - (unit >> (c % CHUNKS_PER_THREAD));
        }

        private int width(int strip) {
            return Math.min(NR, n - strip * NR);
        }

        private int height(int block) {
            return Math.min(blockRows, m - block * blockRows);
        }

        /**
         * Chunk number {@code chunk}, on worker {@code w}'s panel buffer: its run of tiles as at most three
         * rectangles (the rest of a first line, whole lines, the start of a last line). No tile is shared
         * between chunks.
         */
        @Override
        public void runChunk(int chunk, int w) {
            int per = byColumns ? blocks : strips;
            int t = bounds[chunk], end = bounds[chunk + 1];
            while (t < end) {
                int line = t / per, from = t % per;
                int lines = 1, to;
                if (from == 0 && end - t >= per) {
                    lines = (end - t) / per;
                    to = per;
                } else {
                    to = Math.min(per, from + end - t);
                }
                if (byColumns) {
                    rectangle(from * blockRows, Math.min(m, to * blockRows), line * NR, Math.min(n, (line + lines) * NR), w);
                } else {
                    rectangle(line * blockRows, Math.min(m, (line + lines) * blockRows), from * NR, Math.min(n, to * NR), w);
                }
                t += (lines - 1) * per + to - from;
            }
        }

        /**
         * The finish on rows [i0, i1) × columns [j0, j1) of C: the block kernels row by row, so each element
         * takes the path it takes in the separate call (j0 is a multiple of NR, j1 one too or n, so a row's
         * vector lanes and scalar tail fall where they fall in the whole row).
         */
        private void finishRectangle(int i0, int i1, int j0, int j1) {
            int cols = j1 - j0;
            if (finish == BIAS_ACTIVATION) {
                ElementwiseKernels.biasActivationRows(f, i0, i1, cols, x, xOff + j0, c, cOff + j0, ldc);
            } else {
                ElementwiseKernels.addRows(i0, i1, cols, 1f, dy, dyOff + j0, lddy, 1f, c, cOff + j0, ldc,
                        c, cOff + j0, ldc);
                ElementwiseKernels.activationBackwardRows(f, i0, i1, cols, x, xOff + j0, ldx, c, cOff + j0, ldc,
                        0f, dz, dzOff + j0, lddz);
            }
        }

        private void rectangle(int i0, int i1, int j0, int j1, int w) {
            if (packSource != null) {
                GemmKernels.transposeInto(0, k, packSource, packOff, packLd, b, bOff, ldb, j0, j1);
            }
            if (realC != null && acc) {
                GemmKernels.transposeInto(i0, i1, realC, realOff, realLd, c, cOff, ldc, j0, j1);
            }
            if (packed) {
                GemmKernels.computePacked(k, n, a, aOff, rsA, csA, b, acc, c, cOff, ldc, i0, i1, j0, j1, panels[w]);
                if (finish != NO_FINISH) {
                    finishRectangle(i0, i1, j0, j1);
                }
            } else {
                GemmKernels.compute(k, a, aOff, rsA, csA, b, bOff, ldb, acc, c, cOff, ldc, i0, i1, j0, j1, panels[w]);
            }
            if (realC != null) {
                GemmKernels.transposeInto(j0, j1, c, cOff, ldc, realC, realOff, realLd, i0, i1);
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /*
     * The kernels themselves are in ElementwiseKernels; a block of at least SERIAL_ACTIVATIONS elements is
     * split by rows over the workers. Each row is computed the same way whichever chunk holds it, so the
     * bits do not depend on the thread count.
     */

    @Override
    public void biasActivation(Activation f, int rows, int cols, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc) {
        if (!parallel(rows, cols, SERIAL_ACTIVATIONS)) {
            ElementwiseKernels.biasActivationRows(f, 0, rows, cols, bias, biasOff, c, cOff, ldc);
            return;
        }
        // The recurrent step's tanh is a serial gap between two parallel GEMMs: split it by rows too.
        runBlockJob(BlockJob.BIAS_ACTIVATION, f, rows, cols, 0f, bias, biasOff, 0, 0f, null, 0, 0, c, cOff, ldc);
    }

    @Override
    public void activation(Activation f, int n, float[] x, int off) {
        int serial = f == Activation.TANH || f == Activation.SIGMOID ? SERIAL_ACTIVATIONS : SERIAL_ELEMENTWISE;
        if (pool == null || n < serial) {
            ElementwiseKernels.activate(f, x, off, x, off, n);
            return;
        }
        runBlockJob(BlockJob.ACTIVATE, f, n, 1, 0f, x, off, 0, 0f, null, 0, 0, x, off, 0); // LSTM's tanh(c)
    }

    /** The reference formulas, operation for operation: bit-identical to it. */
    @Override
    public void activationBackward(Activation f, int n, float[] y, int yOff, float[] dy, int dyOff,
                                   float[] dz, int dzOff) {
        ElementwiseKernels.activationBackward(f, n, y, yOff, dy, dyOff, 0f, dz, dzOff);
    }

    // ---------------------------------------------------------------- reductions

    /** Rows are added to out in order, as the reference does: bit-identical. */
    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        // Row by row, so x streams in order while out stays in L1; each column still sums i = 0, 1, … in turn.
        for (int i = 0; i < rows; i++) {
            ElementwiseKernels.add(cols, x, xOff + i * ldx, out, outOff);
        }
    }

    /**
     * Exponentials in float vectors (written to dLogits, or a workspace, then reused for the gradient);
     * their sum and the loss in double, in a fixed order. With the gradient, many rows (a sequence's
     * logits) are split over the workers: each row's loss term is kept and the terms are added in row
     * order, as one thread adds them.
     */
    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int off, int[] targets, int targetOff,
                                      float scale, float[] dLogits, int dOff) {
        if (dLogits != null && !parallel(rows, cols, SERIAL_ACTIVATIONS)) {
            return crossEntropy(0, rows, cols, logits, off, targets, targetOff, scale, dLogits, dOff, dLogits, null);
        }
        enter(); // the exponentials or the row terms go to a shared workspace
        try {
            if (dLogits == null) {
                expRow = grow(expRow, cols);
                return crossEntropy(0, rows, cols, logits, off, targets, targetOff, scale, null, 0, expRow, null);
            }
            rowLoss = grow(rowLoss, rows);
            CrossEntropyJob j = crossEntropyJob;
            j.set(rows, cols, logits, off, targets, targetOff, scale, dLogits, dOff, rowLoss);
            j.perChunk = ceilDiv(rows, 2 * threads);
            try {
                pool.run(j, ceilDiv(rows, j.perChunk));
            } finally {
                j.clear();
            }
            double loss = 0;
            for (int i = 0; i < rows; i++) {
                loss += rowLoss[i];
            }
            return loss;
        } finally {
            exit();
        }
    }

    /** Rows of one softmaxCrossEntropy call with the gradient, reused so that dispatch allocates nothing. */
    private static final class CrossEntropyJob implements WorkerPool.Job {
        int rows, cols, off, targetOff, dOff, perChunk;
        float scale;
        float[] logits, dLogits;
        int[] targets;
        double[] terms;

        void set(int rows, int cols, float[] logits, int off, int[] targets, int targetOff, float scale,
                 float[] dLogits, int dOff, double[] terms) {
            this.rows = rows;
            this.cols = cols;
            this.logits = logits;
            this.off = off;
            this.targets = targets;
            this.targetOff = targetOff;
            this.scale = scale;
            this.dLogits = dLogits;
            this.dOff = dOff;
            this.terms = terms;
        }

        void clear() {
            logits = dLogits = null;
            targets = null;
            terms = null;
        }

        @Override
        public void runChunk(int chunk, int worker) {
            int i0 = chunk * perChunk, i1 = Math.min(rows, i0 + perChunk);
            crossEntropy(i0, i1, cols, logits, off, targets, targetOff, scale, dLogits, dOff, dLogits, terms);
        }
    }

    /**
     * Rows [i0, i1); the exponentials go to {@code e}: dLogits itself, or the workspace for one row. Returns
     * the rows' loss terms added in order, and stores each in {@code terms} when it is not null.
     */
    private static double crossEntropy(int i0, int i1, int cols, float[] logits, int off, int[] targets,
                                       int targetOff, float scale, float[] dLogits, int dOff, float[] e,
                                       double[] terms) {
        int upper = S.loopBound(cols);
        double loss = 0;
        for (int i = i0; i < i1; i++) {
            int row = off + i * cols;
            int er = dLogits != null ? dOff + i * cols : 0;
            // Scalar: a vector carried around this loop was now and then compiled without its intrinsics
            // (the loads, the max and the broadcast boxed on every row, JFR allocation samples in the
            // 128-bit test run), and the row is short. Max is exact in any order.
            float m0 = Float.NEGATIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
            int j = 0;
            for (; j + 4 <= cols; j += 4) {
                m0 = Math.max(m0, logits[row + j]);
                m1 = Math.max(m1, logits[row + j + 1]);
                m2 = Math.max(m2, logits[row + j + 2]);
                m3 = Math.max(m3, logits[row + j + 3]);
            }
            for (; j < cols; j++) {
                m0 = Math.max(m0, logits[row + j]);
            }
            float max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
            FloatVector mx = FloatVector.broadcast(S, max);
            for (j = 0; j < upper; j += L) {
                FloatVector.fromArray(S, logits, row + j).sub(mx).intoArray(e, er + j);
            }
            for (; j < cols; j++) {
                e[er + j] = logits[row + j] - max;
            }
            ElementwiseKernels.exp(1f, e, er, e, er, cols);
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
            double term = Math.log(sum) - (logits[row + target] - max);
            loss += term;
            if (terms != null) {
                terms[i] = term;
            }
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
        enter(); // the lane sums go through a shared array
        try {
            return sumOfSquaresOwned(n, x, off);
        } finally {
            exit();
        }
    }

    private double sumOfSquaresOwned(int n, float[] x, int off) {
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
        if (pool == null || n < SERIAL_ELEMENTWISE) {
            ElementwiseKernels.axpy(n, alpha, x, xOff, y, yOff);
            return;
        }
        runBlockJob(BlockJob.AXPY, null, n, 1, alpha, x, xOff, 0, 0f, null, 0, 0, y, yOff, 0); // optimizer updates
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        ElementwiseKernels.scale(n, alpha, x, off, x, off);
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        ElementwiseKernels.mul(n, a, aOff, b, bOff, out, outOff);
    }

    @Override
    public void addMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        ElementwiseKernels.addMul(n, a, aOff, b, bOff, out, outOff);
    }

    @Override
    public void addScaled(int n, float[] a, int aOff, float alpha, float[] b, int bOff, float[] out, int outOff) {
        ElementwiseKernels.addScaled(n, a, aOff, alpha, b, bOff, out, outOff);
    }

    // ---------------------------------------------------------------- elementwise over strided blocks

    /*
     * Bit-identical to the reference except activationBlock, which gives each row the bits of the 1-D
     * activation of that row. Large blocks are split by rows over the workers (memory-bound kernels only
     * from SERIAL_ELEMENTWISE elements, as a handoff costs about what a few thousand of them do).
     */

    @Override
    public void addBlock(int rows, int cols, float alpha, float[] a, int aOff, int lda,
                         float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
        if (!parallel(rows, cols, SERIAL_ELEMENTWISE)) {
            ElementwiseKernels.addRows(0, rows, cols, alpha, a, aOff, lda, beta, b, bOff, ldb, out, outOff, ldo);
            return;
        }
        runBlockJob(BlockJob.ADD, null, rows, cols, alpha, a, aOff, lda, beta, b, bOff, ldb, out, outOff, ldo);
    }

    @Override
    public void mulBlock(int rows, int cols, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] out, int outOff, int ldo) {
        if (!parallel(rows, cols, SERIAL_ELEMENTWISE)) {
            ElementwiseKernels.mulRows(0, rows, cols, a, aOff, lda, b, bOff, ldb, beta, out, outOff, ldo);
            return;
        }
        runBlockJob(BlockJob.MUL, null, rows, cols, 0f, a, aOff, lda, beta, b, bOff, ldb, out, outOff, ldo);
    }

    @Override
    public void affineBlock(int rows, int cols, float alpha, float[] x, int xOff, int ldx, float beta,
                            float[] out, int outOff, int ldo) {
        if (!parallel(rows, cols, SERIAL_ELEMENTWISE)) {
            ElementwiseKernels.affineRows(0, rows, cols, alpha, x, xOff, ldx, beta, out, outOff, ldo);
            return;
        }
        runBlockJob(BlockJob.AFFINE, null, rows, cols, alpha, x, xOff, ldx, beta, null, 0, 0, out, outOff, ldo);
    }

    @Override
    public void activationBlock(Activation f, int rows, int cols, float[] x, int xOff, int ldx,
                                float[] out, int outOff, int ldo) {
        int serial = f == Activation.TANH || f == Activation.SIGMOID ? SERIAL_ACTIVATIONS : SERIAL_ELEMENTWISE;
        if (!parallel(rows, cols, serial)) {
            ElementwiseKernels.activationRows(f, 0, rows, cols, x, xOff, ldx, out, outOff, ldo);
            return;
        }
        runBlockJob(BlockJob.ACTIVATION, f, rows, cols, 0f, x, xOff, ldx, 0f, null, 0, 0, out, outOff, ldo);
    }

    @Override
    public void activationBackwardBlock(Activation f, int rows, int cols, float[] y, int yOff, int ldy,
                                        float[] dy, int dyOff, int lddy, float beta,
                                        float[] dz, int dzOff, int lddz) {
        if (!parallel(rows, cols, SERIAL_ELEMENTWISE)) {
            ElementwiseKernels.activationBackwardRows(f, 0, rows, cols, y, yOff, ldy, dy, dyOff, lddy, beta, dz, dzOff, lddz);
            return;
        }
        runBlockJob(BlockJob.ACTIVATION_BACKWARD, f, rows, cols, 0f, y, yOff, ldy, beta, dy, dyOff, lddy, dz, dzOff, lddz);
    }

    /** Whether a rows × cols block is worth splitting over the workers. */
    private boolean parallel(int rows, int cols, int serialElements) {
        return pool != null && rows >= 2 && (long) rows * cols >= serialElements;
    }

    /**
     * Runs a block kernel over the workers in about two chunks of rows per thread, then forgets its arrays.
     * AXPY and ACTIVATE (rows = n elements) are cut into ranges that start at multiples of L: every element
     * then takes the same path (vector lane or scalar tail) as in one call, so the bits do not depend on
     * the thread count.
     */
    private void runBlockJob(int op, Activation f, int rows, int cols, float alpha, float[] a, int aOff, int lda,
                             float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
        enter(); // the block job and the pool are shared
        BlockJob j = blockJob;
        try {
            j.set(op, f, rows, cols, alpha, a, aOff, lda, beta, b, bOff, ldb, out, outOff, ldo);
            int unit = op == BlockJob.AXPY || op == BlockJob.ACTIVATE ? L : 1;
            j.perChunk = ceilDiv(ceilDiv(rows, 2 * threads), unit) * unit;
            pool.run(j, ceilDiv(rows, j.perChunk));
        } finally {
            j.clear();
            exit();
        }
    }

    /**
     * One elementwise block kernel over chunks of rows (of elements for AXPY and ACTIVATE), reused so that
     * dispatch allocates nothing. Operands are named for the block kernels: {@code a} is also x, y or the
     * bias (leading dimension 0), {@code b} is also dy, {@code out} is also c or dz.
     */
    private static final class BlockJob implements WorkerPool.Job {
        static final int BIAS_ACTIVATION = 0, ADD = 1, MUL = 2, AFFINE = 3, ACTIVATION = 4, ACTIVATION_BACKWARD = 5;
        /** Over {@code rows} contiguous elements: out ← out + alpha·a, and out ← f(a). */
        static final int AXPY = 6, ACTIVATE = 7;

        int op;
        Activation f;
        int rows, cols, perChunk;
        float alpha, beta;
        float[] a, b, out;
        int aOff, lda, bOff, ldb, outOff, ldo;

        void set(int op, Activation f, int rows, int cols, float alpha, float[] a, int aOff, int lda,
                 float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
            this.op = op;
            this.f = f;
            this.rows = rows;
            this.cols = cols;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.beta = beta;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.out = out;
            this.outOff = outOff;
            this.ldo = ldo;
        }

        void clear() {
            f = null;
            a = b = out = null;
        }

        @Override
        public void runChunk(int chunk, int worker) {
            int i0 = chunk * perChunk, i1 = Math.min(rows, i0 + perChunk);
            switch (op) {
                case BIAS_ACTIVATION -> ElementwiseKernels.biasActivationRows(f, i0, i1, cols, a, aOff, out, outOff, ldo);
                case ADD -> ElementwiseKernels.addRows(i0, i1, cols, alpha, a, aOff, lda, beta, b, bOff, ldb, out, outOff, ldo);
                case MUL -> ElementwiseKernels.mulRows(i0, i1, cols, a, aOff, lda, b, bOff, ldb, beta, out, outOff, ldo);
                case AFFINE -> ElementwiseKernels.affineRows(i0, i1, cols, alpha, a, aOff, lda, beta, out, outOff, ldo);
                case ACTIVATION -> ElementwiseKernels.activationRows(f, i0, i1, cols, a, aOff, lda, out, outOff, ldo);
                case ACTIVATION_BACKWARD -> ElementwiseKernels.activationBackwardRows(f, i0, i1, cols, a, aOff, lda,
                        b, bOff, ldb, beta, out, outOff, ldo);
                case AXPY -> ElementwiseKernels.axpy(i1 - i0, alpha, a, aOff + i0, out, outOff + i0);
                case ACTIVATE -> ElementwiseKernels.activate(f, a, aOff + i0, out, outOff + i0, i1 - i0);
                default -> throw new IllegalStateException("block op " + op);
            }
        }
    }
}
