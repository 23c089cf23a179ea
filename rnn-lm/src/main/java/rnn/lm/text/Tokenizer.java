package rnn.lm.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns text into tokens: characters (one Unicode code point per token, {@link #D2L} and
 * {@link #RAW}) or words ({@link #WORD}).
 */
public enum Tokenizer {

    /**
     * d2l's {@code read_time_machine} followed by {@code tokenize(lines, 'char')} and the flattening
     * in {@code load_corpus_time_machine}: each line becomes {@code re.sub('[^A-Za-z]+', ' ',
     * line).strip().lower()} and the processed lines are concatenated with no separator, so empty
     * lines vanish and a line break between two words leaves no space. Lines end at {@code \n},
     * {@code \r\n} or {@code \r}, as in Python's universal-newline reading.
     */
    D2L {
        @Override
        public int[] tokenize(String text) {
            int[] out = new int[text.length()];
            int n = 0;
            boolean lineHasLetter = false;
            boolean pendingSpace = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r') {
                    // strip(): a trailing run of non-letters is dropped with the line.
                    lineHasLetter = false;
                    pendingSpace = false;
                } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    if (pendingSpace) {
                        out[n++] = ' ';
                        pendingSpace = false;
                    }
                    out[n++] = c | 0x20; // ASCII lower case
                    lineHasLetter = true;
                } else if (lineHasLetter) {
                    // A run of anything else (surrogate halves included) collapses to one space,
                    // written only if a letter follows on the same line.
                    pendingSpace = true;
                }
            }
            return Arrays.copyOf(out, n);
        }
    },

    /** Every code point of the text as it is. */
    RAW {
        @Override
        public int[] tokenize(String text) {
            return text.codePoints().toArray();
        }
    },

    /**
     * d2l's {@code tokenize(lines, 'word')} and the flattening of {@code load_corpus_time_machine}: the
     * same line preprocessing as {@link #D2L} ({@code re.sub('[^A-Za-z]+', ' ', line).strip().lower()}),
     * then each line split on whitespace and the lines' words concatenated. Unlike the character
     * tokens, a line break therefore separates two words. Every maximal run of ASCII letters is one
     * word, lower-cased; a word never contains whitespace.
     */
    WORD {
        @Override
        public int[] tokenize(String text) {
            throw new UnsupportedOperationException("word tokens are not code points: use tokens(text)");
        }

        @Override
        public List<String> tokens(String text) {
            List<String> out = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    word.append((char) (c | 0x20)); // ASCII lower case
                } else if (!word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            }
            if (!word.isEmpty()) {
                out.add(word.toString());
            }
            return out;
        }

        @Override
        public boolean wordLevel() {
            return true;
        }
    };

    /**
     * The tokens of {@code text} as code points, for the character tokenizers.
     *
     * @throws UnsupportedOperationException for {@link #WORD}, whose tokens are not code points
     */
    public abstract int[] tokenize(String text);

    /**
     * The tokens of {@code text} as strings: one code point each for the character tokenizers (as
     * {@link #tokenize}), one word each for {@link #WORD}.
     */
    public List<String> tokens(String text) {
        int[] cps = tokenize(text);
        List<String> out = new ArrayList<>(cps.length);
        for (int cp : cps) {
            out.add(Character.toString(cp));
        }
        return out;
    }

    /** Whether the tokens are words (joined with single spaces when decoded) rather than characters. */
    public boolean wordLevel() {
        return false;
    }

    /** What one token is, for messages: {@code character} or {@code word}. */
    public String unit() {
        return wordLevel() ? "word" : "character";
    }

    /** The lower-case name used on the command line and in checkpoints ({@code d2l}, {@code raw}, {@code word}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    /** Parses {@code d2l}, {@code raw} or {@code word} (any case). */
    public static Tokenizer parse(String name) {
        if (name != null) {
            for (Tokenizer t : values()) {
                if (t.id().equalsIgnoreCase(name.strip())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown tokenizer '" + name + "': choose d2l, raw or word");
    }
}
