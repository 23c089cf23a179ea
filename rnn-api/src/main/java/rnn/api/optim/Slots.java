package rnn.api.optim;

import java.util.LinkedHashMap;
import java.util.Map;

import rnn.api.Parameter;

/**
 * Per-parameter buffers of an optimizer, keyed {@code <parameter name>.<buffer>}, a step counter and
 * one scratch array; allocated on first use and then reused, so steady-state steps allocate nothing.
 */
final class Slots {

    static final String STEP = "step";

    private final Map<String, float[]> buffers = new LinkedHashMap<>();
    private final boolean counted;
    private long steps;
    private float[] scratch = new float[0];

    Slots(boolean counted) {
        this.counted = counted;
    }

    /** The zero-initialised buffer {@code suffix} of {@code p}. */
    float[] get(Parameter p, String suffix) {
        String key = p.name() + "." + suffix;
        float[] b = buffers.get(key);
        if (b == null) {
            b = new float[p.size()];
            buffers.put(key, b);
        } else if (b.length != p.size()) {
            throw new IllegalStateException(key + " holds " + b.length + " values but " + p + " has " + p.size());
        }
        return b;
    }

    float[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new float[n];
        }
        return scratch;
    }

    /** Counts a step and returns the new count (1 on the first step). */
    long nextStep() {
        return ++steps;
    }

    Map<String, float[]> snapshot() {
        Map<String, float[]> m = new LinkedHashMap<>();
        buffers.forEach((k, v) -> m.put(k, v.clone()));
        if (counted) {
            // A float holds integers exactly only to 2^24: the count is split into a high and a low part.
            float hi = (float) steps;
            m.put(STEP, new float[] {hi, (float) (steps - (double) hi)});
        }
        return m;
    }

    void restore(Map<String, float[]> state) {
        buffers.clear();
        steps = 0;
        state.forEach((k, v) -> {
            if (k.equals(STEP) && counted) {
                if (v.length != 2) {
                    throw new IllegalArgumentException("step needs 2 floats, got " + v.length);
                }
                steps = (long) ((double) v[0] + v[1]);
            } else {
                buffers.put(k, v.clone());
            }
        });
    }
}
