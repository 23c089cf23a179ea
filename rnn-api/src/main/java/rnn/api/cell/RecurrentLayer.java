package rnn.api.cell;

import java.util.List;

import rnn.api.Parameter;

/**
 * A recurrent layer unrolled over {@code T} steps of a batch of {@code B} sequences. Sequences are
 * time-major: step {@code t} of a {@code [T, B, n]} array starts at {@code t*B*n}.
 *
 * <p>{@link #forward} keeps what {@link #backward} needs (the layer owns and reuses its workspaces, so
 * the arrays it returns stay valid only until the next forward). Backward is truncated BPTT over the
 * steps of the last forward.
 */
public interface RecurrentLayer {

    /** How many state tensors the layer carries (part 0 is H, the output). */
    int stateParts();

    int inputSize();

    int hiddenSize();

    /** The layer's parameters, in a fixed order; gradients accumulate into them. */
    List<Parameter> parameters();

    /** A zero state for a batch. */
    default State newState(int batch) {
        return new State(stateParts(), batch, hiddenSize());
    }

    /**
     * Runs {@code steps} steps from {@code state}, which is updated in place to the final state.
     *
     * @param xs    inputs {@code [T, B, inputSize]} starting at {@code xOff}; must stay unchanged until backward
     * @return the hidden outputs {@code [T, B, hidden]}, starting at {@link #outputOffset()}
     */
    float[] forward(float[] xs, int xOff, int steps, State state);

    /**
     * {@link #forward(float[], int, int, State)} for one-hot inputs given as token ids {@code [T, B]} in
     * {@code [0, inputSize)} from {@code off}: the input product becomes a row lookup, with the same
     * result. {@link #backward} then returns null, as token ids have no gradient.
     *
     * @throws IllegalArgumentException if an id is out of range or there are fewer than {@code T·B}
     */
    float[] forward(int[] tokens, int off, int steps, State state);

    /** Where the outputs start in the array {@link #forward} returned (earlier slots hold the initial state). */
    int outputOffset();

    /**
     * Backpropagation through the last forward.
     *
     * @param dOutputs gradient of the loss with respect to each output {@code [T, B, hidden]} (offset 0);
     *                 the layer may overwrite it
     * @param dState   on entry the gradient with respect to the final state, or null for zero (the
     *                 truncation point); if not null, on exit the gradient with respect to the initial state
     * @return the gradient with respect to the inputs {@code [T, B, inputSize]} (offset 0), or null
     *         after a forward from token ids
     */
    float[] backward(float[] dOutputs, State dState);
}
