package rnn.api.cell;

/**
 * A cell written as its forward step only, over the operations of {@link Step}; the framework records
 * the step once, replays it over the sequence with the backend's kernels and derives truncated BPTT.
 * For example d2l's RNN:
 *
 * <pre>{@code
 * StepCell rnn = s -> s.output(0, s.tanh(s.add(s.input(), s.recurrent(s.state(0), 0, 1))));
 * }</pre>
 */
@FunctionalInterface
public non-sealed interface StepCell extends Cell {

    /** Builds one time step from {@code s}; called once per layer, when the layer is made. */
    void step(Step s);

    /** Sets the initial fused bias {@code b [G·H]} (zero when this is called); e.g. a forget-gate bias. */
    default void initBias(float[] b, int hidden) {
    }
}
