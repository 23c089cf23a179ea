package rnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.api.Hyperparameter;
import rnn.api.Rng;
import rnn.api.cell.Cells;
import rnn.api.optim.LearningRateSchedule;
import rnn.lm.text.Baselines;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;
import rnn.lm.text.TokenIds;
import rnn.lm.train.ClipMode;
import rnn.lm.train.Decoding;
import rnn.lm.train.EpochStats;
import rnn.lm.train.Generator;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Schedules;
import rnn.lm.train.StepStats;
import rnn.lm.train.Trainer;
import rnn.lm.train.TrainingConfig;
import rnn.lm.train.TrainingListener;

/** {@code rnn train}: d2l's {@code train_ch8} with perplexity, baselines, samples and a saved model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a character-level (or, with --tokens word, word-level) language model; the defaults reproduce d2l's from-scratch RNN on timemachine.")
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Contiguous tail held out for validation, in [0, 1); 0 for none. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--cell", defaultValue = "rnn", paramLabel = "NAME",
            description = "Recurrent cell: rnn, gru, lstm or any cell provider on the module path (rnn cells lists them). Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--cell-opt", paramLabel = "KEY=VALUE",
            description = "A hyperparameter of the cell, repeatable, e.g. --cell-opt forget_bias=1 (rnn cells lists them).")
    Map<String, String> cellOpts = new LinkedHashMap<>();

    @Option(names = "--hidden", defaultValue = "512", paramLabel = "N", description = "Hidden units per layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N", description = "Stacked recurrent layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Inverted dropout between stacked layers while training. Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(names = "--embedding", defaultValue = "0", paramLabel = "DIM",
            description = "Learned input embedding of this width instead of one-hot input; 0 for none. Default: ${DEFAULT-VALUE}.")
    int embedding;

    @Option(names = "--init", defaultValue = "normal:0.01", paramLabel = "SPEC",
            description = "Weight init: normal:STD (d2l), uniform:A (char-rnn: uniform:0.08) or xavier. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--forget-bias", paramLabel = "B",
            description = "Initial LSTM forget-gate bias (1 is a common choice); short for --cell-opt forget_bias=B. Default: 0.")
    Double forgetBias;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "35", paramLabel = "N", description = "BPTT steps (num_steps). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "NAME",
            description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or a plug-in's name "
                    + "('rnn optimizers' lists them). Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--optimizer-opt", paramLabel = "KEY=VALUE",
            description = "Sets one of the optimizer's hyperparameters, e.g. beta2=0.99; repeatable. "
                    + "'rnn optimizers' lists them with their defaults.")
    Map<String, String> optimizerOpts = new LinkedHashMap<>();

    @Option(names = "--lr", defaultValue = "1", paramLabel = "LR", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "The optimizer's weight_decay (L2; decoupled for adamw). Default: the optimizer's "
                    + "(0; adamw 0.01, as PyTorch's).")
    Double weightDecay;

    @Option(names = "--lr-decay", paramLabel = "RATE",
            description = "char-rnn's step decay: multiply the learning rate by RATE every epoch after --lr-decay-after.")
    Double lrDecay;

    @Option(names = "--lr-decay-after", defaultValue = "10", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int lrDecayAfter;

    @Option(names = "--lr-schedule", paramLabel = "SPEC",
            description = "constant, step:RATE:AFTER, cosine:EPOCHS:MIN_LR or warmup:STEPS:<schedule> (overrides --lr-decay).")
    String lrSchedule;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "STEPS",
            description = "Linear learning-rate warm-up over this many updates. Default: ${DEFAULT-VALUE}.")
    long warmup;

    @Option(names = "--clip", defaultValue = "1", paramLabel = "θ", description = "Clipping threshold. Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--clip-mode", defaultValue = "norm", paramLabel = "norm|value",
            description = "Rescale to global norm θ (d2l) or clamp each element to ±θ (char-rnn). Default: ${DEFAULT-VALUE}.")
    String clipMode;

    @Option(names = "--epochs", defaultValue = "500", paramLabel = "N", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--sampling", defaultValue = "sequential", paramLabel = "sequential|random",
            description = "d2l's minibatch iterator. Default: ${DEFAULT-VALUE}.")
    String sampling;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed for weights, batches and samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-bad-steps", defaultValue = "5", paramLabel = "K",
            description = "Stop after K non-finite losses or gradients in a row (each is skipped). Default: ${DEFAULT-VALUE}.")
    int maxBadSteps;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--out", defaultValue = "out", paramLabel = "DIR",
            description = "Writes model.safetensors, metrics.json and curve.svg here. Default: ${DEFAULT-VALUE}, or with --resume the run's own folder.")
    Path out;

    @Option(names = "--prefix", paramLabel = "TEXT",
            description = "Prefix for the samples shown while training. Default: 'time traveller' on timemachine, "
                    + "else the first " + DEFAULT_PREFIX_CHARACTERS + " characters (" + DEFAULT_PREFIX_WORDS
                    + " words with --tokens word) of the validation split.")
    String prefix;

    /** The default prefix on timemachine, d2l's. */
    static final String TIME_MACHINE_PREFIX = "time traveller";
    static final int DEFAULT_PREFIX_CHARACTERS = 10;
    static final int DEFAULT_PREFIX_WORDS = 2;

    @Option(names = "--sample-every", defaultValue = "0", paramLabel = "N",
            description = "Show a sample every N epochs (default: about 10 samples per run).")
    int sampleEvery;

    @Option(names = "--sample-length", defaultValue = "50", paramLabel = "N",
            description = "Tokens per sample: characters, or words with --tokens word (d2l: 50 characters). Default: ${DEFAULT-VALUE}.")
    int sampleLength;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run saved in DIR (its model.safetensors): same hyperparameters, data and RNG state; "
                    + "--epochs may raise the total.")
    Path resume;

    @Option(names = "--checkpoint-every", defaultValue = "10", paramLabel = "N",
            description = "Save model.safetensors and metrics.json every N epochs (the best validation model also goes to best.safetensors). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--checkpoint-every-steps", defaultValue = "0", paramLabel = "N",
            description = "Also save model.safetensors and metrics.json every N updates, inside epochs; a resume continues from that batch. 0: off. Default: ${DEFAULT-VALUE}.")
    long checkpointEverySteps;

    @Option(names = "--checkpoint-every-minutes", defaultValue = "0", paramLabel = "M",
            description = "Also save them every M minutes of training, inside epochs. 0: off. Default: ${DEFAULT-VALUE}.")
    double checkpointEveryMinutes;

    @Option(names = "--val-every-steps", defaultValue = "0", paramLabel = "N",
            description = "Also measure validation perplexity every N updates, inside epochs (char-rnn's eval_val_every). 0: at epoch ends only. Default: ${DEFAULT-VALUE}.")
    long valEverySteps;

    @Option(names = "--val-max-tokens", defaultValue = "0", paramLabel = "N",
            description = "Validate on the first N tokens of the validation split only, the same prefix every time. 0: all of it. Default: ${DEFAULT-VALUE}.")
    long valMaxTokens;

    @Option(names = "--log-every", defaultValue = "30", paramLabel = "SECONDS",
            description = "When stderr is not a terminal, one progress line at most every SECONDS (step, tokens/s, ETA, last validation). Default: ${DEFAULT-VALUE}.")
    double logEvery;

    /** Exit code of a run stopped by SIGINT or SIGTERM after saving a resumable checkpoint. */
    static final int INTERRUPTED = 130;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        if (sampleLength < 0 || sampleEvery < 0 || checkpointEvery < 1) {
            throw new IllegalArgumentException("--sample-length and --sample-every must be ≥ 0, --checkpoint-every ≥ 1");
        }
        if (checkpointEverySteps < 0 || !(checkpointEveryMinutes >= 0) || Double.isInfinite(checkpointEveryMinutes)
                || !(logEvery > 0) || Double.isInfinite(logEvery)) {
            throw new IllegalArgumentException("--checkpoint-every-steps and --checkpoint-every-minutes must be ≥ 0"
                    + " (0: off), --log-every > 0 seconds");
        }
        if (resume != null && !spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            out = resume; // a resumed run goes on writing where it was, as the interruption message promises
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        LearningRateSchedule schedule = lrSchedule != null ? Schedules.parse(lrSchedule)
                : lrDecay != null ? new LearningRateSchedule.StepDecay(lrDecay, lrDecayAfter)
                : new LearningRateSchedule.Constant();
        if (warmup > 0) {
            schedule = new LearningRateSchedule.Warmup(warmup, schedule);
        }
        if (weightDecay != null && optimizerOpts.containsKey("weight_decay")) {
            throw new IllegalArgumentException("give the weight decay once: --weight-decay or --optimizer-opt weight_decay=WD");
        }
        TrainingConfig.Builder builder = TrainingConfig.builder().optBatch(batch).optSteps(steps).optLearningRate(lr)
                .optClip(clip).optClipMode(ClipMode.parse(clipMode)).optEpochs(epochs)
                .optSampling(Sampling.parse(sampling)).optSchedule(schedule).optSeed(seed)
                .optMaxBadSteps(maxBadSteps).optValEverySteps(valEverySteps).optValMaxTokens(valMaxTokens);
        // On --resume without --optimizer, the options are checked against the checkpoint's optimizer (Resume).
        if (resume == null || spec.commandLine().getParseResult().hasMatchedOption("--optimizer")) {
            builder.optOptimizer(optimizer, optimizerOpts);
            if (weightDecay != null) {
                builder.optWeightDecay(weightDecay);
            }
        }
        TrainingConfig config = builder.build();
        // Resuming, the cell is the checkpoint's unless --cell names one: its settings are checked then.
        ModelConfig modelConfig = resume == null ? modelConfig(cell) : null;

        try (Backend backend = run.createBackend()) {
            ModelFile.Loaded resumed = null;
            if (resume != null) {
                resumed = ModelFile.load(resume.resolve("model.safetensors"), backend);
                if (!resumed.resumable()) {
                    throw new IllegalArgumentException("--resume " + resume + ": " + resume.resolve("model.safetensors")
                            + " was saved for inference only (weights, vocabulary and cell, no optimizer state or "
                            + "training progress); it can be used by 'rnn generate' and 'rnn eval', but not resumed");
                }
                config = Resume.config(spec, config, resumed, optimizerOpts, weightDecay);
                String savedCell = resumed.model().config().cell();
                modelConfig = Resume.modelConfig(spec, modelConfig(spec.commandLine().getParseResult()
                        .hasMatchedOption("--cell") ? cell : savedCell), givenCellKeys(), resumed);
                Resume.input(spec, input, resumed.metadata());
                valFraction = Resume.valFraction(spec, valFraction, resumed.metadata());
            }
            InputOptions.Loaded loaded = input.load();
            Corpus corpus = loaded.corpus();
            Corpus.Split split = corpus.split(valFraction);
            int[] samplePrefix = samplePrefix(corpus, split);
            int v = corpus.vocabulary().size();
            boolean hasValidation = split.validationTokens().length() >= 2;
            TokenIds evaluated = config.evaluatedPrefix(split.validationTokens());
            // Fit on the training split, scored where the model is: the evaluated validation tokens, or the
            // training split when there is no validation split.
            Baselines baselines = Baselines.measure(split.trainTokens(), hasValidation ? evaluated : split.trainTokens(), v);

            LanguageModel model;
            if (resumed != null) {
                if (!resumed.model().vocabulary().equals(corpus.vocabulary())) {
                    throw new IllegalArgumentException("--resume " + resume + ": the checkpoint's vocabulary ("
                            + resumed.model().vocabulary().size() + " tokens) does not match this corpus's (" + v + ")");
                }
                model = resumed.model();
            } else {
                model = new LanguageModel(corpus.vocabulary(), corpus.tokenizer(), modelConfig, backend, config.seed());
            }
            Trainer trainer = new Trainer(model, config, split.trainTokens(), split.validationTokens());
            // A stop keeps the updates of the epoch in progress, so that the checkpoint saved on SIGTERM loses none.
            trainer.keepPartialEpochOnStop(true);
            if (resumed != null) {
                trainer.restore(resumed.progress());
            }
            stdout.printf(Locale.ROOT, "corpus %s: %,d tokens, vocabulary %d (%s tokens); train %,d, validation %,d%s%n",
                    input.describe(), corpus.length(), v, corpus.tokenizer().id(), split.trainTokens().length(),
                    split.validationTokens().length(), evaluated.length() < split.validationTokens().length()
                            ? String.format(Locale.ROOT, " (its first %,d evaluated)", evaluated.length()) : "");
            stdout.printf(Locale.ROOT, "baselines on the %s split: uniform %.2f, unigram %.2f, bigram %.2f%s%n",
                    hasValidation ? "validation" : "training", baselines.uniform(), baselines.unigram(),
                    baselines.bigram(), loaded.optimumPerplexity() == null ? ""
                            : String.format(Locale.ROOT, "; true optimum %.4f", loaded.optimumPerplexity()));
            stdout.printf(Locale.ROOT, "model %s hidden %d × %d layer(s), %,d parameters; %s lr %s; backend %s, %d thread(s)%s%n",
                    describeCell(model), modelConfig.hidden(), modelConfig.layers(),
                    parameterCount(model), config.optimizer(), config.learningRate(), backend.name(), backend.threads(),
                    resumed == null ? "" : "; resuming " + where(trainer));
            stdout.flush();

            Map<String, String> runInfo = new LinkedHashMap<>();
            runInfo.put("source", input.describe());
            runInfo.put("max_tokens", input.maxTokens == null ? "" : Integer.toString(input.maxTokens));
            runInfo.put("min_freq", Integer.toString(input.minFreq));
            runInfo.put("val_fraction", Double.toString(valFraction));
            runInfo.put("lenient", Boolean.toString(input.lenient));
            RunFiles files = new RunFiles(out, model, config, modelConfig, input, valFraction, backend, baselines,
                    loaded.optimumPerplexity(), corpus, trainer, runInfo);

            int total = config.epochs();
            int every = sampleEvery > 0 ? sampleEvery : Math.max(1, total / 10);
            Generator generator = new Generator(model);
            Rng sampleRng = new Rng(config.seed());
            Progress progress = new Progress(spec.commandLine().getErr(), total, logEvery);
            Checkpoints checkpoints = new Checkpoints(files, checkpointEverySteps, checkpointEveryMinutes);
            Interruption interruption = Interruption.install(trainer);
            boolean completed;
            try {
                completed = trainer.run(new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int done, int all, double ppl, double tps) {
                        progress.batch(epoch, done, all, ppl, tps);
                        checkpoints.afterStep(trainer.globalStep(), epoch, done);
                    }

                    @Override
                    public void onValidation(StepStats s) {
                        progress.validation(s);
                    }

                    @Override
                    public void onEpoch(EpochStats s) {
                        if (s.epoch() % every == 0 || s.epoch() == total) {
                            progress.clear();
                            String sample = sampleLength == 0 ? "" : "  " + sample(generator, samplePrefix, corpus, sampleRng);
                            stdout.printf(Locale.ROOT, "epoch %d  train %.3f  val %s  %,.0f tokens/s%s%n", s.epoch(),
                                    s.trainPerplexity(), Double.isNaN(s.valPerplexity()) ? "-"
                                            : String.format(Locale.ROOT, "%.3f", s.valPerplexity()),
                                    s.tokensPerSecond(), sample);
                            stdout.flush();
                        }
                        boolean periodic = s.epoch() % checkpointEvery == 0;
                        files.afterEpoch(s, periodic);
                        if (periodic) {
                            checkpoints.saved();
                        }
                    }
                });
                progress.clear();
                files.saveAll();
            } catch (RuntimeException | Error | java.io.IOException e) {
                interruption.done(); // not a signal: the hook must not wait for a checkpoint
                throw e;
            }
            if (!completed) {
                Trainer.Position at = trainer.position();
                stdout.printf(Locale.ROOT, "interrupted: saved a resumable checkpoint after epoch %d%s to %s; continue with: rnn train --resume %s%n",
                        trainer.history().size(), at == null ? ""
                                : String.format(Locale.ROOT, ", batch %,d of epoch %d", at.nextBatch(), at.epoch()), out, out);
                stdout.flush();
                interruption.done();
                return INTERRUPTED;
            }
            interruption.done();
            var history = trainer.history();
            EpochStats last = history.get(history.size() - 1);
            double meanTps = history.stream().mapToDouble(EpochStats::tokensPerSecond).average().orElse(0);
            stdout.printf(Locale.ROOT, "perplexity %.1f, %.1f tokens/sec on %s%n", last.trainPerplexity(), meanTps, backend.name());
            if (!Double.isNaN(last.valPerplexity())) {
                stdout.printf(Locale.ROOT, "validation perplexity %.3f (bigram %.3f, unigram %.3f, uniform %.0f%s)%n",
                        last.valPerplexity(), baselines.bigram(), baselines.unigram(), baselines.uniform(),
                        loaded.optimumPerplexity() == null ? ""
                                : String.format(Locale.ROOT, ", true optimum %.4f", loaded.optimumPerplexity()));
            }
            if (sampleLength > 0) {
                stdout.println(sample(generator, samplePrefix, corpus, sampleRng));
            }
            stdout.println("wrote " + out.resolve("model.safetensors") + ", " + out.resolve("metrics.json") + ", "
                    + out.resolve("curve.svg"));
            return 0;
        }
    }

    /**
     * The prefix as token ids, checked once: unknown tokens (characters, or words with {@code --tokens
     * word}) are dropped with one warning. A prefix with no known token is a usage error when given with
     * {@code --prefix}; the default prefix is replaced by the corpus's first tokens instead (e.g. a
     * Markov source has no "time traveller").
     */
    private int[] samplePrefix(Corpus corpus, Corpus.Split split) {
        var vocab = corpus.vocabulary();
        if (prefix == null && !"timemachine".equals(input.describe())) {
            return corpusPrefix(corpus, split);
        }
        String text = prefix == null ? TIME_MACHINE_PREFIX : prefix;
        String unit = corpus.tokenizer().unit();
        java.util.List<String> tokens = corpus.tokenizer().tokens(text);
        int[] ids = tokens.stream().mapToInt(vocab::index).filter(i -> i != 0).toArray();
        if (ids.length == 0) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--prefix")) {
                throw new IllegalArgumentException("--prefix '" + text + "' has no " + unit + " of this corpus's vocabulary"
                        + (tokens.isEmpty() ? " (it is empty after the " + corpus.tokenizer().id() + " tokenizer)" : ""));
            }
            ids = first(corpus.tokens(), 10);
            System.getLogger("rnn.cli").log(System.Logger.Level.WARNING, "--prefix ''" + text
                    + "'' has no " + unit + " of this corpus; samples continue its first " + unit + "s ''"
                    + vocab.decode(ids) + "'' instead");
        } else if (ids.length < tokens.size()) {
            System.getLogger("rnn.cli").log(System.Logger.Level.WARNING, unit + "s of --prefix ''" + text
                    + "'' that are not in the vocabulary are left out of the samples");
        }
        return ids;
    }

    /**
     * The default prefix on any corpus but timemachine: the first known tokens of the validation split (of
     * the training split when there is no validation split), so that samples start the way the held-out
     * text does, in its own alphabet or words.
     */
    private static int[] corpusPrefix(Corpus corpus, Corpus.Split split) {
        TokenIds text = split.validationTokens().length() > 0 ? split.validationTokens() : split.trainTokens();
        int want = corpus.tokenizer().wordLevel() ? DEFAULT_PREFIX_WORDS : DEFAULT_PREFIX_CHARACTERS;
        int[] ids = java.util.stream.LongStream.range(0, text.length()).mapToInt(text::get).filter(i -> i != 0)
                .limit(want).toArray();
        return ids.length > 0 ? ids : first(corpus.tokens(), want);
    }

    private static int[] first(TokenIds ids, int n) {
        return ids.slice(0, Math.min(n, ids.length())).toArray();
    }

    private String sample(Generator generator, int[] prefixIds, Corpus corpus, Rng rng) {
        int[] ids = generator.continueIds(prefixIds, sampleLength, new Decoding.Greedy(), rng);
        return corpus.vocabulary().decode(ids);
    }

    /** Where a restored trainer stands, for the start line. */
    private static String where(Trainer trainer) {
        Trainer.Position at = trainer.position();
        return at == null ? "after epoch " + trainer.history().size()
                : String.format(Locale.ROOT, "in epoch %d after batch %,d", at.epoch(), at.nextBatch());
    }

    private java.util.Set<String> givenCellKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>(cellOpts.keySet());
        if (forgetBias != null) {
            keys.add("forget_bias");
        }
        return keys;
    }

    private ModelConfig modelConfig(String given) {
        String cellName = Cells.forName(given).name(); // as the provider spells it
        return new ModelConfig(cellName, cellOptions(cellName, cellOpts, forgetBias), hidden, layers,
                ModelConfig.parseInit(init), dropout, embedding);
    }

    /**
     * The cell's hyperparameters from {@code --cell-opt} (and {@code --forget-bias}), checked against
     * its provider: an unknown cell, an unknown key or a bad value fails here, before anything is written.
     */
    static Map<String, Double> cellOptions(String cell, Map<String, String> opts, Double forgetBias) {
        Map<String, Object> given = new LinkedHashMap<>(opts);
        if (forgetBias != null && given.put("forget_bias", forgetBias) != null) {
            throw new IllegalArgumentException("--forget-bias and --cell-opt forget_bias are the same setting; give one");
        }
        return Cells.resolve(Cells.forName(cell), given);
    }

    /** The cell's name and its settings, if it has any, e.g. {@code lstm (forget_bias=1.0)}. */
    static String describeCell(LanguageModel model) {
        Map<String, Double> options = model.net().cellOptions();
        return model.net().cell().name() + (options.isEmpty() ? "" : " (" + Hyperparameter.format(options) + ")");
    }

    static long parameterCount(LanguageModel model) {
        return model.net().parameters().stream().mapToLong(p -> p.size()).sum();
    }
}
