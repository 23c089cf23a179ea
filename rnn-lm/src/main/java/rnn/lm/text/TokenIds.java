package rnn.lm.text;

import java.lang.foreign.MemorySegment;

/**
 * The token ids of a corpus, indexed by {@code long} so that a text may hold more than 2³¹ tokens, and
 * stored as compactly as its vocabulary allows: one byte per token up to 256 types, two up to 65,536,
 * four beyond. The ids may live on the heap or in a memory-mapped file; either way they are read-only.
 */
public sealed interface TokenIds permits SegmentTokens {

    /** The number of tokens. */
    long length();

    /** The id at {@code index}. */
    int get(long index);

    /** Copies {@code count} ids starting at {@code from} into {@code dst[offset..]}. */
    void copyTo(long from, int[] dst, int offset, int count);

    /** The ids in {@code [from, to)}, sharing this storage. */
    TokenIds slice(long from, long to);

    /** Bytes per id: 1, 2 or 4. */
    int width();

    /** The ids as a new array. @throws IllegalStateException if there are more than an array can hold */
    default int[] toArray() {
        if (length() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(length() + " token ids do not fit in one Java array");
        }
        int[] out = new int[(int) length()];
        copyTo(0, out, 0, out.length);
        return out;
    }

    /** Wraps {@code ids} without copying: the caller must not modify them afterwards. */
    static TokenIds of(int[] ids) {
        return new SegmentTokens(MemorySegment.ofArray(ids), Integer.BYTES);
    }

    /** The ids in the narrowest width that holds ids below {@code vocabularySize} (a copy unless that is 4 bytes). */
    static TokenIds compact(int[] ids, int vocabularySize) {
        return switch (widthFor(vocabularySize)) {
            case 1 -> {
                byte[] b = new byte[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    b[i] = (byte) ids[i];
                }
                yield new SegmentTokens(MemorySegment.ofArray(b), 1);
            }
            case 2 -> {
                char[] c = new char[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    c[i] = (char) ids[i];
                }
                yield new SegmentTokens(MemorySegment.ofArray(c), 2);
            }
            default -> of(ids);
        };
    }

    /**
     * The narrowest width that holds ids below {@code vocabularySize}: ids are unsigned, so a byte holds
     * up to 256 types and a {@code char} up to 65,536.
     */
    static int widthFor(int vocabularySize) {
        return vocabularySize <= 1 << 8 ? 1 : vocabularySize <= 1 << 16 ? 2 : 4;
    }

    /** Whether every id is in {@code [0, bound)}; the first one that is not, or -1. */
    default long firstOutside(int bound) {
        long n = length();
        if (width() < 4 && bound >= 1 << (8 * width())) {
            return -1; // an unsigned id of this width cannot reach the bound
        }
        for (long i = 0; i < n; i++) {
            int id = get(i);
            if (id < 0 || id >= bound) {
                return i;
            }
        }
        return -1;
    }

    /** Whether two sequences hold the same ids, whatever their widths. */
    static boolean sameIds(TokenIds a, TokenIds b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (long i = 0, n = a.length(); i < n; i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
