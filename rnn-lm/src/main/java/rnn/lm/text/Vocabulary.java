package rnn.lm.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * d2l's {@code Vocab}, of character tokens (one code point each) or of word tokens. Index 0 is
 * {@code <unk>}; then, for words, the reserved tokens in the order given; then every token that
 * occurs at least {@code minFreq} times, most frequent first. Rarer tokens have no index of their own
 * and encode as {@code <unk>}. d2l breaks frequency ties by first occurrence; ties here go by code
 * point (characters) or lexicographically by code points (words, i.e. alphabetically for the
 * lower-case ASCII words of {@link Tokenizer#WORD}), so that the order does not depend on where the
 * text starts. Immutable.
 */
public final class Vocabulary {

    /** The name of index 0, as in d2l and in checkpoints. */
    public static final String UNKNOWN = "<unk>";

    /** What an unknown id decodes to in a character vocabulary: one character, so decoded text keeps one char per token. */
    public static final int REPLACEMENT = 0xFFFD;

    /** Orders words lexicographically by code point (for the ASCII words of the tokenizer: alphabetically). */
    public static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    /** Whether the tokens are words (decoded joined by single spaces) rather than code points. */
    private final boolean words;
    /** {@code tokens[i]} is the token of index i; index 0 is {@link #UNKNOWN}. */
    private final String[] tokens;
    /** Every token's index, {@link #UNKNOWN} → 0 included. */
    private final Map<String, Integer> indexOf;
    /** For a character vocabulary, {@code codePoints[i]} is the code point of index i (-1 at 0); null for words. */
    private final int[] codePoints;
    private final Map<Integer, Integer> indexOfCodePoint;

    private Vocabulary(boolean words, String[] tokens) {
        this.words = words;
        this.tokens = tokens;
        this.indexOf = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            indexOf.put(tokens[i], i);
        }
        if (words) {
            codePoints = null;
            indexOfCodePoint = null;
        } else {
            codePoints = new int[tokens.length];
            codePoints[0] = -1;
            indexOfCodePoint = new HashMap<>(tokens.length * 2);
            for (int i = 1; i < tokens.length; i++) {
                codePoints[i] = tokens[i].codePointAt(0);
                indexOfCodePoint.put(codePoints[i], i);
            }
        }
    }

    /** The ids of a text with the tokens that were not in the vocabulary (they became 0), each once. */
    public record Encoded(int[] ids, int unknownCount, List<String> unknownTokens) {
        public Encoded {
            Objects.requireNonNull(ids, "ids");
            unknownTokens = List.copyOf(unknownTokens);
        }

        /** The same as {@link #unknownTokens()}, for a character vocabulary. */
        public List<String> unknownCharacters() {
            return unknownTokens;
        }
    }

    /** The character vocabulary of a token stream: every distinct code point, by frequency descending. */
    public static Vocabulary build(int[] tokens) {
        return build(tokens, 1);
    }

    /**
     * The character vocabulary of a token stream: every code point that occurs at least {@code minFreq}
     * times, by frequency descending, ties by code point.
     *
     * @throws IllegalArgumentException if {@code minFreq < 1} or a token is not a code point
     */
    public static Vocabulary build(int[] tokens, int minFreq) {
        Objects.requireNonNull(tokens, "tokens");
        checkMinFreq(minFreq);
        Map<Integer, long[]> counts = new HashMap<>();
        for (int cp : tokens) {
            checkCodePoint(cp);
            counts.computeIfAbsent(cp, k -> new long[1])[0]++;
        }
        int[] cps = new int[counts.size()];
        long[] n = new long[counts.size()];
        int i = 0;
        for (Map.Entry<Integer, long[]> e : counts.entrySet()) {
            cps[i] = e.getKey();
            n[i++] = e.getValue()[0];
        }
        return ofCodePointCounts(cps, n, minFreq);
    }

    /**
     * The character vocabulary of counted code points, as {@link #build(int[], int)} orders it: those
     * counted at least {@code minFreq} times, by count descending, ties by code point. The streaming
     * corpus reader counts without a token array and comes here, so both give the same ids.
     *
     * @param codePoints distinct code points
     * @param counts     {@code counts[i]} is how often {@code codePoints[i]} occurs
     */
    static Vocabulary ofCodePointCounts(int[] codePoints, long[] counts, int minFreq) {
        checkMinFreq(minFreq);
        String[] chars = new String[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            checkCodePoint(codePoints[i]);
            chars[i] = Character.toString(codePoints[i]);
        }
        // On one code point each, CODE_POINT_ORDER is the code point order.
        return ofCounts(false, chars, counts, minFreq, List.of());
    }

    /**
     * The word vocabulary of counted words, as {@link #buildWords(List, int, List)} orders it with no
     * reserved tokens: {@code <unk>}, then the words counted at least {@code minFreq} times, by count
     * descending, ties by {@link #CODE_POINT_ORDER}.
     *
     * @param words  distinct words
     * @param counts {@code counts[i]} is how often {@code words[i]} occurs
     */
    static Vocabulary ofWordCounts(String[] words, long[] counts, int minFreq) {
        checkMinFreq(minFreq);
        for (String w : words) {
            checkWord(w, "token");
        }
        return ofCounts(true, words, counts, minFreq, List.of());
    }

    /**
     * d2l's order, the one rule every builder here follows: {@code <unk>}, the reserved tokens (checked by
     * the caller), then the other tokens counted at least minFreq times, by count descending, ties by
     * {@link #CODE_POINT_ORDER}.
     */
    private static Vocabulary ofCounts(boolean words, String[] tokens, long[] counts, int minFreq,
                                       List<String> reserved) {
        Set<String> taken = new HashSet<>(reserved);
        taken.add(UNKNOWN);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (counts[i] >= minFreq && !taken.contains(tokens[i])) {
                kept.add(i);
            }
        }
        kept.sort((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a])
                : CODE_POINT_ORDER.compare(tokens[a], tokens[b]));
        List<String> out = new ArrayList<>(1 + reserved.size() + kept.size());
        out.add(UNKNOWN);
        out.addAll(reserved);
        for (int i : kept) {
            out.add(tokens[i]);
        }
        return new Vocabulary(words, out.toArray(String[]::new));
    }

    /**
     * A word vocabulary as d2l's {@code Vocab(tokens, min_freq, reserved_tokens)} builds it:
     * {@code <unk>} at 0, then {@code reserved} in the order given (whatever their frequency), then every
     * other word that occurs at least {@code minFreq} times, by frequency descending, ties
     * lexicographically by code point ({@link #CODE_POINT_ORDER}). A {@code <unk>} among the tokens
     * counts as index 0, as in d2l.
     *
     * @throws IllegalArgumentException if {@code minFreq < 1}, or a token or reserved token is empty
     *     or contains whitespace, or a reserved token is {@code <unk>} or given twice
     */
    public static Vocabulary buildWords(List<String> tokens, int minFreq, List<String> reserved) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(reserved, "reserved");
        checkMinFreq(minFreq);
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (String t : tokens) {
            counts.computeIfAbsent(t, k -> new long[1])[0]++;
        }
        Set<String> taken = new HashSet<>();
        taken.add(UNKNOWN);
        for (String r : reserved) {
            checkWord(r, "reserved token");
            if (!taken.add(r)) {
                throw new IllegalArgumentException("reserved token '" + r + "' is "
                        + (r.equals(UNKNOWN) ? "always index 0" : "given twice"));
            }
        }
        String[] words = new String[counts.size()];
        long[] n = new long[counts.size()];
        int i = 0;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            checkWord(e.getKey(), "token");
            words[i] = e.getKey();
            n[i++] = e.getValue()[0];
        }
        return ofCounts(true, words, n, minFreq, reserved);
    }

    /**
     * Restores a character vocabulary from its token list (as saved in a checkpoint): {@code <unk>}
     * first, then distinct single code points.
     */
    public static Vocabulary of(List<String> tokens) {
        checkFirst(tokens);
        Set<Integer> seen = new HashSet<>();
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t == null || t.isEmpty() || t.codePointCount(0, t.length()) != 1) {
                throw new IllegalArgumentException("vocabulary entry " + i + " must be exactly one code point, got "
                        + (t == null ? "null" : "'" + t + "'"));
            }
            if (!seen.add(t.codePointAt(0))) {
                throw new IllegalArgumentException("vocabulary entry " + i + " ('" + t + "') is a duplicate");
            }
        }
        return new Vocabulary(false, tokens.toArray(String[]::new));
    }

    /**
     * Restores a word vocabulary from its token list (as saved in a checkpoint): {@code <unk>} first,
     * then distinct non-empty tokens without whitespace.
     */
    public static Vocabulary ofWords(List<String> tokens) {
        checkFirst(tokens);
        Set<String> seen = new HashSet<>();
        seen.add(UNKNOWN);
        for (int i = 1; i < tokens.size(); i++) {
            String t = tokens.get(i);
            checkWord(t, "vocabulary entry " + i);
            if (!seen.add(t)) {
                throw new IllegalArgumentException("vocabulary entry " + i + " ('" + t + "') is a duplicate");
            }
        }
        return new Vocabulary(true, tokens.toArray(String[]::new));
    }

    /** Whether the tokens are words (decoded joined by single spaces) rather than characters. */
    public boolean words() {
        return words;
    }

    /** The number of ids, {@code <unk>} included. */
    public int size() {
        return tokens.length;
    }

    /** The tokens by index, {@code <unk>} first: what a checkpoint saves. */
    public List<String> tokens() {
        return List.of(tokens);
    }

    /**
     * The id of a code point in a character vocabulary, 0 if it is not in the vocabulary.
     *
     * @throws UnsupportedOperationException for a word vocabulary
     */
    public int index(int codePoint) {
        requireCharacters();
        Integer i = indexOfCodePoint.get(codePoint);
        return i == null ? 0 : i;
    }

    /** The id of a token (a one-code-point string for characters), 0 if it is not in the vocabulary or is {@code <unk>}. */
    public int index(String token) {
        Integer i = indexOf.get(token);
        return i == null ? 0 : i;
    }

    /** The token of an id: {@code <unk>} for 0. */
    public String token(int index) {
        checkIndex(index);
        return tokens[index];
    }

    /**
     * The code point of an id in a character vocabulary; {@link #REPLACEMENT} for {@code <unk>}.
     *
     * @throws UnsupportedOperationException for a word vocabulary
     */
    public int codePoint(int index) {
        requireCharacters();
        checkIndex(index);
        return index == 0 ? REPLACEMENT : codePoints[index];
    }

    /** Ids of the code points of a character vocabulary; unknown ones become 0. */
    public int[] encode(int[] tokens) {
        requireCharacters();
        int[] ids = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = index(tokens[i]);
        }
        return ids;
    }

    /** Ids of the tokens; unknown ones become 0. */
    public int[] encode(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index(tokens.get(i));
        }
        return ids;
    }

    /**
     * Encodes a prompt with the tokenizer of the training corpus and reports what it could not map,
     * logging one warning if anything was unknown.
     *
     * @throws IllegalArgumentException if the tokenizer makes words and this vocabulary holds
     *     characters, or the other way round
     */
    public Encoded encodePrefix(String text, Tokenizer tokenizer) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (tokenizer.wordLevel() != words) {
            throw new IllegalArgumentException("the " + tokenizer.id() + " tokenizer makes " + tokenizer.unit()
                    + "s, but this vocabulary holds " + unit() + "s");
        }
        List<String> toks = tokenizer.tokens(text);
        int[] ids = new int[toks.size()];
        int unknown = 0;
        Set<String> unknowns = new LinkedHashSet<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index(toks.get(i));
            if (ids[i] == 0) {
                unknown++;
                unknowns.add(toks.get(i));
            }
        }
        if (unknown > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} {1}(s) of the prefix are not in the vocabulary"
                    + " and become <unk>: {2}", unknown, unit(), unknowns);
        }
        return new Encoded(ids, unknown, new ArrayList<>(unknowns));
    }

    /**
     * The text of {@code len} ids from {@code off}: characters concatenated, {@code <unk>} as U+FFFD;
     * words joined by single spaces, {@code <unk>} as {@code <unk>}.
     */
    public String decode(int[] ids, int off, int len) {
        Objects.checkFromIndexSize(off, len, ids.length);
        StringBuilder sb = new StringBuilder(words ? len * 6 : len);
        for (int i = off; i < off + len; i++) {
            if (words) {
                if (i > off) {
                    sb.append(' ');
                }
                sb.append(token(ids[i]));
            } else {
                sb.appendCodePoint(codePoint(ids[i]));
            }
        }
        return sb.toString();
    }

    /** The text of all the ids. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** What one token is, for messages: {@code character} or {@code word}. */
    public String unit() {
        return words ? "word" : "character";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && words == v.words && Arrays.equals(tokens, v.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(words) + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return (words ? "Vocabulary(words)" : "Vocabulary") + tokens();
    }

    private void requireCharacters() {
        if (words) {
            throw new UnsupportedOperationException("a word vocabulary has no code points");
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= tokens.length) {
            throw new IllegalArgumentException("token id " + index + " is outside the vocabulary [0, "
                    + tokens.length + ")");
        }
    }

    private static void checkFirst(List<String> tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (tokens.isEmpty() || !UNKNOWN.equals(tokens.getFirst())) {
            throw new IllegalArgumentException("a vocabulary starts with " + UNKNOWN + " at index 0, got "
                    + (tokens.isEmpty() ? "an empty list" : "'" + tokens.getFirst() + "'"));
        }
    }

    private static void checkMinFreq(int minFreq) {
        if (minFreq < 1) {
            throw new IllegalArgumentException("the minimum frequency must be ≥ 1, got " + minFreq);
        }
    }

    /** A word is non-empty and has no whitespace, so that words joined by spaces split back exactly. */
    private static void checkWord(String t, String what) {
        if (t == null || t.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty, got " + (t == null ? "null" : "''"));
        }
        if (t.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
            throw new IllegalArgumentException(what + " '" + t + "' contains whitespace");
        }
    }

    private static void checkCodePoint(int cp) {
        if (!Character.isValidCodePoint(cp)) {
            throw new IllegalArgumentException("not a Unicode code point: " + cp);
        }
    }
}
