package rnn.lm.train;

import rnn.api.nn.CellType;

/**
 * The shape of a language model: cell, hidden units per layer, layers, and the initial weight scale.
 *
 * @param initStd standard deviation of the normal weight initialisation (d2l: 0.01)
 */
public record ModelConfig(CellType cell, int hidden, int layers, double initStd) {

    public ModelConfig {
        if (cell == null) {
            throw new IllegalArgumentException("cell must be given");
        }
        positive("hidden", hidden);
        positive("layers", layers);
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new IllegalArgumentException("init std must be positive and finite, got " + initStd);
        }
    }

    /** d2l's from-scratch model: one tanh RNN layer, normal(0, 0.01). */
    public static ModelConfig d2l(int hidden) {
        return new ModelConfig(CellType.RNN, hidden, 1, 0.01);
    }

    static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }
}
