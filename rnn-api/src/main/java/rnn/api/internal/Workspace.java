package rnn.api.internal;

/**
 * Numbered float buffers that grow on demand and are then reused, so that steady-state training
 * allocates nothing. Contents are not cleared between uses.
 */
public final class Workspace {

    private float[][] buffers = new float[4][];

    /** Buffer {@code slot} with at least {@code size} floats (size 0: the buffer as it is). */
    public float[] floats(int slot, int size) {
        if (slot >= buffers.length) {
            buffers = java.util.Arrays.copyOf(buffers, slot + 1);
        }
        float[] b = buffers[slot];
        if (b == null || b.length < size) {
            b = new float[size];
            buffers[slot] = b;
        }
        return b;
    }
}
