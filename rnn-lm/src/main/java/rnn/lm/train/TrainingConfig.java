package rnn.lm.train;

import java.util.LinkedHashMap;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.optim.LearningRateSchedule;
import rnn.api.optim.Optimizer;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.lm.text.Sampling;
import rnn.lm.text.TokenIds;

/**
 * Hyperparameters of a training run, validated at construction so a nonsense setting fails before
 * any work is done. {@link #builder()} starts from d2l's from-scratch run on {@code timemachine}.
 *
 * <p>There is no thread count here: threads are the {@link rnn.api.Backend}'s, fixed when it is created
 * ({@code BackendOptions}, the command line's {@code --threads}), and {@link ModelFile} records the count of
 * the backend that trained the model. (An earlier {@code threads} setting here was read by nothing.)
 *
 * @param batch        sequences per minibatch
 * @param steps        BPTT truncation length (d2l's {@code num_steps})
 * @param learningRate base learning rate
 * @param clip         clipping threshold θ
 * @param clipMode     global norm (d2l) or element-wise value
 * @param epochs       passes over the training split
 * @param sampling     d2l's sequential (state carried, detached) or random (state reset) iterator
 * @param optimizer    update rule: the name of an {@link OptimizerProvider} ({@link Optimizers})
 * @param optimizerValues its hyperparameters: every declared one, in declaration order (those not given
 *                     take their defaults); a weight decay for an optimizer without one is an error
 * @param schedule     learning rate by epoch and step
 * @param seed         seeds initialisation, batching, dropout and samples
 * @param maxBadSteps  consecutive non-finite losses or gradients tolerated (each skipped) before stopping
 * @param valEverySteps validation perplexity also every this many updates; 0 for epoch ends only
 * @param valMaxTokens  validate on at most this many tokens, the split's fixed prefix; 0 for all of it
 */
