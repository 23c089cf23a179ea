package rnn.lm.text;

import java.util.Arrays;

/**
 * The distinct words of a text, numbered in order of first appearance. Words are looked up by their
 * characters in a buffer, so a word seen again costs no allocation: a gigabyte of text has hundreds of
 * millions of word tokens but only its vocabulary's worth of distinct words.
 */
final class WordTable {

    /** Beyond this many characters of distinct words, the table would outgrow one array. */
    private static final int MAX_CHARS = Integer.MAX_VALUE - 8;
    /** Beyond this many distinct words, the slots would outgrow one array (they stay at most half full). */
    private static final int MAX_WORDS = 1 << 29;

    private final String source;
    private char[] chars = new char[1 << 12];
    private int used;
    private int[] start = new int[256];
    private int[] length = new int[256];
    private int[] hash = new int[256];
    private int size;
    /** Open addressing, linear probing: word index + 1, 0 for an empty slot. */
    private int[] slots = new int[512];

    WordTable(String source) {
        this.source = source;
    }

    /** The number of distinct words. */
    int size() {
        return size;
    }

    /** The word of index {@code i}. */
    String word(int i) {
        return new String(chars, start[i], length[i]);
    }

    /** The words by index. */
    String[] words() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            out[i] = word(i);
        }
        return out;
    }

    /**
     * The index of {@code w[0, len)}, numbered now if it is new.
     *
     * @param h the word's {@link String#hashCode()}
     */
    int intern(char[] w, int len, int h) {
        int mask = slots.length - 1;
        for (int s = mix(h) & mask; ; s = (s + 1) & mask) {
            int at = slots[s] - 1;
            if (at < 0) {
                return add(w, len, h, s);
            }
            if (hash[at] == h && length[at] == len
                    && Arrays.equals(chars, start[at], start[at] + len, w, 0, len)) {
                return at;
            }
        }
    }

    private int add(char[] w, int len, int h, int slot) {
        if (used > MAX_CHARS - len || size == MAX_WORDS) {
            throw new DataException(source + " has more distinct words than one table holds (" + size
                    + " words of " + used + " letters): the word tokenizer needs a text with a vocabulary");
        }
        if (used + len > chars.length) {
            chars = Arrays.copyOf(chars, (int) Math.min(MAX_CHARS, Math.max(used + len, 2L * chars.length)));
        }
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            length = Arrays.copyOf(length, size * 2);
            hash = Arrays.copyOf(hash, size * 2);
        }
        System.arraycopy(w, 0, chars, used, len);
        start[size] = used;
        length[size] = len;
        hash[size] = h;
        used += len;
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int i = 0; i < size; i++) {
            int s = mix(hash[i]) & mask;
            while (grown[s] != 0) {
                s = (s + 1) & mask;
            }
            grown[s] = i + 1;
        }
        slots = grown;
    }

    /** Spreads String's weak low bits (short words differ only there). */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
