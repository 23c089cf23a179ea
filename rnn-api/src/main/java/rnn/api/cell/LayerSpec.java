package rnn.api.cell;

import rnn.api.Backend;
import rnn.api.Rng;

/**
 * Everything a cell needs to make one layer.
 *
 * @param backend    the kernels
 * @param inputSize  width of each input row (or the vocabulary, for token ids)
 * @param hiddenSize H
 * @param init       how weight matrices start
 * @param rng        draws the initial weights; layers draw in a fixed order, so a seed gives one net
 * @param prefix     prepended to parameter names, e.g. {@code l1.} in a stack, empty for one layer
 */
public record LayerSpec(Backend backend, int inputSize, int hiddenSize, Init init, Rng rng, String prefix) {

    public LayerSpec {
        if (backend == null || init == null || rng == null || prefix == null) {
            throw new IllegalArgumentException("backend, init, rng and prefix must be given");
        }
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input and hidden size must be at least 1, got "
                    + inputSize + " and " + hiddenSize);
        }
    }
}
