package rnn.lm;

import java.nio.file.Path;
import java.util.Objects;

import rnn.lm.text.Corpus;
import rnn.lm.text.Datasets;
import rnn.lm.text.MarkovSource;
import rnn.lm.text.Tokenizer;

/**
 * Where training text comes from, as {@code rnn train} takes it: a UTF-8 file ({@code --corpus}), a
 * string, or a dataset the command line knows ({@code --dataset}: {@code timemachine}, or a synthetic
 * {@code markov:order=K,vocab=V,seed=S}). Immutable; the {@code with*} methods return a changed copy.
 *
 * <p>Text is tokenized as by {@code --tokens}: {@code d2l} (the default: lower-case letters, and one space
 * for every run of anything else) or {@code raw} (every code point). A synthetic source is always raw.
 */
public final class TextSource {

    private enum Kind { FILE, TEXT, DATASET, MARKOV }

    private final Kind kind;
    private final String name;
    private final Path file;
    private final String text;
    private final Tokenizer tokens;
    private final Integer maxTokens;
    private final boolean lenient;
    private final Path dataHome;

    private TextSource(Kind kind, String name, Path file, String text, Tokenizer tokens, Integer maxTokens,
                       boolean lenient, Path dataHome) {
        this.kind = kind;
        this.name = name;
        this.file = file;
        this.text = text;
        this.tokens = tokens;
        this.maxTokens = maxTokens;
        this.lenient = lenient;
        this.dataHome = dataHome;
    }

    /** A UTF-8 text file, read when training starts; all of it unless {@link #withMaxTokens} says otherwise. */
    public static TextSource file(Path file) {
        Objects.requireNonNull(file, "file");
        return new TextSource(Kind.FILE, file.toString(), file, null, null, null, false, null);
    }

    /** A text in memory, e.g. a resource the application carries. */
    public static TextSource text(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("the training text is blank");
        }
        return new TextSource(Kind.TEXT, "text", null, text, null, null, false, null);
    }

    /**
     * A dataset by name: {@code timemachine} (downloaded once into the data home, then verified; its first
     * 10,000 tokens unless {@link #withMaxTokens} says otherwise, as d2l does) or
     * {@code markov:order=K,vocab=V,seed=S} (100,000 generated tokens unless told otherwise).
     *
     * @throws IllegalArgumentException for a name no dataset has
     */
    public static TextSource dataset(String name) {
        Checks.notBlank(name, "dataset name");
        String n = name.strip();
        if (MarkovSource.isSpec(n)) {
            MarkovSource.parse(n); // checked now
            return new TextSource(Kind.MARKOV, n, null, null, null, null, false, null);
        }
        Datasets.lookup(n); // an unknown name fails now, with the known ones
        return new TextSource(Kind.DATASET, n, null, null, null, null, false, null);
    }

    /** Tokenizes with {@code d2l} or {@code raw}, like {@code --tokens}. */
    public TextSource withTokens(String tokenizer) {
        Checks.notBlank(tokenizer, "tokenizer");
        Tokenizer t = Tokenizer.parse(tokenizer);
        if (kind == Kind.MARKOV && t != Tokenizer.RAW) {
            throw new IllegalArgumentException("a synthetic source (" + name + ") is tokenized raw, not " + t.id());
        }
        return new TextSource(kind, name, file, text, t, maxTokens, lenient, dataHome);
    }

    /** Keeps only the first {@code n} tokens (for a synthetic source: generates {@code n}); 0 keeps all. */
    public TextSource withMaxTokens(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("max tokens must be ≥ 0 (0 keeps all), got " + n);
        }
        return new TextSource(kind, name, file, text, tokens, n, lenient, dataHome);
    }

    /** Replaces malformed UTF-8 in a file with U+FFFD instead of failing, like {@code --lenient}. */
    public TextSource withLenient(boolean replaceMalformed) {
        return new TextSource(kind, name, file, text, tokens, maxTokens, replaceMalformed, dataHome);
    }

    /**
     * Keeps downloaded datasets in {@code dir}, like {@code --data-home}; else {@code $RNN_DATA_HOME}, else
     * {@code ~/.cache/rnn-jvm/data}.
     */
    public TextSource withDataHome(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (kind != Kind.DATASET) {
            throw new IllegalArgumentException("a data home is for a downloaded dataset, not " + this);
        }
        return new TextSource(kind, name, file, text, tokens, maxTokens, lenient, dir);
    }

    /** What {@code rnn train} would print as the corpus: the path, the dataset name or {@code text}. */
    @Override
    public String toString() {
        return name;
    }

    /** The tokenized text and, for a synthetic source, its true optimum perplexity (else NaN). */
    record Loaded(Corpus corpus, double optimumPerplexity) {
    }

    /** Reads, downloads or generates the text now. */
    Loaded load() {
        Tokenizer tokenizer = tokens != null ? tokens : kind == Kind.MARKOV ? Tokenizer.RAW : Tokenizer.D2L;
        Datasets datasets = new Datasets(dataHome != null ? dataHome : Datasets.dataHome(null));
        return switch (kind) {
            case FILE -> new Loaded(Corpus.fromFile(file, tokenizer, maxTokens == null ? 0 : maxTokens, 1, lenient,
                    datasets.tokenCache()), Double.NaN);
            case TEXT -> new Loaded(Corpus.fromText(name, text, tokenizer, maxTokens == null ? 0 : maxTokens), Double.NaN);
            case DATASET -> {
                Path path = datasets.fetch(name);
                int max = maxTokens != null ? maxTokens : name.equals(Datasets.TIME_MACHINE.name()) ? 10_000 : 0;
                yield new Loaded(Corpus.fromFile(path, tokenizer, max, 1, lenient, datasets.tokenCache()), Double.NaN);
            }
            case MARKOV -> {
                MarkovSource m = MarkovSource.parse(name);
                String generated = m.generate(maxTokens == null || maxTokens == 0 ? 100_000 : maxTokens);
                yield new Loaded(Corpus.fromText(name, generated, tokenizer, 0), m.optimumPerplexity());
            }
        };
    }
}
