package rnn.api;

/**
 * A copy of the naive reference kernels for rnn-api's own tests (rnn-backend-naive depends on this
 * module, so it cannot be a test dependency here).
 */
public final class LoopBackend implements Backend {

    @Override
    public String name() {
        return "loops";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? sum : beta * c[ci] + sum;
            }
        }
    }

    @Override
    public void biasActivation(Activation f, int rows, int cols, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = f.apply(c[ci] + bias[biasOff + j]);
            }
        }
    }

    @Override
    public void activationBackward(Activation f, int n, float[] y, int yOff, float[] dy, int dyOff,
                                   float[] dz, int dzOff) {
        for (int i = 0; i < n; i++) {
            dz[dzOff + i] = dy[dyOff + i] * f.derivativeFromOutput(y[yOff + i]);
        }
    }

    @Override
    public void activation(Activation f, int n, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            x[off + i] = f.apply(x[off + i]);
        }
    }

    @Override
    public void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[outOff + j] += x[xOff + i * ldx + j];
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(int rows, int cols, float[] logits, int off, int[] targets, int targetOff,
                                      float scale, float[] dLogits, int dOff) {
        double loss = 0;
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
            int target = targets[targetOff + i];
            loss += Math.log(sum) - (logits[row + target] - max);
            if (dLogits != null) {
                int drow = dOff + i * cols;
                for (int j = 0; j < cols; j++) {
                    double p = Math.exp(logits[row + j] - max) / sum;
                    dLogits[drow + j] = (float) (scale * (p - (j == target ? 1 : 0)));
                }
            }
        }
        return loss;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[off + i] * x[off + i];
        }
        return s;
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= alpha;
        }
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void addMul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] += a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void addScaled(int n, float[] a, int aOff, float alpha, float[] b, int bOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = a[aOff + i] + alpha * b[bOff + i];
        }
    }
}
