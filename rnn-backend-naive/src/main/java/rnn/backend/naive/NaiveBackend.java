package rnn.backend.naive;

import rnn.api.Activation;
import rnn.api.Backend;

/**
 * The reference kernels: the most direct loops for each contract in {@link Backend}, single-threaded
 * whatever was asked, so that every other backend has something obvious to agree with.
 */
final class NaiveBackend implements Backend {

    @Override
    public String name() {
        return "naive";
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

    @Override
    public void addBlock(int rows, int cols, float alpha, float[] a, int aOff, int lda,
                         float beta, float[] b, int bOff, int ldb, float[] out, int outOff, int ldo) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[outOff + i * ldo + j] = alpha * a[aOff + i * lda + j] + beta * b[bOff + i * ldb + j];
            }
        }
    }

    @Override
    public void mulBlock(int rows, int cols, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] out, int outOff, int ldo) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int o = outOff + i * ldo + j;
                float p = a[aOff + i * lda + j] * b[bOff + i * ldb + j];
                out[o] = beta == 0f ? p : p + beta * out[o];
            }
        }
    }

    @Override
    public void affineBlock(int rows, int cols, float alpha, float[] x, int xOff, int ldx, float beta,
                            float[] out, int outOff, int ldo) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[outOff + i * ldo + j] = alpha * x[xOff + i * ldx + j] + beta;
            }
        }
    }

    @Override
    public void activationBlock(Activation f, int rows, int cols, float[] x, int xOff, int ldx,
                                float[] out, int outOff, int ldo) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[outOff + i * ldo + j] = f.apply(x[xOff + i * ldx + j]);
            }
        }
    }

    @Override
    public void activationBackwardBlock(Activation f, int rows, int cols, float[] y, int yOff, int ldy,
                                        float[] dy, int dyOff, int lddy, float beta,
                                        float[] dz, int dzOff, int lddz) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int o = dzOff + i * lddz + j;
                float d = dy[dyOff + i * lddy + j] * f.derivativeFromOutput(y[yOff + i * ldy + j]);
                dz[o] = beta == 0f ? d : d + beta * dz[o];
            }
        }
    }
}
