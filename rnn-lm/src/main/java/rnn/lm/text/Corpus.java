package rnn.lm.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A tokenized text as ids of its own vocabulary, like d2l's {@code load_corpus_time_machine}.
 *
 * @param source where the text came from (a path, a dataset name or a Markov spec), for messages
 * @param tokens the token ids, as compact as the vocabulary allows, possibly more than an array holds
 */
public record Corpus(String source, Tokenizer tokenizer, Vocabulary vocabulary, TokenIds tokens) {

    public Corpus {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(tokens, "tokens");
        if (tokenizer.wordLevel() != vocabulary.words()) {
            throw new IllegalArgumentException("the " + tokenizer.id() + " tokenizer makes " + tokenizer.unit()
                    + "s, but the vocabulary of " + source + " holds " + vocabulary.unit() + "s");
        }
        int v = vocabulary.size();
        long bad = tokens.firstOutside(v);
        if (bad >= 0) {
            throw new IllegalArgumentException("token id " + tokens.get(bad) + " of " + source
                    + " is outside its vocabulary of " + v);
        }
    }

    /** A corpus of ids in an array, shared and not copied: callers must not modify them. */
    public Corpus(String source, Tokenizer tokenizer, Vocabulary vocabulary, int[] ids) {
        this(source, tokenizer, vocabulary, TokenIds.of(Objects.requireNonNull(ids, "ids")));
    }

    /**
     * The token ids as a new array.
     *
     * @throws IllegalStateException if there are more than an array holds: use {@link #tokens()}
     */
    public int[] ids() {
        return tokens.toArray();
    }

    /** Training ids and the validation ids that follow them in the text, sharing the corpus's storage. */
    public record Split(TokenIds trainTokens, TokenIds validationTokens) {
        public Split {
            Objects.requireNonNull(trainTokens, "trainTokens");
            Objects.requireNonNull(validationTokens, "validationTokens");
        }

        /** The training ids as a new array. */
        public int[] train() {
            return trainTokens.toArray();
        }

        /** The validation ids as a new array. */
        public int[] validation() {
            return validationTokens.toArray();
        }
    }

    /**
     * Tokenizes a text. As with d2l's {@code max_tokens}, a positive {@code maxTokens} keeps the
     * first tokens only, and the vocabulary is built from what is kept.
     *
     * @throws DataException if no token is left
     */
    public static Corpus fromText(String source, String text, Tokenizer tokenizer, int maxTokens) {
        return fromText(source, text, tokenizer, maxTokens, 1);
    }

