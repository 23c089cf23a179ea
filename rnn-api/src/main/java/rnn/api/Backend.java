package rnn.api;

/**
 * The compute kernels a backend supplies. Everything else (cells, loss, optimizers) is written once,
 * in {@code rnn.api.nn} and {@code rnn.api.optim}, on top of these.
 *
 * <p>Matrices are row-major {@code float[]} with an offset and a leading dimension (the row stride),
 * so a time step of a {@code [T, B, H]} sequence or a gate slice of a fused {@code [B, 4H]} block is a
 * view, never a copy. Kernels must not allocate on the hot path. A backend object is used by one
 * thread at a time; it may split a kernel over its own worker threads, and for a given thread count
 * its results are deterministic.
 *
 * <p>One thread at a time means one after the other, not one forever: a backend may be handed from
 * thread to thread. Calling kernels of one backend from two threads at once is a programming error. A
 * backend may detect it, with a check that neither allocates nor waits; the call that finds another
 * thread inside then throws an {@link IllegalStateException} before touching anything, instead of
 * hanging or mixing the two calls' operands. The {@code vector} backend checks every kernel that uses
 * its shared workspaces or worker threads. Give each thread its own backend ({@link Backends#create})
 * or serialise the calls.
 */
public interface Backend extends AutoCloseable {

    /** The provider name this backend was created by, e.g. {@code naive}. */
    String name();

    /** Worker threads this backend splits kernels over (1 = the caller's thread only). */
    int threads();

    /**
     * {@code C = beta*C + op(A) * op(B)}, with {@code op(X)} = {@code X} or {@code Xᵀ}.
     * {@code op(A)} is {@code m×k}, {@code op(B)} is {@code k×n}, {@code C} is {@code m×n}.
     * A transposed operand is read in place: {@code A} stored {@code k×m} when {@code transA}.
     * {@code beta} is 0 (overwrite, {@code C} may hold garbage) or 1 (accumulate).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    // Weight-stationary products: a right operand that many products use in a row (W_h at every time
    // step, W_hᵀ at every step of backward) is copied into the backend's kernel layout once, instead of
    // inside every gemm call. The defaults keep it row-major, which is all a plain loop needs.

    /** Floats {@link #pack} writes for a {@code k×n} right operand. */
    default int packedSize(int k, int n) {
        return Math.multiplyExact(k, n);
    }

