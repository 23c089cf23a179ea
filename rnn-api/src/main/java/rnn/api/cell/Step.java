package rnn.api.cell;

/**
 * The step language: one time step of a cell, as matrix algebra over {@code [B, k·H]} blocks of the
 * batch. Every value is a {@link Var} k gate blocks wide ({@code k·H} columns); slicing a block is a
 * view, never a copy. Each operation maps onto one backend kernel, and each has its derivative
 * written once, in the framework, so a cell written here gets its backward for free.
 *
 * <p>Weights are the layer's fused {@code W_x [in, G·H]}, {@code W_h [H, G·H]} and {@code b [G·H]}:
 * {@link #input()} is {@code X_t·W_x + b} for all G gates (computed for every step at once, as one
 * GEMM or a row lookup for token ids), and {@link #recurrent} multiplies by column blocks of W_h.
 */
public interface Step {

    /** Part {@code part} of the state before this step, one block wide. */
    Var state(int part);

    /** {@code X_t·W_x + b}: all G gate blocks of this step's input projection. */
    Var input();

    /** {@code v · W_h[:, first·H, (first+count)·H)}: {@code v} one block wide, the result {@code count} blocks. */
    Var recurrent(Var v, int first, int count);

    /** Blocks {@code [first, first+count)} of {@code v}: a view. */
    Var blocks(Var v, int first, int count);

    /** Block {@code i} of {@code v}: a view. */
    default Var gate(Var v, int i) {
        return blocks(v, i, 1);
    }

    /** {@code a + b}, same width. */
    Var add(Var a, Var b);

    /** {@code a − b}, same width. */
    Var sub(Var a, Var b);

    /** {@code a ⊙ b}, same width. */
    Var mul(Var a, Var b);

    /** {@code 1 − a}. */
    Var oneMinus(Var a);

    Var sigmoid(Var a);

    Var tanh(Var a);

    Var relu(Var a);

    /** Sets part {@code part} of the state after this step (one block wide); part 0 is also the output. */
    void output(int part, Var v);

    /** A value of the step: {@link #blocks()} gate blocks wide. Only meaningful to the step that made it. */
    final class Var {
        final Object owner;
        final int id;
        final int blocks;

        Var(Object owner, int id, int blocks) {
            this.owner = owner;
            this.id = id;
            this.blocks = blocks;
        }

        /** Width in gate blocks of H columns. */
        public int blocks() {
            return blocks;
        }

        @Override
        public String toString() {
            return "v" + id + "[" + blocks + "H]";
        }
    }
}
