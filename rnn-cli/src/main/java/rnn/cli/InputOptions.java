package rnn.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;
import rnn.lm.text.Corpus;
import rnn.lm.text.Datasets;
import rnn.lm.text.MarkovSource;
import rnn.lm.text.Tokenizer;

/** Where the text comes from: a registered dataset, a synthetic source, or a file. */
final class InputOptions {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "A registered dataset (timemachine, the default) or a synthetic source markov:order=K,vocab=V,seed=S.")
    String dataset;

    @Option(names = "--corpus", paramLabel = "FILE", description = "A UTF-8 text file (instead of --dataset).")
    Path corpus;

    @Option(names = "--tokens", paramLabel = "d2l|raw|word", defaultValue = "d2l",
            description = "d2l: characters, lowercase letters and one space for every run of other characters; raw: every code point; "
                    + "word: words, the runs of letters lower-cased (d2l's tokenize(lines, 'word')). Default: ${DEFAULT-VALUE}.")
    String tokens;

    @Option(names = "--min-freq", paramLabel = "N", defaultValue = "1",
            description = "Tokens that occur fewer than N times (in the text kept) become <unk>, as d2l's Vocab(min_freq); "
                    + "eval and diagnose --model use the model's vocabulary instead. Default: ${DEFAULT-VALUE}.")
    int minFreq;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Keep only the first N tokens (characters, or words with --tokens word); 0 keeps all. "
                    + "Default: 10000 for timemachine (d2l's setting), all of a --corpus file, 100000 generated for a synthetic source.")
    Integer maxTokens;

    @Option(names = "--data-home", paramLabel = "DIR", description = "Dataset cache, and in its tokens/ the token ids of corpora too large"
            + " for the heap (default: $RNN_DATA_HOME, else ~/.cache/rnn-jvm/data).")
    String dataHome;

    @Option(names = "--lenient", description = "Replace invalid UTF-8 with U+FFFD instead of failing.")
    boolean lenient;

    /** The loaded corpus and, for a synthetic source, its true optimum perplexity. */
    record Loaded(Corpus corpus, Double optimumPerplexity) {
    }

    Loaded load() throws Exception {
        if (maxTokens != null && maxTokens < 0) {
            throw new IllegalArgumentException("--max-tokens must be ≥ 0, got " + maxTokens);
        }
        if (dataset != null && corpus != null) {
            throw new IllegalArgumentException("--dataset and --corpus are mutually exclusive");
        }
        if (minFreq < 1) {
            throw new IllegalArgumentException("--min-freq must be ≥ 1, got " + minFreq);
        }
        Tokenizer tokenizer = Tokenizer.parse(tokens);
        Datasets home = new Datasets(Datasets.dataHome(dataHome));
        if (corpus != null) {
            return new Loaded(Corpus.fromFile(corpus, tokenizer, maxTokens == null ? 0 : maxTokens, minFreq, lenient,
                    home.tokenCache()), null);
        }
        String name = dataset == null ? "timemachine" : dataset;
        if (name.startsWith("markov:")) {
            MarkovSource m = MarkovSource.parse(name);
            String text = m.generate(maxTokens == null || maxTokens == 0 ? 100_000 : maxTokens);
            return new Loaded(Corpus.fromText(name, text, Tokenizer.RAW, 0), m.optimumPerplexity());
        }
        Path file = home.fetch(name);
        int max = maxTokens != null ? maxTokens : name.equals("timemachine") ? 10_000 : 0;
        return new Loaded(Corpus.fromFile(file, tokenizer, max, minFreq, lenient, home.tokenCache()), null);
    }

    String describe() {
        return corpus != null ? corpus.toString() : dataset == null ? "timemachine" : dataset;
    }
}
