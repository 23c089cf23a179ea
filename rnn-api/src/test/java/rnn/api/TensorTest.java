package rnn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void slicesAreViewsOfTheSameArray() {
        float[] a = new float[4 * 6];
        Tensor fused = Tensor.of(a, 4, 6);       // [B = 4, G·H = 3·2]
        Tensor gate = fused.columns(2, 2);       // the second gate block
        Tensor row = gate.rows(1, 2);
        row.set(0, 1, 7f);
        assertEquals(7f, a[1 * 6 + 2 + 1]);
        assertEquals(7f, fused.get(1, 3));
        assertSame(a, row.data());
        assertEquals(6, row.ld());
    }

    @Test
    void viewsOutsideTheArrayOrTheirShapeAreRejected() {
        float[] a = new float[10];
        assertThrows(IllegalArgumentException.class, () -> new Tensor(a, 0, 3, 4, 4));  // needs 12
        assertThrows(IllegalArgumentException.class, () -> new Tensor(a, 0, 2, 4, 3));  // ld < cols
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(a, 3, 3));
        Tensor t = new Tensor(a, 1, 3, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> t.columns(2, 2));
        assertThrows(IllegalArgumentException.class, () -> t.rows(3, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 3));
        assertThrows(IllegalArgumentException.class, () -> t.requireSameShape(Tensor.of(new float[9], 1, 9), "add"));
    }
}
