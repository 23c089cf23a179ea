package rnn.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.lm.text.Baselines;
import rnn.lm.text.Corpus;
import rnn.lm.text.Vocabulary;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Perplexity;
import rnn.lm.train.TrainingConfig;

/**
 * {@code rnn eval}: a saved model's perplexity on a text, beside the n-gram baselines. The text is
 * split as training splits it (a contiguous tail), so the figures line up with {@code metrics.json}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, description = "Perplexity of a trained model on a text, beside the baselines.")
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by 'rnn train'.")
    Path model;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Report the model on this contiguous tail too, where the baselines are measured. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in (0, 1), got " + valFraction);
        }
        try (Backend backend = run.createBackend()) {
            ModelFile.Loaded loaded = ModelFile.load(model, backend);
            LanguageModel lm = loaded.model();
            input.tokens = lm.tokenizer().id();
            input.minFreq = 1; // every token of the text, then the model's vocabulary decides
            Vocabulary vocab = lm.vocabulary();
            // Re-encoded with the model's vocabulary: tokens it never saw (or saw too rarely) become <unk>.
            Corpus text = input.load().corpus().withVocabulary(vocab);
            Corpus.Split split = text.split(valFraction);
            // Read as training read it; an inference-only file has no training settings: the defaults then.
            TrainingConfig shape = loaded.resumable() ? loaded.config() : TrainingConfig.builder().build();
            int batch = shape.batch(), steps = shape.steps();
            double all = Perplexity.of(lm, text.tokens(), batch, steps);
            double tail = Perplexity.of(lm, split.validationTokens(), batch, steps);
            Baselines b = Baselines.measure(split.trainTokens(), split.validationTokens(), vocab.size());
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "model %s on %s (%,d tokens, backend %s)%n", model, input.describe(), text.length(),
                    backend.name());
            out.printf(Locale.ROOT, "perplexity %.4f on the whole text, %.4f on the last %.0f%%%n", all, tail, valFraction * 100);
            out.printf(Locale.ROOT, "baselines on the last %.0f%%: uniform %.2f, unigram %.2f, bigram %.2f%n",
                    valFraction * 100, b.uniform(), b.unigram(), b.bigram());
        }
        return 0;
    }
}
