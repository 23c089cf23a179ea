package rnn.lm.text;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/** Token ids in a heap array of the narrowest width: a byte, a char or an int per id. */
final class HeapIds implements IdSink {

    private final byte[] bytes;
    private final char[] chars;
    private final int[] ints;
    private int at;

    private HeapIds(byte[] bytes, char[] chars, int[] ints) {
        this.bytes = bytes;
        this.chars = chars;
        this.ints = ints;
    }

    /**
     * Room for {@code count} ids of {@code width} bytes.
     *
     * @throws DataException if that is more than one array holds
     * @throws OutOfMemoryError if the heap has no room: the reader may turn to the token cache then
     */
    static HeapIds allocate(long count, int width, String source) {
        if (count > CorpusReader.MAX_ARRAY) {
            throw new DataException(String.format(Locale.ROOT, "%s has %,d tokens, more than one array holds:"
                    + " let the token cache hold them (-D%s=auto)", source, count, CorpusReader.PROPERTY));
        }
        int n = (int) count;
        return switch (width) {
            case 1 -> new HeapIds(new byte[n], null, null);
            case 2 -> new HeapIds(null, new char[n], null);
            default -> new HeapIds(null, null, new int[n]);
        };
    }

    @Override
    public void put(int[] ids, int n) {
        if (bytes != null) {
            for (int i = 0; i < n; i++) {
                bytes[at + i] = (byte) ids[i];
            }
        } else if (chars != null) {
            for (int i = 0; i < n; i++) {
                chars[at + i] = (char) ids[i];
            }
        } else {
            System.arraycopy(ids, 0, ints, at, n);
        }
        at += n;
    }

    /** The ids put so far, known to be below {@code vocabularySize} because the reader encoded them. */
    TokenIds tokens(int vocabularySize) {
        MemorySegment s = bytes != null ? MemorySegment.ofArray(bytes)
                : chars != null ? MemorySegment.ofArray(chars) : MemorySegment.ofArray(ints);
        return new SegmentTokens(s, bytes != null ? 1 : chars != null ? 2 : 4, vocabularySize);
    }
}
