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

    SegmentTokens(MemorySegment segment, int width) {
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
        return new SegmentTokens(segment.asSlice(from * width, (to - from) * width), width);
    }

    @Override
    public String toString() {
        return length + " token ids of " + width + " byte(s)";
    }
}
