package rnn.api.internal;

import rnn.api.Activation;
import rnn.api.Backend;

/**
 * A weight block that is the right operand of one product per time step: {@code W_h} in forward,
 * {@code W_hᵀ} in backward. {@link #prepare} packs it into the backend's kernel layout once for the
 * sequence ({@link Backend#pack}), so that the copy a GEMM would otherwise make of its panels at every
 * step is paid once. A single product reads it in place instead: packing would cost as much as the
 * product. The bits are those of the plain product either way.
 */
public final class StationaryOperand {

    private final Backend ops;
    private final Workspace ws;
    private final int slot;

    private boolean trans;
    private int k;
    private int n;
    private float[] b;
    private int bOff;
    private int ldb;
    /** The packed copy, or null when products read {@link #b} in place. */
    private float[] packed;

    /** Packs into {@code ws} buffer {@code slot}. */
    public StationaryOperand(Backend ops, Workspace ws, int slot) {
        this.ops = ops;
        this.ws = ws;
        this.slot = slot;
    }

    /**
     * The operand {@code op(B)} ({@code k×n}; B stored {@code n×k} when {@code transB}) for the next
     * {@code products} calls of {@link #multiply}. B must not change while they run.
     */
    public void prepare(boolean transB, int k, int n, float[] b, int bOff, int ldb, int products) {
        this.trans = transB;
        this.k = k;
        this.n = n;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        if (products > 1) {
            packed = ws.floats(slot, ops.packedSize(k, n));
            ops.pack(transB, k, n, b, bOff, ldb, packed);
        } else {
            packed = null;
        }
    }

    /** {@code C = beta*C + A·op(B)} for {@code m} rows of A. */
    public void multiply(int m, float[] a, int aOff, int lda, float beta, float[] c, int cOff, int ldc) {
        if (packed != null) {
            ops.gemmPacked(m, n, k, a, aOff, lda, packed, beta, c, cOff, ldc);
        } else {
            ops.gemm(false, trans, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** {@code C = f(beta*C + A·op(B) + bias)}: {@link Backend#gemmPackedBiasActivation}. */
    public void multiplyBiasActivation(int m, float[] a, int aOff, int lda, float beta, float[] c, int cOff, int ldc,
                                       Activation f, float[] bias, int biasOff) {
        if (packed != null) {
            ops.gemmPackedBiasActivation(m, n, k, a, aOff, lda, packed, beta, c, cOff, ldc, f, bias, biasOff);
        } else {
            multiply(m, a, aOff, lda, beta, c, cOff, ldc);
            ops.biasActivation(f, m, n, bias, biasOff, c, cOff, ldc);
        }
    }

    /**
     * {@code C = dy + A·op(B)}, {@code dz = C ⊙ f'} with {@code y = f(z)} given:
     * {@link Backend#gemmPackedActivationBackward}.
     */
    public void multiplyActivationBackward(int m, float[] a, int aOff, int lda, float[] c, int cOff, int ldc,
                                           Activation f, float[] y, int yOff, int ldy, float[] dy, int dyOff,
                                           int lddy, float[] dz, int dzOff, int lddz) {
        if (packed != null) {
            ops.gemmPackedActivationBackward(m, n, k, a, aOff, lda, packed, c, cOff, ldc, f, y, yOff, ldy,
                    dy, dyOff, lddy, dz, dzOff, lddz);
        } else {
            multiply(m, a, aOff, lda, 0f, c, cOff, ldc);
            ops.addBlock(m, n, 1f, dy, dyOff, lddy, 1f, c, cOff, ldc, c, cOff, ldc);
            ops.activationBackwardBlock(f, m, n, y, yOff, ldy, c, cOff, ldc, 0f, dz, dzOff, lddz);
        }
    }
}
