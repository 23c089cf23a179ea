package rnn.lm.text;

/**
 * A {@link Tokenizer} as a state machine over chunks of decoded text, so that a file is tokenized while
 * it streams by: a line, a word or a surrogate pair may straddle two chunks. Each token comes out as an
 * int key: its code point for the character tokenizers, its index in {@link #words()} for
 * {@link Tokenizer#WORD}. The tokens are exactly those of {@link Tokenizer#tokenize} and
 * {@link Tokenizer#tokens} on the whole text (the property tests check this at every chunk size).
 */
abstract sealed class TokenScanner {

    /** A word longer than this is refused rather than grown without bound: it is not text split into words. */
    static final int MAX_WORD = 1 << 20;

    /** A scanner in its start state. */
    static TokenScanner of(Tokenizer tokenizer, String source) {
        return switch (tokenizer) {
            case D2L -> new D2l();
            case RAW -> new Raw();
            case WORD -> new Words(new WordTable(source), source);
        };
    }

    /** A word scanner that interns into {@code table}, so that a second pass gets the first pass's keys. */
    static TokenScanner words(WordTable table, String source) {
        return new Words(table, source);
    }

    /**
     * Tokenizes {@code c[from, to)}, writing keys from {@code keys[0]}; {@code keys} must hold
     * {@code to - from + 2}.
     *
     * @return the number of keys written
     */
    abstract int scan(char[] c, int from, int to, int[] keys);

    /** The end of the text: writes what is still pending (at most one key). */
    abstract int finish(int[] keys);

    /** The words that keys index, for a word scanner; null for characters. */
    WordTable words() {
        return null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** {@link Tokenizer#D2L}: the same rules, with the line state carried across chunks. */
    private static final class D2l extends TokenScanner {
        private boolean lineHasLetter;
        private boolean pendingSpace;

        @Override
        int scan(char[] c, int from, int to, int[] keys) {
            int n = 0;
            boolean letterSeen = lineHasLetter;
            boolean space = pendingSpace;
            for (int i = from; i < to; i++) {
                char ch = c[i];
                if (isAsciiLetter(ch)) {
                    if (space) {
                        keys[n++] = ' ';
                        space = false;
                    }
                    keys[n++] = ch | 0x20;
                    letterSeen = true;
                } else if (ch == '\n' || ch == '\r') {
                    letterSeen = false;
                    space = false;
                } else if (letterSeen) {
                    space = true;
                }
            }
            lineHasLetter = letterSeen;
            pendingSpace = space;
            return n;
        }

        @Override
        int finish(int[] keys) {
            return 0; // strip(): a trailing run of non-letters is dropped
        }
    }

    /** {@link Tokenizer#RAW}: code points as {@link String#codePoints()} gives them, a lone surrogate as itself. */
    private static final class Raw extends TokenScanner {
        /** A high surrogate that ended the last chunk, or 0. */
        private char high;

        @Override
        int scan(char[] c, int from, int to, int[] keys) {
            int n = 0;
            int i = from;
            if (high != 0 && i < to) {
                if (Character.isLowSurrogate(c[i])) {
                    keys[n++] = Character.toCodePoint(high, c[i++]);
                } else {
                    keys[n++] = high;
                }
                high = 0;
            }
            for (; i < to; i++) {
                char ch = c[i];
                if (Character.isHighSurrogate(ch)) {
                    if (i + 1 == to) {
                        high = ch;
                    } else if (Character.isLowSurrogate(c[i + 1])) {
                        keys[n++] = Character.toCodePoint(ch, c[++i]);
                    } else {
                        keys[n++] = ch;
                    }
                } else {
                    keys[n++] = ch;
                }
            }
            return n;
        }

        @Override
        int finish(int[] keys) {
            if (high == 0) {
                return 0;
            }
            keys[0] = high;
            high = 0;
            return 1;
        }
    }

    /** {@link Tokenizer#WORD}: maximal runs of ASCII letters, lower-cased, the current word carried across chunks. */
    private static final class Words extends TokenScanner {
        private final WordTable table;
        private final String source;
        private char[] word = new char[64];
        private int length;
        private int hash;

        Words(WordTable table, String source) {
            this.table = table;
            this.source = source;
        }

        @Override
        int scan(char[] c, int from, int to, int[] keys) {
            int n = 0;
            for (int i = from; i < to; i++) {
                char ch = c[i];
                if (isAsciiLetter(ch)) {
                    if (length == word.length) {
                        grow();
                    }
                    char lower = (char) (ch | 0x20);
                    word[length++] = lower;
                    hash = 31 * hash + lower;
                } else if (length > 0) {
                    keys[n++] = table.intern(word, length, hash);
                    length = 0;
                    hash = 0;
                }
            }
            return n;
        }

        @Override
        int finish(int[] keys) {
            if (length == 0) {
                return 0;
            }
            keys[0] = table.intern(word, length, hash);
            length = 0;
            hash = 0;
            return 1;
        }

        private void grow() {
            if (word.length >= MAX_WORD) {
                throw new DataException(source + " has a word of more than " + MAX_WORD + " letters: the word tokenizer needs text"
                        + " with spaces or punctuation between words");
            }
            word = java.util.Arrays.copyOf(word, word.length * 2);
        }

        @Override
        WordTable words() {
            return table;
        }
    }
}
