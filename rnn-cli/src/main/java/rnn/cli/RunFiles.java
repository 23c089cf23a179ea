package rnn.cli;

import java.io.IOException;
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
import rnn.lm.train.ModelConfig;
import rnn.lm.train.TrainingConfig;

/**
 * The files a training run leaves in {@code --out}: {@code metrics.json} (a stable, documented
 * interface, see the README) and {@code curve.svg}. Each is written atomically.
 */
final class RunFiles {

    static final String METRICS_SCHEMA = "rnn-jvm/metrics/1";

    private final Path dir;

    RunFiles(Path dir) {
        this.dir = dir;
    }

    void writeMetrics(TrainingConfig c, ModelConfig m, InputOptions input, double valFraction, Backend backend,
                      Baselines baselines, Double optimum, List<EpochStats> history, Corpus corpus) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("source", input.describe());
        config.put("tokens", corpus.tokenizer().name().toLowerCase(Locale.ROOT));
        config.put("max_tokens", input.maxTokens);  // null: the source's default
        config.put("corpus_tokens", corpus.ids().length);
        config.put("vocab_size", corpus.vocabulary().size());
        config.put("val_fraction", valFraction);
        config.put("cell", m.cell().name().toLowerCase(Locale.ROOT));
        config.put("hidden", m.hidden());
        config.put("layers", m.layers());
        config.put("init_std", m.initStd());
        config.put("batch", c.batch());
        config.put("steps", c.steps());
        config.put("lr", c.learningRate());
        config.put("clip", c.clip());
        config.put("epochs", c.epochs());
        config.put("sampling", c.sampling().name().toLowerCase(Locale.ROOT));
        config.put("seed", c.seed());
        config.put("max_bad_steps", c.maxBadSteps());

        List<Object> epochs = new ArrayList<>();
        for (EpochStats s : history) {
            epochs.add(epochEntry(s));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", METRICS_SCHEMA);
        root.put("config", config);
        root.put("backend", backend.name());
        root.put("threads", backend.threads());
        root.put("epochs", epochs);
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("uniform", baselines.uniform());
        base.put("unigram", baselines.unigram());
        base.put("bigram", baselines.bigram());
        root.put("baselines", base);
        root.put("optimum_perplexity", optimum);
        root.put("final", history.isEmpty() ? null : epochEntry(history.get(history.size() - 1)));
        AtomicFiles.write(dir.resolve("metrics.json"), Json.write(root));
    }

    private static Map<String, Object> epochEntry(EpochStats s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", s.epoch());
        e.put("train_perplexity", s.trainPerplexity());
        e.put("val_perplexity", s.valPerplexity());
        e.put("tokens_per_second", s.tokensPerSecond());
        e.put("skipped_steps", s.skippedSteps());
        return e;
    }

    void writeCurve(List<EpochStats> history, Baselines baselines, Double optimum) throws IOException {
        AtomicFiles.write(dir.resolve("curve.svg"), PerplexityPlot.svg(history, baselines, optimum));
    }
}
