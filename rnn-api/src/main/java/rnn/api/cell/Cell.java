package rnn.api.cell;

/**
 * What a {@link CellProvider} makes: a step written once whose gradients the framework derives
 * ({@link StepCell}), or a hand-written layer over the whole sequence ({@link FusedCell}).
 */
public sealed interface Cell permits StepCell, FusedCell {
}
