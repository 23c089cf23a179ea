package rnn.lm.text;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A corpus's token ids in a file, memory-mapped read-only when used, for a corpus the heap cannot hold or
 * one past 2³¹ tokens. A file is named by what made it (the text's SHA-256, the tokenizer, max_tokens,
 * min_freq), so a changed text or setting never finds a stale one. It is written to a temporary file and
 * renamed into place, and checked whole on every use (header, size and a CRC-32C of the ids), so a
 * crash, a full disk or a damaged file never gives wrong ids.
 *
 * <p>Layout, little-endian except the ids: magic {@code RNN-TOK\n}, version, id width, the ids' byte order,
 * words flag, token count, text size, text SHA-256, max_tokens, min_freq, the lenient replacements (count
 * and first offset), the ids' CRC-32C, tokenizer id, the vocabulary (each token as a length and UTF-16
 * chars), the header's CRC-32C; then zeros to a multiple of 8; then the ids in the machine's byte order.
 */
final class TokenCache {

    static final int VERSION = 1;
    private static final byte[] MAGIC = "RNN-TOK\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FIXED = 108;
    private static final int IO_BUFFER = 1 << 20;
    /** A temporary file untouched this long was left by a writer that was killed. */
    static final Duration STALE = Duration.ofMinutes(10);

    private TokenCache() {}

    /** What a cache file is made from; its name says all of it. */
    record Key(byte[] sha256, long size, Tokenizer tokenizer, int maxTokens, int minFreq) {

        String fileName() {
            return HexFormat.of().formatHex(sha256) + "-" + tokenizer.id() + "-max" + maxTokens + "-min" + minFreq
                    + ".tokens";
        }

        boolean matches(byte[] sha, long sz, String tok, int max, int min) {
            return Arrays.equals(sha256, sha) && size == sz && tokenizer.id().equals(tok) && maxTokens == max
                    && minFreq == min;
        }
    }

    /** A usable cache file: the vocabulary, the mapped ids and the lenient replacements of the text it came from. */
    record Entry(Vocabulary vocabulary, TokenIds tokens, long replaced, long firstReplaced) {
    }

    /** A cache file that is not what its name promises; the message says how. */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    /** Opens the temporary file for writing; tests substitute a channel that fails like a full disk. */
    @FunctionalInterface
    interface Opener {
        SeekableByteChannel open(Path temp) throws IOException;

        Opener FILES = temp -> FileChannel.open(temp, StandardOpenOption.WRITE);
    }

