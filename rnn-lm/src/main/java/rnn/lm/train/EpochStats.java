package rnn.lm.train;

/**
 * What one epoch measured.
 *
 * @param epoch           1-based epoch number
 * @param trainPerplexity exp of the mean training loss over the epoch's batches (as d2l reports it)
 * @param valPerplexity   perplexity on the validation split after the epoch, NaN without one
 * @param tokensPerSecond training tokens (batch × steps per update) per second of training time
 * @param skippedSteps    updates skipped this epoch because the loss or gradient was not finite
 */
public record EpochStats(int epoch, double trainPerplexity, double valPerplexity, double tokensPerSecond,
                         int skippedSteps) {
}
