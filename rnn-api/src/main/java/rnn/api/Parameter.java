package rnn.api;

import java.util.Arrays;

/**
 * A named trainable tensor and its gradient, both row-major float32 of the same {@code shape}.
 * Layers own their parameters and write gradients into {@code grad}; optimizers read both.
 */
public record Parameter(String name, int[] shape, float[] value, float[] grad) {

    public Parameter {
        int size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimensions must be positive, got " + Arrays.toString(shape));
            }
            size = Math.multiplyExact(size, d);
        }
        if (value.length != size || grad.length != size) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + value.length + " and " + grad.length);
        }
        shape = shape.clone();
    }

    public static Parameter zeros(String name, int... shape) {
        int size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        return new Parameter(name, shape, new float[size], new float[size]);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The value as a matrix view: {@code [rows, cols]} for a 2-D parameter, {@code [1, n]} for a vector. */
    public Tensor matrix() {
        return shape.length == 2 ? Tensor.of(value, shape[0], shape[1]) : Tensor.of(value, 1, value.length);
    }

    public int size() {
        return value.length;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameter p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && Arrays.equals(value, p.value) && Arrays.equals(grad, p.grad);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + Arrays.toString(shape) + "]";
    }
}
