package rnn.lm.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * d2l's {@code Vocab} for character tokens: {@code <unk>} at index 0, then every token that occurs,
 * most frequent first. d2l breaks frequency ties by first occurrence; ties here go by code point so
 * that the order does not depend on where the text starts. Immutable.
 */
public final class Vocabulary {

    /** The name of index 0, as in d2l and in checkpoints. */
    public static final String UNKNOWN = "<unk>";

    /** What an unknown id decodes to: one character, so decoded text keeps one char per token. */
    public static final int REPLACEMENT = 0xFFFD;

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    /** {@code codePoints[i]} is the token of index i; index 0 ({@code <unk>}) holds -1. */
    private final int[] codePoints;
    private final Map<Integer, Integer> indexOf;

    private Vocabulary(int[] codePoints) {
        this.codePoints = codePoints;
        this.indexOf = new HashMap<>(codePoints.length * 2);
        for (int i = 1; i < codePoints.length; i++) {
            indexOf.put(codePoints[i], i);
        }
    }

    /** The ids of a text with the characters that were not in the vocabulary (they became 0). */
    public record Encoded(int[] ids, int unknownCount, List<String> unknownCharacters) {
        public Encoded {
            Objects.requireNonNull(ids, "ids");
            unknownCharacters = List.copyOf(unknownCharacters);
        }
    }

    /** The vocabulary of a token stream: every distinct code point, by frequency descending. */
    public static Vocabulary build(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        Map<Integer, int[]> counts = new HashMap<>();
        for (int cp : tokens) {
            checkCodePoint(cp);
            counts.computeIfAbsent(cp, k -> new int[1])[0]++;
        }
        List<Map.Entry<Integer, int[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : Integer.compare(a.getKey(), b.getKey()));
        int[] cps = new int[entries.size() + 1];
        cps[0] = -1;
        for (int i = 0; i < entries.size(); i++) {
            cps[i + 1] = entries.get(i).getKey();
        }
        return new Vocabulary(cps);
    }

    /**
     * Restores a vocabulary from its token list (as saved in a checkpoint): {@code <unk>} first, then
     * distinct single code points.
     */
    public static Vocabulary of(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty() || !UNKNOWN.equals(tokens.getFirst())) {
            throw new IllegalArgumentException("a vocabulary starts with " + UNKNOWN + " at index 0, got "
                    + (tokens.isEmpty() ? "an empty list" : "'" + tokens.getFirst() + "'"));
        }
        int[] cps = new int[tokens.size()];
        cps[0] = -1;
        Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t == null || t.isEmpty() || t.codePointCount(0, t.length()) != 1) {
                throw new IllegalArgumentException("vocabulary entry " + i + " must be exactly one code point, got "
                        + (t == null ? "null" : "'" + t + "'"));
            }
            int cp = t.codePointAt(0);
            if (!seen.add(cp)) {
                throw new IllegalArgumentException("vocabulary entry " + i + " ('" + t + "') is a duplicate");
            }
            cps[i] = cp;
        }
        return new Vocabulary(cps);
    }

    /** The number of ids, {@code <unk>} included. */
    public int size() {
        return codePoints.length;
    }

    /** The tokens by index, {@code <unk>} first: what a checkpoint saves. */
    public List<String> tokens() {
        List<String> out = new ArrayList<>(codePoints.length);
        for (int i = 0; i < codePoints.length; i++) {
            out.add(token(i));
        }
        return List.copyOf(out);
    }

    /** The id of a code point, 0 if it is not in the vocabulary. */
    public int index(int codePoint) {
        Integer i = indexOf.get(codePoint);
        return i == null ? 0 : i;
    }

    /** The token of an id: {@code <unk>} for 0. */
    public String token(int index) {
        checkIndex(index);
        return index == 0 ? UNKNOWN : Character.toString(codePoints[index]);
    }

    /** The code point of an id; {@link #REPLACEMENT} for {@code <unk>}. */
    public int codePoint(int index) {
        checkIndex(index);
        return index == 0 ? REPLACEMENT : codePoints[index];
    }

    /** Ids of the code points; unknown ones become 0. */
    public int[] encode(int[] tokens) {
        int[] ids = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = index(tokens[i]);
        }
        return ids;
    }

    /**
     * Encodes a prompt with the tokenizer of the training corpus and reports what it could not map,
     * logging one warning if anything was unknown.
     */
    public Encoded encodePrefix(String text, Tokenizer tokenizer) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokenizer, "tokenizer");
        int[] tokens = tokenizer.tokenize(text);
        int[] ids = new int[tokens.length];
        int unknown = 0;
        Set<String> chars = new LinkedHashSet<>();
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = index(tokens[i]);
            if (ids[i] == 0) {
                unknown++;
                chars.add(Character.toString(tokens[i]));
            }
        }
        if (unknown > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} character(s) of the prefix are not in the vocabulary"
                    + " and become <unk>: {1}", unknown, chars);
        }
        return new Encoded(ids, unknown, new ArrayList<>(chars));
    }

    /** The text of {@code len} ids from {@code off}; {@code <unk>} decodes as U+FFFD. */
    public String decode(int[] ids, int off, int len) {
        Objects.checkFromIndexSize(off, len, ids.length);
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            sb.appendCodePoint(codePoint(ids[i]));
        }
        return sb.toString();
    }

    /** The text of all the ids. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }

    @Override
    public String toString() {
        return "Vocabulary" + tokens();
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= codePoints.length) {
            throw new IllegalArgumentException("token id " + index + " is outside the vocabulary [0, "
                    + codePoints.length + ")");
        }
    }

    private static void checkCodePoint(int cp) {
        if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("not a Unicode code point: " + cp);
        }
    }
}
