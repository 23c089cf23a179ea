package rnn.lm.train;

import rnn.api.optim.LearningRateSchedule;
import rnn.lm.text.Sampling;

/**
 * Hyperparameters of a training run, validated at construction so a nonsense setting fails before
 * any work is done. {@link #builder()} starts from d2l's from-scratch run on {@code timemachine}.
 *
 * @param batch        sequences per minibatch
 * @param steps        BPTT truncation length (d2l's {@code num_steps})
 * @param learningRate base learning rate
 * @param clip         clipping threshold θ
 * @param clipMode     global norm (d2l) or element-wise value
 * @param epochs       passes over the training split
 * @param sampling     d2l's sequential (state carried, detached) or random (state reset) iterator
 * @param optimizer    update rule
 * @param weightDecay  L2 (or, for AdamW, decoupled) weight decay
 * @param schedule     learning rate by epoch and step
 * @param seed         seeds initialisation, batching, dropout and samples
 * @param threads      backend worker threads
 * @param maxBadSteps  consecutive non-finite losses or gradients tolerated (each skipped) before stopping
 */
public record TrainingConfig(int batch, int steps, double learningRate, double clip, ClipMode clipMode, int epochs,
                             Sampling sampling, OptimizerKind optimizer, double weightDecay,
                             LearningRateSchedule schedule, long seed, int threads, int maxBadSteps) {

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
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be ≥ 0 and finite, got " + weightDecay);
        }
        if (sampling == null || clipMode == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("sampling, clip mode, optimizer and schedule must be given");
        }
        optimizer.create(learningRate, weightDecay); // rejects combinations the optimizer cannot do
    }

    public static Builder builder() {
        return new Builder();
    }

    public TrainingConfig withEpochs(int e) {
        return toBuilder().optEpochs(e).build();
    }

    public TrainingConfig withThreads(int t) {
        return toBuilder().optThreads(t).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.batch = batch;
        b.steps = steps;
        b.learningRate = learningRate;
        b.clip = clip;
        b.clipMode = clipMode;
        b.epochs = epochs;
        b.sampling = sampling;
        b.optimizer = optimizer;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.seed = seed;
        b.threads = threads;
        b.maxBadSteps = maxBadSteps;
        return b;
    }

    /** Every setting is optional; the defaults are d2l's: batch 32, 35 steps, SGD lr 1, clip norm 1, 500 epochs, sequential. */
    public static final class Builder {
        private int batch = 32;
        private int steps = 35;
        private double learningRate = 1;
        private double clip = 1;
        private ClipMode clipMode = ClipMode.NORM;
        private int epochs = 500;
        private Sampling sampling = Sampling.SEQUENTIAL;
        private OptimizerKind optimizer = OptimizerKind.SGD;
        private double weightDecay = 0;
        private LearningRateSchedule schedule = new LearningRateSchedule.Constant();
        private long seed = 0;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxBadSteps = 5;

        private Builder() {
        }

        public Builder optBatch(int v) {
            batch = v;
            return this;
        }

        public Builder optSteps(int v) {
            steps = v;
            return this;
        }

        public Builder optLearningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder optClip(double v) {
            clip = v;
            return this;
        }

        public Builder optClipMode(ClipMode v) {
            clipMode = v;
            return this;
        }

        public Builder optEpochs(int v) {
            epochs = v;
            return this;
        }

        public Builder optSampling(Sampling v) {
            sampling = v;
            return this;
        }

        public Builder optOptimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder optWeightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder optSchedule(LearningRateSchedule v) {
            schedule = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public Builder optThreads(int v) {
            threads = v;
            return this;
        }

        public Builder optMaxBadSteps(int v) {
            maxBadSteps = v;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(batch, steps, learningRate, clip, clipMode, epochs, sampling, optimizer,
                    weightDecay, schedule, seed, threads, maxBadSteps);
        }
    }
}