public record TrainingConfig(int batch, int steps, double learningRate, double clip, ClipMode clipMode, int epochs,
                             Sampling sampling, String optimizer, Map<String, Double> optimizerValues,
                             LearningRateSchedule schedule, long seed, int maxBadSteps, long valEverySteps,
                             long valMaxTokens) {

    public TrainingConfig {
        ModelConfig.positive("batch", batch);
        ModelConfig.positive("steps", steps);
        ModelConfig.positive("epochs", epochs);
        ModelConfig.positive("max bad steps", maxBadSteps);
        if ((long) batch * steps > MAX_BATCH_TOKENS) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a minibatch of %,d × %,d steps is"
                    + " %,d tokens, more than one minibatch can hold (%,d); use a smaller --batch or --steps",
                    batch, steps, (long) batch * steps, MAX_BATCH_TOKENS));
        }
        if (valEverySteps < 0 || valMaxTokens < 0) {
            throw new IllegalArgumentException("validation every N steps and its token cap must be ≥ 0 (0: at epoch"
                    + " ends only, and the whole split), got " + valEverySteps + " and " + valMaxTokens);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping threshold must be positive and finite, got " + clip);
        }
        if (sampling == null || clipMode == null || optimizer == null || schedule == null) {
            throw new IllegalArgumentException("sampling, clip mode, optimizer and schedule must be given");
        }
        OptimizerProvider provider = Optimizers.forName(optimizer);
        optimizer = provider.name(); // as the provider spells it
        optimizerValues = Hyperparameter.resolve(Optimizers.owner(provider), provider.hyperparameters(),
                optimizerValues == null ? Map.of() : optimizerValues);
        provider.create(learningRate, optimizerValues); // rejects combinations the optimizer cannot do
    }

    /**
     * The most tokens a minibatch may hold (16 Mi): far above any useful batch, and low enough that its ids
     * and per-token buffers stay within what an int indexes.
     */
    public static final int MAX_BATCH_TOKENS = 1 << 24;

    /**
     * The validation tokens that are evaluated: the first {@link #valMaxTokens()} of {@code validation}, or
     * all of it when that is 0 or larger. One definition, for the model's perplexity and its baselines alike.
     */
    public TokenIds evaluatedPrefix(TokenIds validation) {
        long n = validation.length();
        return valMaxTokens > 0 && valMaxTokens < n ? validation.slice(0, valMaxTokens) : validation;
    }

    /** A new optimizer as configured, at the base learning rate. */
    public Optimizer createOptimizer() {
        return Optimizers.forName(optimizer).create(learningRate, optimizerValues);
    }

    /** The {@code weight_decay} hyperparameter, or 0 for an optimizer without one. */
    public double weightDecay() {
        return optimizerValues.getOrDefault(WEIGHT_DECAY, 0.0);
    }

    static final String WEIGHT_DECAY = "weight_decay";

    static boolean hasWeightDecay(OptimizerProvider p) {
        return p.hyperparameters().stream().anyMatch(h -> h.name().equals(WEIGHT_DECAY));
    }

    public static Builder builder() {
        return new Builder();
    }

    public TrainingConfig withEpochs(int e) {
        return toBuilder().optEpochs(e).build();
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
        b.optimizerValues = optimizerValues;
        b.schedule = schedule;
        b.seed = seed;
        b.maxBadSteps = maxBadSteps;
        b.valEverySteps = valEverySteps;
        b.valMaxTokens = valMaxTokens;
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
        private String optimizer = "sgd";
        private Map<String, ?> optimizerValues = Map.of();
        private Double weightDecay;
        private LearningRateSchedule schedule = new LearningRateSchedule.Constant();
        private long seed = 0;
        private int maxBadSteps = 5;
        private long valEverySteps;
        private long valMaxTokens;

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

        /** The optimizer named {@code name} with its default hyperparameters (replaces values given before). */
        public Builder optOptimizer(String name) {
            return optOptimizer(name, Map.of());
        }

        /**
         * The optimizer named {@code name} with these hyperparameters (numbers, or text as from a command
         * line); the others take their defaults. Checked by {@link #build()}.
         */
        public Builder optOptimizer(String name, Map<String, ?> values) {
            optimizer = name;
            optimizerValues = Map.copyOf(values);
            return this;
        }

        /**
         * Sets the optimizer's {@code weight_decay} hyperparameter (L2, or decoupled for AdamW), over a value
         * given with {@link #optOptimizer(String, Map)}. An optimizer without one accepts only 0. Without
         * this call the optimizer's default applies.
         */
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

        public Builder optMaxBadSteps(int v) {
            maxBadSteps = v;
            return this;
        }

        /**
         * Also measures validation perplexity every {@code n} updates, not only at epoch ends (char-rnn's
         * {@code eval_val_every}); 0, the default, for epoch ends only.
         */
        public Builder optValEverySteps(long n) {
            valEverySteps = n;
            return this;
        }

        /**
         * Evaluates only the first {@code n} tokens of the validation split, the same prefix every time so
         * that figures compare across runs; 0, the default, for the whole split.
         */
        public Builder optValMaxTokens(long n) {
            valMaxTokens = n;
            return this;
        }

        public TrainingConfig build() {
            OptimizerProvider p = Optimizers.forName(optimizer);
            Map<String, Object> values = new LinkedHashMap<>(optimizerValues);
            if (weightDecay != null) {
                if (hasWeightDecay(p)) {
                    values.put(WEIGHT_DECAY, weightDecay);
                } else if (weightDecay != 0) {
                    throw new IllegalArgumentException("weight decay is not supported by optimizer " + optimizer
                            + " (it has no " + WEIGHT_DECAY + " hyperparameter); optimizers with one: "
                            + String.join(", ", Optimizers.all().stream().filter(TrainingConfig::hasWeightDecay)
                                    .map(OptimizerProvider::name).toList()));
                }
            }
            return new TrainingConfig(batch, steps, learningRate, clip, clipMode, epochs, sampling, optimizer,
                    Hyperparameter.resolve(Optimizers.owner(p), p.hyperparameters(), values), schedule, seed,
                    maxBadSteps, valEverySteps, valMaxTokens);
        }
    }
}
