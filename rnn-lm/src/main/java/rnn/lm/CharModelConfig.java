package rnn.lm;

import java.util.LinkedHashMap;
import java.util.Map;

import rnn.api.Backends;
import rnn.api.Hyperparameter;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.lm.text.Sampling;
import rnn.lm.train.ClipMode;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.Schedules;
import rnn.lm.train.TrainingConfig;

/**
 * How to build and train a {@link CharModel}: the model's shape and the training run, the settings of
 * {@code rnn train} under the same names and with the same defaults (d2l's from-scratch RNN: one tanh
 * layer of 512, SGD at learning rate 1, clipping norm 1, batches of 32 × 35 steps, 500 epochs, the last
 * 10% held out for validation). Every setting is optional; {@link Builder#build()} checks them all, so a
 * nonsense setting fails before any text is read.
 *
 * <pre>{@code
 * CharModelConfig config = CharModelConfig.builder().optCell("gru").optHidden(64)
 *         .optOptimizer("adam").optLearningRate(0.01).optEpochs(20).build();
 * }</pre>
 */
public final class CharModelConfig {

    private final ModelConfig model;
    private final TrainingConfig training;
    private final double valFraction;
    private final String backend;
    private final int threads;

    private CharModelConfig(ModelConfig model, TrainingConfig training, double valFraction, String backend, int threads) {
        this.model = model;
        this.training = training;
        this.valFraction = valFraction;
        this.backend = backend;
        this.threads = threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    ModelConfig model() {
        return model;
    }

    TrainingConfig training() {
        return training;
    }

    double valFraction() {
        return valFraction;
    }

    /** The backend named, or null to choose as everywhere ({@code rnn.backend}, {@code RNN_BACKEND}, the best). */
    String backend() {
        return backend;
    }

    /** Worker threads of the backend the model trains on. */
    int threads() {
        return threads;
    }

    /** The settings in the command line's words, e.g. {@code cell=gru hidden=64 ... epochs=20}. */
    @Override
    public String toString() {
        return "cell=" + model.cell() + (model.cellOptions().isEmpty() ? "" : " (" + Hyperparameter.format(model.cellOptions()) + ")")
                + " hidden=" + model.hidden() + " layers=" + model.layers() + " dropout=" + model.dropout()
                + " embedding=" + model.embedding() + " init=" + ModelConfig.formatInit(model.init())
                + " optimizer=" + training.optimizer() + " (" + Hyperparameter.format(training.optimizerValues()) + ")"
                + " lr=" + training.learningRate() + " lr-schedule=" + Schedules.format(training.schedule())
                + " clip=" + training.clip() + " clip-mode=" + training.clipMode().id() + " batch=" + training.batch()
                + " steps=" + training.steps() + " epochs=" + training.epochs() + " sampling=" + training.sampling().id()
                + " seed=" + training.seed() + " val-fraction=" + valFraction + " threads=" + threads
                + " backend=" + (backend == null ? "(default)" : backend);
    }

    /** {@code opt*} sets one optional setting; {@link #build()} checks them together. */
    public static final class Builder {
        private String cell = "rnn";
        private final Map<String, Object> cellOptions = new LinkedHashMap<>();
        private int hidden = 512;
        private int layers = 1;
        private double dropout = 0;
        private int embedding = 0;
        private String init = "normal:0.01";
        private String optimizer = "sgd";
        private final Map<String, Object> optimizerOptions = new LinkedHashMap<>();
        private Double weightDecay;
        private double learningRate = 1;
        private String schedule = "constant";
        private double clip = 1;
        private String clipMode = "norm";
        private int batch = 32;
        private int steps = 35;
        private int epochs = 500;
        private String sampling = "sequential";
        private long seed = 0;
        private double valFraction = 0.1;
        private String backend;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxBadSteps = 5;

        private Builder() {
        }

        /** The recurrent cell: {@code rnn} (default), {@code gru}, {@code lstm} or a plug-in's name ({@code rnn cells}). */
        public Builder optCell(String name) {
            cell = Checks.notBlank(name, "cell name");
            return this;
        }

        /** One of the cell's hyperparameters, like {@code --cell-opt KEY=VALUE}, e.g. {@code forget_bias} of lstm. */
        public Builder optCellOption(String key, double value) {
            cellOptions.put(Checks.notBlank(key, "cell option name"), value);
            return this;
        }

        /** Hidden units per layer; default 512. */
        public Builder optHidden(int units) {
            hidden = units;
            return this;
        }

        /** Stacked recurrent layers; default 1. */
        public Builder optLayers(int count) {
            layers = count;
            return this;
        }

        /** Inverted dropout between stacked layers while training, in [0, 1); default 0. */
        public Builder optDropout(double p) {
            dropout = p;
            return this;
        }

        /** Width of a learned input embedding instead of one-hot input; default 0 (none). */
        public Builder optEmbedding(int width) {
            embedding = width;
            return this;
        }

        /** Weight init: {@code normal:STD} (default {@code normal:0.01}, d2l's), {@code uniform:A} or {@code xavier}. */
        public Builder optInit(String spec) {
            init = Checks.notBlank(spec, "init");
            return this;
        }

        /** The update rule by name: {@code sgd} (default), {@code adam}, ... or a plug-in's ({@code rnn optimizers}). */
        public Builder optOptimizer(String name) {
            optimizer = Checks.notBlank(name, "optimizer name");
            return this;
        }

        /** One of the optimizer's hyperparameters, like {@code --optimizer-opt KEY=VALUE}, e.g. {@code beta2}. */
        public Builder optOptimizerOption(String key, double value) {
            optimizerOptions.put(Checks.notBlank(key, "optimizer option name"), value);
            return this;
        }

        /** The optimizer's {@code weight_decay}, like {@code --weight-decay}; default: the optimizer's. */
        public Builder optWeightDecay(double wd) {
            weightDecay = wd;
            return this;
        }

        /** Base learning rate; default 1 (d2l's, for SGD). */
        public Builder optLearningRate(double lr) {
            learningRate = lr;
            return this;
        }

        /**
         * Learning rate over time, like {@code --lr-schedule}: {@code constant} (default),
         * {@code step:RATE:AFTER}, {@code cosine:EPOCHS:MIN_LR} or {@code warmup:STEPS:<schedule>}.
         */
        public Builder optLearningRateSchedule(String spec) {
            schedule = Checks.notBlank(spec, "learning rate schedule");
            return this;
        }

        /** Gradient clipping threshold θ; default 1. */
        public Builder optClip(double threshold) {
            clip = threshold;
            return this;
        }

        /** {@code norm} (default: rescale to global norm θ, d2l) or {@code value} (clamp each element, char-rnn). */
        public Builder optClipMode(String mode) {
            clipMode = Checks.notBlank(mode, "clip mode");
            return this;
        }

        /** Sequences per minibatch; default 32. */
        public Builder optBatch(int size) {
            batch = size;
            return this;
        }

        /** BPTT steps (d2l's {@code num_steps}); default 35. */
        public Builder optSteps(int count) {
            steps = count;
            return this;
        }

        /** Passes over the training text; default 500. */
        public Builder optEpochs(int count) {
            epochs = count;
            return this;
        }

        /** d2l's minibatch iterator: {@code sequential} (default) or {@code random}. */
        public Builder optSampling(String iterator) {
            sampling = Checks.notBlank(iterator, "sampling");
            return this;
        }

        /** Seeds weights, batches and dropout; default 0. */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /** The contiguous tail of the text held out for validation, in [0, 1); default 0.1, 0 for none. */
        public Builder optValFraction(double fraction) {
            valFraction = fraction;
            return this;
        }

        /**
         * The backend by name ({@code naive}, {@code vector}); without it the choice is as everywhere: the
         * {@code rnn.backend} system property, else {@code RNN_BACKEND}, else the best usable backend.
         */
        public Builder optBackend(String name) {
            backend = Checks.notBlank(name, "backend name");
            return this;
        }

        /** Backend worker threads; default the available processors. */
        public Builder optThreads(int count) {
            threads = count;
            return this;
        }

        /** Non-finite losses or gradients in a row (each skipped) before training stops; default 5. */
        public Builder optMaxBadSteps(int count) {
            maxBadSteps = count;
            return this;
        }

        /**
         * Checks every setting: unknown cells, optimizers, options, backends and out-of-range values fail
         * here with an {@link IllegalArgumentException} that says which.
         */
        public CharModelConfig build() {
            if (!(valFraction >= 0 && valFraction < 1)) {
                throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + valFraction);
            }
            CellProvider provider = Cells.forName(cell);
            ModelConfig model = new ModelConfig(provider.name(), Cells.resolve(provider, cellOptions), hidden, layers,
                    ModelConfig.parseInit(init), dropout, embedding);
            TrainingConfig.Builder t = TrainingConfig.builder().optBatch(batch).optSteps(steps)
                    .optLearningRate(learningRate).optClip(clip).optClipMode(ClipMode.parse(clipMode))
                    .optEpochs(epochs).optSampling(Sampling.parse(sampling)).optOptimizer(optimizer, optimizerOptions)
                    .optSchedule(Schedules.parse(schedule)).optSeed(seed).optMaxBadSteps(maxBadSteps);
            if (weightDecay != null) {
                if (optimizerOptions.containsKey("weight_decay")) {
                    throw new IllegalArgumentException("give the weight decay once: optWeightDecay or "
                            + "optOptimizerOption(\"weight_decay\", ...)");
                }
                t.optWeightDecay(weightDecay);
            }
            TrainingConfig training = t.build();
            if (backend != null) {
                Backends.select(backend); // an unknown or unusable name fails now, with the available ones
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            return new CharModelConfig(model, training, valFraction, backend, threads);
        }
    }
}
