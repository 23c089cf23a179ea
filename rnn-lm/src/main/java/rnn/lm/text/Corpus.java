package rnn.lm.text;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tokenized text as ids of its own vocabulary, like d2l's {@code load_corpus_time_machine}.
 *
 * @param source where the text came from (a path, a dataset name or a Markov spec), for messages
 * @param ids the token ids, shared and not copied: callers must not modify them
 */
public record Corpus(String source, Tokenizer tokenizer, Vocabulary vocabulary, int[] ids) {

    public Corpus {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(ids, "ids");
        int v = vocabulary.size();
        for (int id : ids) {
            if (id < 0 || id >= v) {
                throw new IllegalArgumentException("token id " + id + " of " + source
                        + " is outside its vocabulary of " + v);
            }
        }
    }

    /** Training ids and the validation ids that follow them in the text. */
    public record Split(int[] train, int[] validation) {
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
        }
    }

    /**
     * Tokenizes a text. As with d2l's {@code max_tokens}, a positive {@code maxTokens} keeps the
     * first tokens only, and the vocabulary is built from what is kept.
     *
     * @throws DataException if no token is left
     */
    public static Corpus fromText(String source, String text, Tokenizer tokenizer, int maxTokens) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokenizer, "tokenizer");
        int[] tokens = tokenizer.tokenize(text);
        if (maxTokens > 0 && tokens.length > maxTokens) {
            tokens = Arrays.copyOf(tokens, maxTokens);
        }
        if (tokens.length == 0) {
            throw new DataException(source + " has no tokens after the " + tokenizer.id() + " tokenizer"
                    + (tokenizer == Tokenizer.D2L ? " (it keeps only the letters A-Z and a-z)" : ""));
        }
        Vocabulary vocabulary = Vocabulary.build(tokens);
        return new Corpus(source, tokenizer, vocabulary, vocabulary.encode(tokens));
    }

    /**
     * Reads a UTF-8 text file. Malformed UTF-8 is an error naming the byte offset unless
     * {@code lenient}, which replaces bad bytes with U+FFFD; a binary file is always an error.
     *
     * @throws DataException if the file is missing, unreadable, binary, not UTF-8 or has no tokens
     */
    public static Corpus fromFile(Path path, Tokenizer tokenizer, int maxTokens, boolean lenient) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tokenizer, "tokenizer");
        String text = TextFile.read(path, lenient);
        return fromText(path.toString(), text, tokenizer, maxTokens);
    }

    /** The number of tokens. */
    public int length() {
        return ids.length;
    }

    /**
     * Splits off the last {@code valFraction} of the ids (rounded down) for validation, so that
     * validation text follows training text as in a held-out tail; 0 gives no validation.
     */
    public Split split(double valFraction) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + valFraction);
        }
        int nVal = (int) Math.floor(ids.length * valFraction);
        int nTrain = ids.length - nVal;
        return new Split(Arrays.copyOfRange(ids, 0, nTrain), Arrays.copyOfRange(ids, nTrain, ids.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Corpus c && source.equals(c.source) && tokenizer == c.tokenizer
                && vocabulary.equals(c.vocabulary) && Arrays.equals(ids, c.ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, tokenizer, vocabulary, Arrays.hashCode(ids));
    }

    @Override
    public String toString() {
        return "Corpus[" + source + ", " + tokenizer.id() + ", " + ids.length + " tokens, vocabulary "
                + vocabulary.size() + "]";
    }
}
