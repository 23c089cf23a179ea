package rnn.lm.train;

/**
 * A validation measured inside an epoch ({@link TrainingConfig#valEverySteps()}).
 *
 * @param step            updates attempted so far, this one included
 * @param epoch           1-based epoch the update belongs to
 * @param batch           1-based batch of that epoch
 * @param trainPerplexity exp of the mean training loss over the epoch's batches so far
 * @param valPerplexity   perplexity on the validation split (its first {@link TrainingConfig#valMaxTokens()})
 * @param tokensPerSecond training tokens per second of training time in this epoch so far
 */
public record StepStats(long step, int epoch, int batch, double trainPerplexity, double valPerplexity,
                        double tokensPerSecond) {
}
