package rnn.api.internal;

import rnn.api.Backend;

/**
 * One-hot input without the one-hot matrix. For rows X that are one-hot at {@code tokens}, X·W is a
 * lookup of W's rows and Xᵀ·D (the weight gradient) adds each row of D to its token's row. Both give
 * the bits the dense GEMM gives: its chain over the inner index adds exact zeros except at the one 1.
 */
public final class OneHot {

    private OneHot() {
    }

    /** Rejects a token outside [0, size) among the first {@code rows} from {@code off}. */
    public static void check(int[] tokens, int off, int rows, int size) {
        if (off < 0 || tokens.length - off < rows) {
            throw new IllegalArgumentException("token ids hold " + (tokens.length - off) + " entries from " + off
                    + ", need " + rows);
        }
        checkRange("token id", tokens, off, rows, size);
    }

    /**
     * Rejects a class index outside [0, size) among the {@code rows} from {@code off}, naming it as
     * {@code what} (a token id, a target); the array is known to hold them.
     */
    public static void checkRange(String what, int[] ids, int off, int rows, int size) {
        for (int i = off; i < off + rows; i++) {
            if (ids[i] < 0 || ids[i] >= size) {
                throw new IllegalArgumentException(what + " " + ids[i] + " at " + i + " is outside [0, " + size + ")");
            }
        }
    }

    /** {@code out[r] = table[tokens[off + r]]}, rows of {@code width} floats, for r in [0, rows). */
    public static void lookup(int[] tokens, int off, int rows, float[] table, int width, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(table, tokens[off + r] * width, out, outOff + r * width, width);
        }
    }

    /** {@code grad[tokens[off + r]] += d[r]} in row order (the GEMM's summation order), rows of {@code width}. */
    public static void scatterAdd(Backend ops, int[] tokens, int off, int rows, float[] d, int width, float[] grad) {
        for (int r = 0; r < rows; r++) {
            ops.axpy(width, 1f, d, r * width, grad, tokens[off + r] * width);
        }
    }
}
