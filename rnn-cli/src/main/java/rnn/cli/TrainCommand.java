package rnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.nn.CellType;
import rnn.lm.text.Baselines;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;
import rnn.lm.train.Decoding;
import rnn.lm.train.EpochStats;
import rnn.lm.train.Generator;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Trainer;
import rnn.lm.train.TrainingConfig;
import rnn.lm.train.TrainingListener;

/** {@code rnn train}: d2l's {@code train_ch8} with perplexity, baselines, samples and a saved model. */
@Command(name = "train", sortOptions = false,
        description = "Train a character-level language model; the defaults reproduce d2l's from-scratch RNN on timemachine.")
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(validate = false, heading = "Input%n")
    InputOptions input = new InputOptions();

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Contiguous tail held out for validation, in [0, 1); 0 for none. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--cell", defaultValue = "rnn", paramLabel = "rnn", description = "Recurrent cell. Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--hidden", defaultValue = "512", paramLabel = "N", description = "Hidden units per layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N", description = "Stacked recurrent layers. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--steps", defaultValue = "35", paramLabel = "N", description = "BPTT steps (num_steps). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--lr", defaultValue = "1", paramLabel = "LR", description = "SGD learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--clip", defaultValue = "1", paramLabel = "θ", description = "Clip the global gradient norm to θ. Default: ${DEFAULT-VALUE}.")
    double clip;

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
            description = "Writes model.safetensors, metrics.json and curve.svg here. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--prefix", defaultValue = "time traveller", paramLabel = "TEXT",
            description = "Prefix for the samples shown while training. Default: '${DEFAULT-VALUE}'.")
    String prefix;

    @Option(names = "--sample-every", defaultValue = "0", paramLabel = "N",
            description = "Show a sample every N epochs (default: about 10 samples per run).")
    int sampleEvery;

    @Option(names = "--sample-length", defaultValue = "50", paramLabel = "N",
            description = "Characters per sample (d2l: 50). Default: ${DEFAULT-VALUE}.")
    int sampleLength;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        CellType cellType = parseCell(cell);
        TrainingConfig config = new TrainingConfig(batch, steps, lr, clip, epochs, Sampling.parse(sampling), seed,
                run.threads(), maxBadSteps);
        ModelConfig modelConfig = new ModelConfig(cellType, hidden, layers, 0.01);
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        if (sampleLength < 0 || sampleEvery < 0) {
            throw new IllegalArgumentException("--sample-length and --sample-every must be ≥ 0");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        InputOptions.Loaded loaded = input.load();
        Corpus corpus = loaded.corpus();
        Corpus.Split split = corpus.split(valFraction);
        int v = corpus.vocabulary().size();
        Baselines baselines = Baselines.measure(split.train(), split.validation().length >= 2 ? split.validation() : split.train(), v);

        try (Backend backend = run.createBackend()) {
            LanguageModel model = new LanguageModel(corpus.vocabulary(), corpus.tokenizer(), modelConfig, backend, seed);
            Trainer trainer = new Trainer(model, config, split.train(), split.validation());
            stdout.printf(Locale.ROOT, "corpus %s: %,d tokens, vocabulary %d (%s tokens); train %,d, validation %,d%n",
                    input.describe(), corpus.ids().length, v, corpus.tokenizer().name().toLowerCase(Locale.ROOT),
                    split.train().length, split.validation().length);
            stdout.printf(Locale.ROOT, "baselines on the %s split: uniform %.2f, unigram %.2f, bigram %.2f%s%n",
                    split.validation().length >= 2 ? "validation" : "training",
                    baselines.uniform(), baselines.unigram(), baselines.bigram(),
                    loaded.optimumPerplexity() == null ? "" : String.format(Locale.ROOT, "; true optimum %.4f", loaded.optimumPerplexity()));
            stdout.printf(Locale.ROOT, "model %s hidden %d × %d layer(s), %,d parameters; backend %s, %d thread(s)%n",
                    cellType.name().toLowerCase(Locale.ROOT), hidden, layers, parameterCount(model), backend.name(), backend.threads());
            stdout.flush();

            int every = sampleEvery > 0 ? sampleEvery : Math.max(1, epochs / 10);
            Generator generator = new Generator(model);
            Rng sampleRng = new Rng(seed);
            Progress progress = new Progress(spec.commandLine().getErr(), epochs);
            RunFiles files = new RunFiles(out);
            trainer.run(new TrainingListener() {
                @Override
                public void onBatch(int epoch, int done, int total, double ppl, double tps) {
                    progress.batch(epoch, done, total, ppl, tps);
                }

                @Override
                public void onEpoch(EpochStats s) {
                    if (s.epoch() % every == 0 || s.epoch() == epochs) {
                        progress.clear();
                        String sample = sampleLength == 0 ? "" : "  " + generator.continueText(prefix, sampleLength,
                                new Decoding.Greedy(), sampleRng);
                        stdout.printf(Locale.ROOT, "epoch %d  train %.3f  val %s  %,.0f tokens/s%s%n", s.epoch(),
                                s.trainPerplexity(), Double.isNaN(s.valPerplexity()) ? "-" : String.format(Locale.ROOT, "%.3f", s.valPerplexity()),
                                s.tokensPerSecond(), sample);
                        stdout.flush();
                    }
                }
            });
            progress.clear();
            var history = trainer.history();
            EpochStats last = history.get(history.size() - 1);
            Files.createDirectories(out);
            ModelFile.save(out.resolve("model.safetensors"), model, config, trainer, input.describe());
            files.writeMetrics(config, modelConfig, input, valFraction, backend, baselines, loaded.optimumPerplexity(), history, corpus);
            files.writeCurve(history, baselines, loaded.optimumPerplexity());
            double meanTps = history.stream().mapToDouble(EpochStats::tokensPerSecond).average().orElse(0);
            stdout.printf(Locale.ROOT, "perplexity %.1f, %.1f tokens/sec on %s%n", last.trainPerplexity(), meanTps, backend.name());
            if (!Double.isNaN(last.valPerplexity())) {
                stdout.printf(Locale.ROOT, "validation perplexity %.3f (bigram %.3f, unigram %.3f, uniform %.0f%s)%n",
                        last.valPerplexity(), baselines.bigram(), baselines.unigram(), baselines.uniform(),
                        loaded.optimumPerplexity() == null ? "" : String.format(Locale.ROOT, ", true optimum %.4f", loaded.optimumPerplexity()));
            }
            for (String p : new String[] {prefix, "traveller"}) {
                stdout.println(generator.continueText(p, sampleLength, new Decoding.Greedy(), sampleRng));
            }
            stdout.println("wrote " + out.resolve("model.safetensors") + ", " + out.resolve("metrics.json") + ", "
                    + out.resolve("curve.svg"));
            return 0;
        }
    }

    static CellType parseCell(String name) {
        for (CellType c : CellType.values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell '" + name + "'; choose one of "
                + java.util.Arrays.stream(CellType.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    static long parameterCount(LanguageModel model) {
        return model.net().parameters().stream().mapToLong(p -> p.size()).sum();
    }
}
