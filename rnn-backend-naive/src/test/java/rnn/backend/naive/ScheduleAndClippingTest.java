package rnn.backend.naive;

import rnn.api.optim.*;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Parameter;

class ScheduleAndClippingTest {

    @Test
    void constant() {
        assertEquals(0.3, new LearningRateSchedule.Constant().learningRate(0.3, 17, 1000));
    }

    @Test
    void charRnnStepDecay() {
        var s = new LearningRateSchedule.StepDecay(0.97, 10);
        assertEquals(2e-3, s.learningRate(2e-3, 0, 0), 1e-15);
        assertEquals(2e-3, s.learningRate(2e-3, 9, 0), 1e-15);     // 9 epochs done: not yet
        assertEquals(2e-3 * 0.97, s.learningRate(2e-3, 10, 0), 1e-15); // 10 done: first decay
        assertEquals(2e-3 * 0.97 * 0.97 * 0.97, s.learningRate(2e-3, 12, 0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.StepDecay(1.5, 1));
    }

    @Test
    void cosine() {
        var s = new LearningRateSchedule.Cosine(10, 0.1);
        assertEquals(1.0, s.learningRate(1.0, 0, 0), 1e-12);
        assertEquals(0.55, s.learningRate(1.0, 5, 0), 1e-12);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.2)) / 2, s.learningRate(1.0, 2, 0), 1e-12);
        assertEquals(0.1, s.learningRate(1.0, 10, 0), 1e-12);
        assertEquals(0.1, s.learningRate(1.0, 30, 0), 1e-12);
    }

    @Test
    void warmupThenInner() {
        var s = new LearningRateSchedule.Warmup(4, new LearningRateSchedule.StepDecay(0.5, 1));
        assertEquals(0.25, s.learningRate(1.0, 0, 0), 1e-12);
        assertEquals(0.75, s.learningRate(1.0, 0, 2), 1e-12);
        assertEquals(1.0, s.learningRate(1.0, 0, 4), 1e-12);
        assertEquals(0.5, s.learningRate(1.0, 1, 100), 1e-12);
    }

    @Test
    void clippingByValueClampsElementsAndReturnsThePreClipNorm() {
        Parameter a = Parameter.zeros("a", 3);
        Parameter b = Parameter.zeros("b", 2);
        float[] ga = {0.5f, -3f, 1.2f};
        float[] gb = {-0.7f, 4f};
        System.arraycopy(ga, 0, a.grad(), 0, 3);
        System.arraycopy(gb, 0, b.grad(), 0, 2);
        double norm = new Clipping.Value(1.0).apply(Backends.create("naive", new BackendOptions(1)), List.of(a, b));
        assertEquals(Math.sqrt(0.25 + 9 + 1.44 + 0.49 + 16), norm, 1e-6);
        assertArrayEquals(new float[] {0.5f, -1f, 1f}, a.grad());
        assertArrayEquals(new float[] {-0.7f, 1f}, b.grad());
        assertThrows(IllegalArgumentException.class, () -> new Clipping.Value(0));
    }
}
