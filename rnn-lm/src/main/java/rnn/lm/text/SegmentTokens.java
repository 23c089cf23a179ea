package rnn.lm.text;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Token ids of 1, 2 or 4 unsigned bytes each in a memory segment: a heap array or a mapped file. */
final class SegmentTokens implements TokenIds {

    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final MemorySegment segment;
    private final int width;
    private final long length;
    /** Every id is known to be below this (0: nothing is known), so a range check need not read them all. */
    private final int knownBound;

    SegmentTokens(MemorySegment segment, int width) {
        this(segment, width, 0);
    }

    /**
     * Ids that their writer knows to be below {@code knownBound}: the corpus reader, which encoded them
     * itself, or a token cache whose checksum matched. A corpus of a gigabyte is then not read once
     * over just to check its range.
     */
    SegmentTokens(MemorySegment segment, int width, int knownBound) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("a token id is 1, 2 or 4 bytes wide, not " + width);
        }
        if (segment.byteSize() % width != 0) {
            throw new IllegalArgumentException("a segment of " + segment.byteSize() + " bytes is not a whole number of "
                    + width + "-byte ids");
        }
        this.segment = segment;
        this.width = width;
        this.length = segment.byteSize() / width;
        this.knownBound = knownBound;
    }

    @Override
    public long firstOutside(int bound) {
        return knownBound > 0 && bound >= knownBound ? -1 : TokenIds.super.firstOutside(bound);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int get(long index) {
        long at = index * width;
        return switch (width) {
            case 1 -> Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, at));
            case 2 -> segment.get(CHAR, at);
            default -> segment.get(INT, at);
        };
    }

    @Override
    public void copyTo(long from, int[] dst, int offset, int count) {
        if (from < 0 || count < 0 || from > length - count) {
            throw new IndexOutOfBoundsException("ids [" + from + ", " + (from + count) + ") of " + length);
        }
        java.util.Objects.checkFromIndexSize(offset, count, dst.length);
        long at = from * width;
        switch (width) {
            case 1 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, at + i));
                }
            }
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = segment.get(CHAR, at + 2L * i);
                }
            }
            default -> MemorySegment.copy(segment, INT, at, dst, offset, count);
        }
    }

    @Override
    public TokenIds slice(long from, long to) {
        if (from < 0 || to < from || to > length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + length + " ids");
        }
        return new SegmentTokens(segment.asSlice(from * width, (to - from) * width), width, knownBound);
    }

    @Override
    public String toString() {
        return length + " token ids of " + width + " byte(s)";
    }
}
