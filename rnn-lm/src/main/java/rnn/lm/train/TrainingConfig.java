package rnn.lm.train;

import rnn.lm.text.Sampling;

/**
 * Hyperparameters of a training run; the defaults are d2l's from-scratch run on {@code timemachine}.
 * Every value is validated here, so a nonsense setting fails before any work is done.
 *
 * @param batch              sequences per minibatch
 * @param steps              BPTT truncation length (d2l's {@code num_steps})
 * @param learningRate       SGD learning rate
 * @param clip               gradient clipping threshold θ on the global norm
 * @param epochs             passes over the training split
 * @param sampling           d2l's sequential (state carried, detached) or random (state reset) iterator
 * @param seed               seeds initialisation, batching and sampling
 * @param threads            backend worker threads
 * @param maxBadSteps        consecutive non-finite losses or gradients tolerated before stopping
 */
public record TrainingConfig(int batch, int steps, double learningRate, double clip, int epochs, Sampling sampling,
                             long seed, int threads, int maxBadSteps) {

    public TrainingConfig {
        ModelConfig.positive("batch", batch);
        ModelConfig.positive("steps", steps);
        ModelConfig.positive("epochs", epochs);
        ModelConfig.positive("threads", threads);
        ModelConfig.positive("max bad steps", maxBadSteps);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping threshold must be positive and finite, got " + clip);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling must be given");
        }
    }

    /** d2l: batch 32, 35 steps, lr 1, clip 1, 500 epochs, sequential. */
    public static TrainingConfig d2l() {
        return new TrainingConfig(32, 35, 1.0, 1.0, 500, Sampling.SEQUENTIAL, 0L,
                Runtime.getRuntime().availableProcessors(), 5);
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(batch, steps, learningRate, clip, e, sampling, seed, threads, maxBadSteps);
    }
}
