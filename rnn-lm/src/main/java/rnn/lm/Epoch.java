package rnn.lm;

/**
 * What one training epoch measured, as {@code rnn train} prints it.
 *
 * @param number               1-based epoch number
 * @param trainPerplexity      exp of the mean training loss over the epoch's batches (as d2l reports it)
 * @param validationPerplexity perplexity on the held-out tail after the epoch; NaN without one
 * @param tokensPerSecond      training tokens per second of training time
 * @param skippedSteps         updates skipped because the loss or gradient was not finite
 */
public record Epoch(int number, double trainPerplexity, double validationPerplexity, double tokensPerSecond,
                    int skippedSteps) {
}