    /**
     * Tokenizes a text. As with d2l's {@code max_tokens}, a positive {@code maxTokens} keeps the first
     * tokens (characters or words) only, and the vocabulary is built from what is kept; as with d2l's
     * {@code min_freq}, tokens that occur fewer than {@code minFreq} times in what is kept get no index
     * of their own and become {@code <unk>} (id 0).
     *
     * @throws DataException if no token is left
     * @throws IllegalArgumentException if {@code minFreq < 1}, or no token occurs {@code minFreq} times
     */
    public static Corpus fromText(String source, String text, Tokenizer tokenizer, int maxTokens, int minFreq) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (minFreq < 1) {
            throw new IllegalArgumentException("the minimum frequency must be ≥ 1, got " + minFreq);
        }
        Vocabulary vocabulary;
        int[] ids;
        if (tokenizer.wordLevel()) {
            List<String> tokens = tokenizer.tokens(text);
            if (maxTokens > 0 && tokens.size() > maxTokens) {
                tokens = tokens.subList(0, maxTokens);
            }
            checkNotEmpty(source, tokens.size(), tokenizer);
            vocabulary = Vocabulary.buildWords(tokens, minFreq, List.of());
            ids = vocabulary.encode(tokens);
        } else {
            int[] tokens = tokenizer.tokenize(text);
            if (maxTokens > 0 && tokens.length > maxTokens) {
                tokens = Arrays.copyOf(tokens, maxTokens);
            }
            checkNotEmpty(source, tokens.length, tokenizer);
            vocabulary = Vocabulary.build(tokens, minFreq);
            ids = vocabulary.encode(tokens);
        }
        checkSomeFrequent(source, vocabulary, tokenizer, minFreq);
        return new Corpus(source, tokenizer, vocabulary, TokenIds.compact(ids, vocabulary.size()));
    }

    static void checkSomeFrequent(String source, Vocabulary vocabulary, Tokenizer tokenizer, int minFreq) {
        if (vocabulary.size() == 1) {
            throw new IllegalArgumentException("no " + tokenizer.unit() + " of " + source + " occurs at least "
                    + minFreq + " times, so every token would be " + Vocabulary.UNKNOWN + ": lower the minimum frequency");
        }
    }

    static void checkNotEmpty(String source, long tokens, Tokenizer tokenizer) {
        if (tokens == 0) {
            throw new DataException(source + " has no tokens after the " + tokenizer.id() + " tokenizer"
                    + (tokenizer != Tokenizer.RAW ? " (it keeps only the letters A-Z and a-z)" : ""));
        }
    }

    /**
     * Reads a UTF-8 text file. Malformed UTF-8 is an error naming the byte offset unless
     * {@code lenient}, which replaces bad bytes with U+FFFD; a binary file is always an error.
     *
     * @throws DataException if the file is missing, unreadable, binary, not UTF-8 or has no tokens
     */
    public static Corpus fromFile(Path path, Tokenizer tokenizer, int maxTokens, boolean lenient) {
        return fromFile(path, tokenizer, maxTokens, 1, lenient);
    }

    /**
     * Reads a UTF-8 text file as {@link #fromFile(Path, Tokenizer, int, boolean)} does, keeping tokens
     * that occur at least {@code minFreq} times as {@link #fromText(String, String, Tokenizer, int, int)} does,
     * with the token cache of the default data home ({@link Datasets#dataHome(String)}).
     */
    public static Corpus fromFile(Path path, Tokenizer tokenizer, int maxTokens, int minFreq, boolean lenient) {
        return fromFile(path, tokenizer, maxTokens, minFreq, lenient, new Datasets(Datasets.dataHome(null)).tokenCache());
    }

    /**
     * Reads a UTF-8 text file, giving what {@link #fromText(String, String, Tokenizer, int, int)} gives for its
     * text, without ever holding the text: it is streamed twice (counting, then encoding), and the ids go
     * on the heap, one byte per token for up to 256 types. Ids that the heap could not hold (or more than
     * 2³¹ of them) go to a file in {@code tokenCache}, named by the text's hash and the settings, and are
     * memory-mapped from there; a later load of the same text finds them without tokenizing again. The
     * system property {@code rnn.tokenCache} ({@code auto}, {@code always}, {@code never}) overrides the
     * choice. Loading a large file logs its progress (logger {@code rnn.lm}).
     *
     * @param tokenCache where token cache files are kept, e.g. {@link Datasets#tokenCache()}; made if needed
     * @throws DataException if the file is missing, unreadable, binary, not UTF-8, has no tokens or changes
     *     while it is read, or the token cache cannot be written
     * @throws IllegalArgumentException if {@code minFreq < 1}, or no token occurs {@code minFreq} times
     */
    public static Corpus fromFile(Path path, Tokenizer tokenizer, int maxTokens, int minFreq, boolean lenient,
            Path tokenCache) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(tokenCache, "tokenCache");
        if (minFreq < 1) {
            throw new IllegalArgumentException("the minimum frequency must be ≥ 1, got " + minFreq);
        }
        return new CorpusReader(path, tokenizer, maxTokens, minFreq, lenient, tokenCache).read();
    }

    /**
     * The same text as ids of another vocabulary, such as a trained model's: a token that vocabulary lacks
     * becomes {@code <unk>}. This corpus itself if the vocabularies are equal; else new ids of the
     * narrowest width for {@code other}, on the heap, made without copying the text into an int array.
     *
     * @throws IllegalArgumentException if one vocabulary holds words and the other characters
     * @throws DataException if there are more ids than one array holds
     */
    public Corpus withVocabulary(Vocabulary other) {
        Objects.requireNonNull(other, "other");
        if (other.words() != vocabulary.words()) {
            throw new IllegalArgumentException("the text " + source + " is in " + vocabulary.unit() + "s, the vocabulary"
                    + " holds " + other.unit() + "s");
        }
        if (other.equals(vocabulary)) {
            return this;
        }
        int[] map = new int[vocabulary.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = other.index(vocabulary.token(i));
        }
        long n = tokens.length();
        if (n > CorpusReader.MAX_ARRAY) {
            throw new DataException(String.format(Locale.ROOT, "%s has %,d tokens, more than can be"
                    + " re-encoded in memory for another vocabulary", source, n));
        }
        int width = TokenIds.widthFor(other.size());
        MemorySegment out = switch (width) {
            case 1 -> MemorySegment.ofArray(new byte[(int) n]);
            case 2 -> MemorySegment.ofArray(new char[(int) n]);
            default -> MemorySegment.ofArray(new int[(int) n]);
        };
        int[] buf = new int[1 << 16];
        for (long at = 0; at < n; at += buf.length) {
            int k = (int) Math.min(buf.length, n - at);
            tokens.copyTo(at, buf, 0, k);
            for (int i = 0; i < k; i++) {
                int id = map[buf[i]];
                switch (width) {
                    case 1 -> out.set(ValueLayout.JAVA_BYTE, at + i, (byte) id);
                    case 2 -> out.set(ValueLayout.JAVA_CHAR_UNALIGNED, 2 * (at + i), (char) id);
                    default -> out.set(ValueLayout.JAVA_INT_UNALIGNED, 4 * (at + i), id);
                }
            }
        }
        return new Corpus(source, tokenizer, other, new SegmentTokens(out, width, other.size()));
    }

    /** The number of tokens. */
    public long length() {
        return tokens.length();
    }

    /**
     * Splits off the last {@code valFraction} of the ids (rounded down) for validation, so that
     * validation text follows training text as in a held-out tail; 0 gives no validation.
     */
    public Split split(double valFraction) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + valFraction);
        }
        long n = tokens.length();
        long nVal = (long) Math.floor(n * valFraction);
        return new Split(tokens.slice(0, n - nVal), tokens.slice(n - nVal, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Corpus c && source.equals(c.source) && tokenizer == c.tokenizer
                && vocabulary.equals(c.vocabulary) && TokenIds.sameIds(tokens, c.tokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, tokenizer, vocabulary, tokens.length());
    }

    @Override
    public String toString() {
        return "Corpus[" + source + ", " + tokenizer.id() + ", " + tokens.length() + " tokens, vocabulary "
                + vocabulary.size() + "]";
    }
}
