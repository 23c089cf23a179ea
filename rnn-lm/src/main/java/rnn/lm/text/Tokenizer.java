package rnn.lm.text;

import java.util.Arrays;
import java.util.Locale;

/** Turns text into character tokens, one Unicode code point per token. */
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
    };

    /** The tokens of {@code text} as code points. */
    public abstract int[] tokenize(String text);

    /** The lower-case name used on the command line and in checkpoints ({@code d2l}, {@code raw}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    /** Parses {@code d2l} or {@code raw} (any case). */
    public static Tokenizer parse(String name) {
        if (name != null) {
            for (Tokenizer t : values()) {
                if (t.id().equalsIgnoreCase(name.strip())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown tokenizer '" + name + "': choose d2l or raw");
    }
}