    /**
     * Copies {@code op(B)} ({@code k×n}; B stored {@code n×k} when {@code transB}) into {@code packed}
     * from index 0, {@link #packedSize} floats, in the layout {@link #gemmPacked} reads.
     */
    default void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] packed) {
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                packed[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
    }

    /**
     * {@code C = beta*C + A * op(B)} with {@code op(B)} {@code k×n} as {@link #pack} left it: the same bits
     * as {@code gemm(false, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)} on the B
     * that was packed.
     */
    default void gemmPacked(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(false, false, m, n, k, a, aOff, lda, packed, 0, n, beta, c, cOff, ldc);
    }

    // A recurrent step is a product and an elementwise finish over its result. Fused, a backend may apply
    // the finish to each tile of C while the tile is in cache, and on its workers within the product's
    // handoff rather than in one of its own or on the caller alone. The defaults make the two calls; a
    // backend that fuses must give their bits.

    /**
     * {@code C = f(beta*C + A * op(B) + bias)}, bias broadcast over rows: {@link #gemmPacked}, then
     * {@link #biasActivation} on C. The recurrent step of forward.
     */
    default void gemmPackedBiasActivation(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                                          float beta, float[] c, int cOff, int ldc,
                                          Activation f, float[] bias, int biasOff) {
        gemmPacked(m, n, k, a, aOff, lda, packed, beta, c, cOff, ldc);
        biasActivation(f, m, n, bias, biasOff, c, cOff, ldc);
    }

    /**
     * {@code C = dy + A * op(B)}, then {@code dz = C * f'(z)} where {@code y = f(z)} is given: the step of
     * backward through time, {@code dH = dOut + dH_next·W_hᵀ} (left in C), {@code dZ = dH ⊙ f'}. That is
     * {@link #gemmPacked} with beta 0, {@link #addBlock}{@code (1, dy, 1, C)} into C, then
     * {@link #activationBackwardBlock} with beta 0 from C into dz. dy and dz may not alias C.
     */
    default void gemmPackedActivationBackward(int m, int n, int k, float[] a, int aOff, int lda, float[] packed,
                                              float[] c, int cOff, int ldc, Activation f,
                                              float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                              float[] dz, int dzOff, int lddz) {
        gemmPacked(m, n, k, a, aOff, lda, packed, 0f, c, cOff, ldc);
        addBlock(m, n, 1f, dy, dyOff, lddy, 1f, c, cOff, ldc, c, cOff, ldc);
        activationBackwardBlock(f, m, n, y, yOff, ldy, c, cOff, ldc, 0f, dz, dzOff, lddz);
    }

    /** {@code C[i,j] = f(C[i,j] + bias[j])} over an {@code rows×cols} block: bias and activation fused. */
    void biasActivation(Activation f, int rows, int cols, float[] bias, int biasOff,
                        float[] c, int cOff, int ldc);

    /** {@code dz[i] = dy[i] * f'(z[i])}, where {@code y = f(z)} is given (every supported f' is a function of y). */
    void activationBackward(Activation f, int n, float[] y, int yOff, float[] dy, int dyOff,
                            float[] dz, int dzOff);

    /** {@code x[i] = f(x[i])} in place. */
    void activation(Activation f, int n, float[] x, int off);

    /** {@code out[j] += sum_i x[i,j]} over an {@code rows×cols} block (bias gradients). */
    void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff);

    /**
     * Softmax cross-entropy over {@code rows} rows of {@code cols} logits (contiguous).
     * Returns {@code sum_i -log softmax(logits_i)[targets_i]}, accumulated in double.
     * If {@code dLogits} is not null it receives {@code scale * (softmax(logits_i) - onehot(targets_i))}:
     * the fused backward of the mean loss when {@code scale = 1/N}.
     */
    double softmaxCrossEntropy(int rows, int cols, float[] logits, int off, int[] targets, int targetOff,
                               float scale, float[] dLogits, int dOff);

    /** {@code sum_i x[i]^2}, accumulated in double. */
    double sumOfSquares(int n, float[] x, int off);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code x[i] *= alpha}. */
    void scale(int n, float alpha, float[] x, int off);

    /** {@code out[i] = a[i] * b[i]} ({@code out} may alias {@code a} or {@code b}). */
    void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** {@code out[i] += a[i] * b[i]}. */
    void addMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** {@code out[i] = a[i] + alpha * b[i]} ({@code out} may alias {@code a} or {@code b}). */
    void addScaled(int n, float[] a, int aOff, float alpha, float[] b, int bOff, float[] out, int outOff);

    // Elementwise kernels over strided 2-D blocks: rows × cols, each operand with its own offset and
    // leading dimension, so one gate of a fused [B, G·H] block is one call. Outputs may alias inputs only
    // when they are the same view (same offset and leading dimension). Except activationBlock, each is
    // the float operations written in its formula, each rounded, in that order (no fused multiply-add),
    // so every backend gives the reference's bits, which the conformance kit checks bit for bit.

    /** {@code out[i,j] = alpha*a[i,j] + beta*b[i,j]}. */
    void addBlock(int rows, int cols, float alpha, float[] a, int aOff, int lda,
                  float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo);

    /** {@code out[i,j] = a[i,j]*b[i,j] + beta*out[i,j]}; {@code beta} is 0 (overwrite) or 1 (accumulate). */
    void mulBlock(int rows, int cols, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float beta, float[] out, int outOff, int ldo);

    /** {@code out[i,j] = alpha*x[i,j] + beta}, e.g. {@code 1 − x} with alpha −1 and beta 1. */
    void affineBlock(int rows, int cols, float alpha, float[] x, int xOff, int ldx, float beta,
                     float[] out, int outOff, int ldo);

    /** {@code out[i,j] = f(x[i,j])}. */
    void activationBlock(Activation f, int rows, int cols, float[] x, int xOff, int ldx,
                         float[] out, int outOff, int ldo);

    /**
     * {@code dz[i,j] = dy[i,j]*f'(z[i,j]) + beta*dz[i,j]}, where {@code y = f(z)} is given;
     * {@code beta} is 0 (overwrite) or 1 (accumulate).
     */
    void activationBackwardBlock(Activation f, int rows, int cols, float[] y, int yOff, int ldy,
                                 float[] dy, int dyOff, int lddy, float beta, float[] dz, int dzOff, int lddz);

    // The same kernels on views: shapes checked, then the array kernels above. For hand-written cells
    // and tests; hot loops that must not allocate call the array forms.

    /** {@code C = beta*C + A·B} on views. */
    default void gemm(Tensor a, Tensor b, float beta, Tensor c) {
        if (a.cols() != b.rows() || c.rows() != a.rows() || c.cols() != b.cols()) {
            throw new IllegalArgumentException("gemm: " + a.rows() + "×" + a.cols() + " · " + b.rows() + "×" + b.cols()
                    + " into " + c.rows() + "×" + c.cols());
        }
        gemm(false, false, a.rows(), b.cols(), a.cols(), a.data(), a.offset(), a.ld(), b.data(), b.offset(), b.ld(),
                beta, c.data(), c.offset(), c.ld());
    }

    /** {@code out = alpha*a + beta*b} on views. */
    default void add(float alpha, Tensor a, float beta, Tensor b, Tensor out) {
        a.requireSameShape(b, "add");
        a.requireSameShape(out, "add");
        addBlock(a.rows(), a.cols(), alpha, a.data(), a.offset(), a.ld(), beta, b.data(), b.offset(), b.ld(),
                out.data(), out.offset(), out.ld());
    }

    /** {@code out = a ⊙ b + beta*out} on views. */
    default void mul(Tensor a, Tensor b, float beta, Tensor out) {
        a.requireSameShape(b, "mul");
        a.requireSameShape(out, "mul");
        mulBlock(a.rows(), a.cols(), a.data(), a.offset(), a.ld(), b.data(), b.offset(), b.ld(), beta,
                out.data(), out.offset(), out.ld());
    }

    // Products off the critical path: backward through time needs each weight gradient only at its end,
    // so a backend with spare threads may compute its pieces beside the sequential step-by-step work.

    /**
     * {@code C += op(A) * op(B)} as {@link #gemm} with {@code beta} 1, which the backend may compute beside
     * the calls that follow, until {@link #awaitBackground}. Until then the caller leaves A, B and C alone:
     * it neither writes A or B nor reads or writes C. Products submitted this way run one after the other in
     * the order submitted, so C accumulates in that order whatever the thread count. The default computes
     * it at once.
     */
    default void gemmBackground(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, 1f, c, cOff, ldc);
    }

    /**
     * Returns when every {@link #gemmBackground} product has been computed; rethrows, once, what one of them
     * threw.
     */
    default void awaitBackground() {
    }

    /** {@code out = f(x)} on views. */
    default void activation(Activation f, Tensor x, Tensor out) {
        x.requireSameShape(out, f.name().toLowerCase(java.util.Locale.ROOT));
        activationBlock(f, x.rows(), x.cols(), x.data(), x.offset(), x.ld(), out.data(), out.offset(), out.ld());
    }

    /** Stops worker threads, if any. */
    @Override
    default void close() {
    }
}
