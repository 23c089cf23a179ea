package rnn.api;

/**
 * A 2-D strided view over a {@code float[]}: {@code rows × cols} elements from {@code offset}, rows
 * {@code ld} apart. It is the view every {@link Backend} kernel takes as (array, offset, leading
 * dimension), as a value: a time step of a {@code [T, B, H]} sequence, one gate block of a fused
 * {@code [B, G·H]} matrix, a weight matrix. Slicing makes another view, never a copy.
 *
 * @param data   the array viewed, shared
 * @param offset index of element (0, 0)
 * @param rows   number of rows, ≥ 1
 * @param cols   number of columns, ≥ 1
 * @param ld     leading dimension: index distance between rows, ≥ cols
 */
public record Tensor(float[] data, int offset, int rows, int cols, int ld) {

    public Tensor {
        if (data == null) {
            throw new IllegalArgumentException("a tensor needs an array");
        }
        if (rows < 1 || cols < 1 || ld < cols || offset < 0) {
            throw new IllegalArgumentException("bad view: offset " + offset + ", " + rows + "×" + cols + ", ld " + ld);
        }
        if ((long) offset + (long) (rows - 1) * ld + cols > data.length) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " view with ld " + ld + " from " + offset
                    + " needs " + ((long) offset + (long) (rows - 1) * ld + cols) + " floats, the array has " + data.length);
        }
    }

    /** The whole array as a dense {@code rows × cols} matrix. */
    public static Tensor of(float[] data, int rows, int cols) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + "×" + cols + " needs " + (long) rows * cols + " floats, got " + data.length);
        }
        return new Tensor(data, 0, rows, cols, cols);
    }

    /** Columns {@code [first, first + count)}: e.g. one gate block of a fused matrix. */
    public Tensor columns(int first, int count) {
        if (first < 0 || count < 1 || first + count > cols) {
            throw new IllegalArgumentException("columns [" + first + ", " + (first + count) + ") outside " + cols);
        }
        return new Tensor(data, offset + first, rows, count, ld);
    }

    /** Rows {@code [first, first + count)}: e.g. one time step of a {@code [T·B, H]} sequence. */
    public Tensor rows(int first, int count) {
        if (first < 0 || count < 1 || first + count > rows) {
            throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") outside " + rows);
        }
        return new Tensor(data, offset + first * ld, count, cols, ld);
    }

    /** Index of element {@code (r, c)} in {@link #data()}. */
    public int index(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside " + rows + "×" + cols);
        }
        return offset + r * ld + c;
    }

    public float get(int r, int c) {
        return data[index(r, c)];
    }

    public void set(int r, int c, float value) {
        data[index(r, c)] = value;
    }

    /** Same shape: the check every elementwise operation on views makes. */
    public void requireSameShape(Tensor other, String what) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException(what + ": " + rows + "×" + cols + " and " + other.rows + "×" + other.cols);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && t.data == data && t.offset == offset && t.rows == rows && t.cols == cols && t.ld == ld;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(data) * 31 + offset;
    }

    @Override
    public String toString() {
        return "Tensor[" + rows + "×" + cols + " from " + offset + ", ld " + ld + "]";
    }
}
