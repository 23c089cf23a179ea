package rnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import rnn.api.Backend;
import rnn.lm.checkpoint.AtomicFiles;
import rnn.lm.text.Baselines;
import rnn.lm.text.Corpus;
import rnn.lm.train.EpochStats;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Schedules;
import rnn.lm.train.StepStats;
import rnn.lm.train.Trainer;
import rnn.lm.train.TrainingConfig;

/**
 * The files a training run keeps in {@code --out}: {@code model.safetensors}, {@code best.safetensors}
 * (lowest validation perplexity so far), {@code metrics.json} (a stable, documented interface, see the
 * README) and {@code curve.svg}. Each is written atomically; weights that are not finite are never
 * written over a good model.
 */
final class RunFiles {

    /** Version 2 added {@code steps}, {@code position}, {@code val_every_steps} and {@code val_max_tokens}. */
    static final String METRICS_SCHEMA = "rnn-jvm/metrics/2";
    private static final System.Logger LOG = System.getLogger("rnn.cli");

    private final Path dir;
    private final LanguageModel model;
    private final TrainingConfig config;
    private final ModelConfig modelConfig;
    private final InputOptions input;
    private final double valFraction;
    private final Backend backend;
    private final Baselines baselines;
    private final Double optimum;
    private final Corpus corpus;
    private final Trainer trainer;
    private final Map<String, String> runInfo;
    private double bestValidation;

    RunFiles(Path dir, LanguageModel model, TrainingConfig config, ModelConfig modelConfig, InputOptions input,
             double valFraction, Backend backend, Baselines baselines, Double optimum, Corpus corpus, Trainer trainer,
             Map<String, String> runInfo) {
        this.dir = dir;
        this.model = model;
        this.config = config;
        this.modelConfig = modelConfig;
        this.input = input;
        this.valFraction = valFraction;
        this.backend = backend;
        this.baselines = baselines;
        this.optimum = optimum;
        this.corpus = corpus;
        this.trainer = trainer;
        this.runInfo = runInfo;
        this.bestValidation = trainer.history().stream().mapToDouble(EpochStats::valPerplexity)
                .filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
    }

    /** Keeps the best-validation model, and everything every {@code periodic} epoch. */
    void afterEpoch(EpochStats s, boolean periodic) {
        try {
            if (Double.isFinite(s.valPerplexity()) && s.valPerplexity() < bestValidation) {
                Files.createDirectories(dir);
                ModelFile.save(dir.resolve("best.safetensors"), model, config, trainer, runInfo);
                bestValidation = s.valPerplexity();
            }
            if (periodic) {
                saveAll();
            }
        } catch (IOException | IllegalStateException e) {
            // A failed periodic save loses nothing already on disk; training goes on.
            LOG.log(System.Logger.Level.WARNING, "checkpoint after epoch " + s.epoch() + " not written: " + e.getMessage());
        }
    }

    /** Everything, inside an epoch; a failure is a warning, as for a periodic save at an epoch end. */
    void saveInsideEpoch(int epoch, int batch) {
        try {
            saveAll();
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint at batch " + batch + " of epoch " + epoch + " not written: "
                    + e.getMessage());
        }
    }

    /** The model, metrics and plot as of the trainer's position: the last update, inside an epoch or at its end. */
    void saveAll() throws IOException {
        Files.createDirectories(dir);
        ModelFile.save(dir.resolve("model.safetensors"), model, config, trainer, runInfo);
        List<EpochStats> history = trainer.history();
        AtomicFiles.write(dir.resolve("metrics.json"), Json.write(metrics(history)));
        AtomicFiles.write(dir.resolve("curve.svg"), PerplexityPlot.svg(history, baselines, optimum));
    }

    private Map<String, Object> metrics(List<EpochStats> history) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("source", input.describe());
        c.put("tokens", corpus.tokenizer().id());
        c.put("max_tokens", input.maxTokens);
        c.put("min_freq", input.minFreq);
        c.put("corpus_tokens", corpus.length());
        c.put("vocab_size", corpus.vocabulary().size());
        c.put("val_fraction", valFraction);
        c.put("cell", modelConfig.cell());
        c.put("cell_options", new LinkedHashMap<String, Object>(model.net().cellOptions()));
        c.put("hidden", modelConfig.hidden());
        c.put("layers", modelConfig.layers());
        c.put("init", ModelConfig.formatInit(modelConfig.init()));
        c.put("dropout", modelConfig.dropout());
        c.put("embedding", modelConfig.embedding());
        c.put("forget_bias", model.net().cellOptions().getOrDefault("forget_bias", 0.0));
        c.put("batch", config.batch());
        c.put("steps", config.steps());
        c.put("lr", config.learningRate());
        c.put("clip", config.clip());
        c.put("clip_mode", config.clipMode().id());
        c.put("optimizer", config.optimizer());
        c.put("optimizer_hyperparameters", config.optimizerValues());
        c.put("weight_decay", config.weightDecay());
        c.put("lr_schedule", Schedules.format(config.schedule()));
        c.put("epochs", config.epochs());
        c.put("sampling", config.sampling().id());
        c.put("seed", config.seed());
        c.put("max_bad_steps", config.maxBadSteps());
        c.put("val_every_steps", config.valEverySteps());
        c.put("val_max_tokens", config.valMaxTokens());

        List<Object> epochs = new ArrayList<>();
        history.forEach(s -> epochs.add(entry(s)));
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("uniform", baselines.uniform());
        base.put("unigram", baselines.unigram());
        base.put("bigram", baselines.bigram());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", METRICS_SCHEMA);
        root.put("config", c);
        root.put("backend", backend.name());
        root.put("threads", backend.threads());
        root.put("epochs", epochs);
        List<Object> steps = new ArrayList<>();
        for (StepStats s : trainer.stepHistory()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("step", s.step());
            e.put("epoch", s.epoch());
            e.put("batch", s.batch());
            e.put("train_perplexity", s.trainPerplexity());
            e.put("val_perplexity", s.valPerplexity());
            e.put("tokens_per_second", s.tokensPerSecond());
            steps.add(e);
        }
        root.put("steps", steps);
        Trainer.Position at = trainer.position();
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("global_step", trainer.globalStep());
        position.put("epoch", at == null ? history.size() : at.epoch());
        position.put("batch", at == null ? null : at.nextBatch());
        root.put("position", position);
        root.put("baselines", base);
        root.put("optimum_perplexity", optimum);
        root.put("final", history.isEmpty() ? null : entry(history.get(history.size() - 1)));
        return root;
    }

    private static Map<String, Object> entry(EpochStats s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", s.epoch());
        e.put("train_perplexity", s.trainPerplexity());
        e.put("val_perplexity", s.valPerplexity());
        e.put("tokens_per_second", s.tokensPerSecond());
        e.put("skipped_steps", s.skippedSteps());
        return e;
    }
}