    /**
     * Maps a cache file after checking all of it against {@code key}.
     *
     * @throws IOException if it cannot be read
     * @throws Damaged     if it is not a whole, intact cache of this key
     */
    static Entry load(Path file, Key key) throws IOException, Damaged {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer fixed = readFully(ch, 0, FIXED, fileSize);
            byte[] magic = new byte[MAGIC.length];
            fixed.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Damaged("it is not a token cache");
            }
            int version = fixed.getInt();
            if (version != VERSION) {
                throw new Damaged("it is of format version " + version + ", this build reads " + VERSION);
            }
            int width = fixed.get();
            boolean bigEndian = fixed.get() != 0;
            boolean words = fixed.get() != 0;
            fixed.get();
            long count = fixed.getLong();
            long size = fixed.getLong();
            byte[] sha = new byte[32];
            fixed.get(sha);
            int maxTokens = fixed.getInt();
            int minFreq = fixed.getInt();
            long replaced = fixed.getLong();
            long firstReplaced = fixed.getLong();
            int idsCrc = fixed.getInt();
            byte[] tok = new byte[8];
            fixed.get(tok);
            int vocabSize = fixed.getInt();
            int vocabBytes = fixed.getInt();
            if (vocabBytes < 0 || vocabSize < 1 || FIXED + (long) vocabBytes + 4 > fileSize) {
                throw new Damaged("its header is cut short or garbled");
            }
            ByteBuffer vocab = readFully(ch, FIXED, vocabBytes + 4, fileSize);
            CRC32C crc = new CRC32C();
            crc.update(fixed.flip());
            crc.update(vocab.slice(0, vocabBytes));
            if ((int) crc.getValue() != vocab.getInt(vocabBytes)) {
                throw new Damaged("its header does not match its checksum");
            }
            String tokenizer = new String(tok, StandardCharsets.US_ASCII).strip().replace("\0", "");
            if (!key.matches(sha, size, tokenizer, maxTokens, minFreq)) {
                throw new Damaged("it was made from another text or with other settings");
            }
            if ((ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) != bigEndian) {
                throw new Damaged("it was written on a machine of the other byte order");
            }
            Vocabulary vocabulary = vocabulary(vocab, vocabSize, vocabBytes, words);
            if (width != TokenIds.widthFor(vocabulary.size()) || count < 0) {
                throw new Damaged("its id width " + width + " does not fit its vocabulary of " + vocabulary.size());
            }
            long idsAt = idsOffset(vocabBytes);
            if (fileSize != idsAt + count * width) {
                throw new Damaged("it has " + fileSize + " bytes where its header promises " + (idsAt + count * width)
                        + (fileSize < idsAt + count * width ? " (it was cut short)" : ""));
            }
            // Arena.ofAuto: unmapped once the corpus is unreachable; a shared mapping, so no copy on the heap.
            MemorySegment ids = ch.map(FileChannel.MapMode.READ_ONLY, idsAt, count * width, Arena.ofAuto());
            if (crc(ids) != idsCrc) {
                throw new Damaged("its token ids do not match their checksum");
            }
            return new Entry(vocabulary, new SegmentTokens(ids, width, vocabulary.size()), replaced, firstReplaced);
        }
    }

    private static Vocabulary vocabulary(ByteBuffer b, int size, int bytes, boolean words) throws Damaged {
        List<String> tokens = new ArrayList<>(Math.min(size, bytes / 4));
        b.position(0).limit(bytes);
        try {
            for (int i = 0; i < size; i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining() / 2) {
                    throw new Damaged("its vocabulary is garbled");
                }
                char[] c = new char[len];
                b.asCharBuffer().get(c);
                b.position(b.position() + 2 * len);
                tokens.add(new String(c));
            }
            if (b.hasRemaining()) {
                throw new Damaged("its vocabulary is garbled");
            }
            return words ? Vocabulary.ofWords(tokens) : Vocabulary.of(tokens);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new Damaged("its vocabulary is garbled");
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int n, long fileSize) throws IOException, Damaged {
        if (at + n > fileSize) {
            throw new Damaged("it is cut short (" + fileSize + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new Damaged("it is cut short (" + fileSize + " bytes)");
            }
        }
        return b.flip();
    }

    private static long idsOffset(int vocabBytes) {
        return (FIXED + vocabBytes + 4 + 7L) & ~7L;
    }

    /** CRC-32C over a mapping, a gigabyte at a time (a ByteBuffer view holds at most 2³¹ bytes). */
    private static int crc(MemorySegment ids) {
        CRC32C crc = new CRC32C();
        long step = 1L << 30;
        for (long at = 0; at < ids.byteSize(); at += step) {
            crc.update(ids.asSlice(at, Math.min(step, ids.byteSize() - at)).asByteBuffer());
        }
        return (int) crc.getValue();
    }

    /**
     * Writes a cache file: ids go in through {@link #put}, and {@link #commit} renames the finished file into
     * place. Until then the file is a hidden temporary beside it, deleted by {@link #close} if not committed.
     */
    static final class Writer implements IdSink, AutoCloseable {
        private final Path file;
        private final Path temp;
        private final SeekableByteChannel out;
        private final byte[] header;
        private final int width;
        private final long count;
        private final byte[] buffer = new byte[IO_BUFFER];
        private final MemorySegment bufferSegment = MemorySegment.ofArray(buffer);
        private int filled;
        private final CRC32C crc = new CRC32C();
        private long written;
        private boolean committed;

        /**
         * Starts a cache file of {@code count} ids for {@code vocabulary}.
         *
         * @throws IOException if the directory or the temporary file cannot be made
         */
        Writer(Path dir, Key key, Vocabulary vocabulary, long count, long replaced, long firstReplaced, Opener opener)
                throws IOException {
            Files.createDirectories(dir);
            removeStale(dir, key);
            this.file = dir.resolve(key.fileName());
            this.width = TokenIds.widthFor(vocabulary.size());
            this.count = count;
            this.header = header(key, vocabulary, count, width, replaced, firstReplaced);
            this.temp = Files.createTempFile(dir, "." + key.fileName() + ".", ".part");
            SeekableByteChannel ch = null;
            try {
                ch = opener.open(temp);
                // A header of zeros for now: its checksum of the ids is known only at the end.
                writeFully(ch, ByteBuffer.wrap(new byte[header.length]));
            } catch (IOException | RuntimeException e) {
                try {
                    if (ch != null) {
                        ch.close();
                    }
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            this.out = ch;
        }

        /**
         * Deletes what a killed writer of the same file left: a live writer writes its temporary file at least
         * every few seconds, so one untouched for {@link #STALE} is an orphan.
         */
        private static void removeStale(Path dir, Key key) {
            long before = System.currentTimeMillis() - STALE.toMillis();
            try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "." + key.fileName() + ".*.part")) {
                for (Path p : parts) {
                    if (Files.getLastModifiedTime(p).toMillis() < before) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                System.getLogger("rnn.lm").log(System.Logger.Level.DEBUG, "cannot tidy " + dir + ": " + e.getMessage());
            }
        }

        Path file() {
            return file;
        }

        /** Bytes the finished file takes. */
        long bytes() {
            return header.length + count * width;
        }

        @Override
        public void put(int[] ids, int n) throws IOException {
            for (int i = 0; i < n; ) {
                int k = Math.min((buffer.length - filled) / width, n - i);
                if (k == 0) {
                    flush();
                    continue;
                }
                switch (width) {
                    case 1 -> {
                        for (int j = 0; j < k; j++) {
                            buffer[filled + j] = (byte) ids[i + j];
                        }
                    }
                    case 2 -> {
                        for (int j = 0; j < k; j++) {
                            bufferSegment.set(ValueLayout.JAVA_CHAR_UNALIGNED, filled + 2L * j, (char) ids[i + j]);
                        }
                    }
                    default -> MemorySegment.copy(ids, i, bufferSegment, ValueLayout.JAVA_INT_UNALIGNED, filled, k);
                }
                filled += k * width;
                i += k;
            }
            written += n;
        }

        /**
         * Finishes the file and renames it into place, replacing a damaged one.
         *
         * @throws IOException if it cannot be written or moved
         */
        void commit() throws IOException {
            if (written != count) {
                throw new IllegalStateException(written + " ids written of " + count);
            }
            flush();
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(88, (int) crc.getValue());
            int headerEnd = FIXED + b.getInt(FIXED - 4);
            CRC32C h = new CRC32C();
            h.update(header, 0, headerEnd);
            b.putInt(headerEnd, (int) h.getValue());
            out.position(0);
            writeFully(out, ByteBuffer.wrap(header));
            out.close();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
        }

        /** Deletes the temporary file unless it was committed; never throws. */
        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                // The file is deleted below anyway.
            }
            if (!committed) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    System.getLogger("rnn.lm").log(System.Logger.Level.WARNING,
                            "cannot delete the unfinished token cache " + temp + ": " + e.getMessage());
                }
            }
        }

        private void flush() throws IOException {
            crc.update(buffer, 0, filled);
            writeFully(out, ByteBuffer.wrap(buffer, 0, filled));
            filled = 0;
        }

        private static void writeFully(SeekableByteChannel ch, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** The header with a zero ids CRC and header CRC (filled in by {@link Writer#commit}), padded to 8 bytes. */
    private static byte[] header(Key key, Vocabulary vocabulary, long count, int width, long replaced,
            long firstReplaced) {
        List<String> tokens = vocabulary.tokens();
        int vocabBytes = 0;
        for (String t : tokens) {
            vocabBytes += 4 + 2 * t.length();
        }
        ByteBuffer b = ByteBuffer.allocate((int) idsOffset(vocabBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).put((byte) width)
                .put((byte) (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? 1 : 0))
                .put((byte) (vocabulary.words() ? 1 : 0)).put((byte) 0)
                .putLong(count).putLong(key.size()).put(key.sha256()).putInt(key.maxTokens()).putInt(key.minFreq())
                .putLong(replaced).putLong(firstReplaced).putInt(0);
        byte[] tok = Arrays.copyOf(key.tokenizer().id().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII), 8);
        b.put(tok).putInt(tokens.size()).putInt(vocabBytes);
        if (b.position() != FIXED) {
            throw new IllegalStateException("header layout: " + b.position());
        }
        for (String t : tokens) {
            b.putInt(t.length());
            for (int i = 0; i < t.length(); i++) {
                b.putChar(t.charAt(i));
            }
        }
        return b.array();
    }
}
