package rnn.lm.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

/**
 * Reads a UTF-8 text file in chunks, with errors that say which file and which byte: the text is never
 * held whole, so a file may be far larger than the heap. Each pass reads every byte and checksums it,
 * so that two passes can tell whether the file changed in between; and checks that it did not change
 * while it was read.
 */
final class TextStream {

    /** How far to look for a NUL byte, as git and grep do to tell binary from text. */
    static final int BINARY_PROBE = 8192;
    /** Bytes read, and chars decoded, at a time. */
    static final int CHUNK = 1 << 20;

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    /** Where decoded text goes. */
    interface Chars {
        /** Takes the text {@code c[from, to)}; returns false once it wants no more. */
        boolean take(char[] c, int from, int to);

        /** The end of the text, if it still wanted more. */
        void end();
    }

    /**
     * What one pass saw: the file's size and time before it, the bytes read and their CRC-32C, and
     * the malformed sequences replaced (lenient only).
     */
    record Pass(long size, FileTime modified, long read, int crc, long replaced, long firstReplaced) {

        /** Whether another pass read the same bytes of the same file. */
        boolean sameAs(Pass o) {
            return size == o.size && modified.equals(o.modified) && crc == o.crc;
        }
    }

    private final Path path;
    private final boolean lenient;
    private final int chunk;
    private final LoadProgress progress;

    TextStream(Path path, boolean lenient, LoadProgress progress) {
        this(path, lenient, progress, CHUNK);
    }

    /** With a given chunk size (≥ 8), so that tests can split multi-byte sequences and lines everywhere. */
    TextStream(Path path, boolean lenient, LoadProgress progress, int chunk) {
        if (chunk < 8) {
            throw new IllegalArgumentException("a chunk of " + chunk + " bytes cannot hold a UTF-8 sequence and its neighbours");
        }
        this.path = path;
        this.lenient = lenient;
        this.progress = progress;
        this.chunk = chunk;
    }

    /**
     * The attributes of a readable regular file.
     *
     * @throws DataException if it is missing, a directory, not a regular file or unreadable
     */
    static BasicFileAttributes attributes(Path path) {
        if (Files.isDirectory(path)) {
            throw new DataException(path + " is a directory, not a text file");
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw cannotRead(path, e);
        }
        if (!a.isRegularFile()) {
            throw new DataException(path + " is not a regular file: a corpus is read more than once, so save"
                    + " the text to a file first");
        }
        return a;
    }

    /**
     * Reads every byte; decodes the text into {@code chars} while it takes more, or to the end if
     * {@code validateAll} (so that a malformed byte anywhere is reported as before, whatever is kept).
     *
     * @param chars where the text goes, or null to only checksum (and hash) the bytes
     * @param sha   also digests the bytes, if not null
     * @param warn  logs the lenient replacement warning, once per load
     */
    Pass read(Chars chars, boolean validateAll, MessageDigest sha, boolean warn) {
        BasicFileAttributes before = attributes(path);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            probe(ch);
            Pass p = readAll(ch, before, chars, validateAll, sha);
            checkUnchanged(before, p);
            if (warn && p.replaced > 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: replaced {1} malformed UTF-8 sequence(s) with U+FFFD,"
                        + " the first at byte offset {2}", path, p.replaced, p.firstReplaced);
            }
            return p;
        } catch (IOException e) {
            throw cannotRead(path, e);
        }
    }

    /** Refuses a file with a NUL in its first bytes before decoding anything, so that is the error reported. */
    private void probe(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(BINARY_PROBE);
        while (head.hasRemaining() && ch.read(head, head.position()) >= 0) {
            // positional reads leave the channel at 0 for the pass itself
        }
        for (int i = 0; i < head.position(); i++) {
            if (head.get(i) == 0) {
                throw new DataException(path + " looks like a binary file (NUL byte at byte offset " + i
                        + "), not UTF-8 text");
            }
        }
    }

    private Pass readAll(FileChannel ch, BasicFileAttributes before, Chars chars, boolean validateAll,
            MessageDigest sha) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] bytes = new byte[chunk];
        ByteBuffer in = ByteBuffer.wrap(bytes);
        boolean decode = chars != null;
        Output out = decode ? new Output(chars, chunk) : null;
        CRC32C crc = new CRC32C();
        long base = 0; // the file offset of bytes[0]
        long replaced = 0;
        long firstReplaced = -1;
        boolean eof = false;
        while (!eof) {
            int start = in.position();
            while (in.hasRemaining()) {
                if (ch.read(in) < 0) {
                    eof = true;
                    break;
                }
            }
            int end = in.position();
            crc.update(bytes, start, end - start);
            if (sha != null) {
                sha.update(bytes, start, end - start);
            }
            progress.advance(end - start);
            in.flip();
            while (decode) {
                CoderResult r = decoder.decode(in, out.buffer, eof);
                if (r.isUnderflow()) {
                    break;
                }
                if (r.isOverflow()) {
                    out.deliver();
                } else {
                    int at = in.position();
                    if (!lenient) {
                        throw new DataException(String.format(
                                "%s is not valid UTF-8: malformed byte 0x%02X at byte offset %d"
                                        + " (pass the lenient option to replace bad bytes with U+FFFD)",
                                path, bytes[at] & 0xFF, base + at));
                    }
                    if (firstReplaced < 0) {
                        firstReplaced = base + at;
                    }
                    replaced++;
                    if (!out.buffer.hasRemaining()) {
                        out.deliver();
                    }
                    // One U+FFFD per malformed sequence, as CodingErrorAction.REPLACE would give.
                    out.buffer.put('\uFFFD');
                    in.position(at + r.length());
                }
                decode = out.taking || validateAll;
            }
            if (decode) {
                if (eof) {
                    decoder.flush(out.buffer);
                }
                out.deliver();
                decode = out.taking || validateAll;
            } else {
                in.position(in.limit());
            }
            base += in.position();
            in.compact();
        }
        if (out != null && out.taking) {
            chars.end();
        }
        return new Pass(before.size(), before.lastModifiedTime(), base, (int) crc.getValue(), replaced,
                firstReplaced);
    }

    /** A file that grew, shrank or was written while it was read gives tokens of no one version of it. */
    private void checkUnchanged(BasicFileAttributes before, Pass p) throws IOException {
        BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class);
        if (after.size() != before.size()) {
            throw changed(path, (after.size() > before.size() ? "it grew" : "it shrank") + " from "
                    + before.size() + " to " + after.size() + " bytes while it was read");
        }
        if (!after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw changed(path, "it was written to while it was read");
        }
        if (p.read != before.size()) {
            throw changed(path, "it had " + before.size() + " bytes when reading began, and " + p.read
                    + " were read");
        }
    }

    /** The one line for a file that changed under the reader, saying how. */
    static DataException changed(Path path, String what) {
        return new DataException(path + " changed (" + what + "): load it again once nothing is writing to it");
    }

    static DataException cannotRead(Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DataException("no such file: " + path, e);
        }
        if (e instanceof AccessDeniedException) {
            return new DataException("cannot read " + path + ": permission denied", e);
        }
        if (e instanceof java.nio.channels.ClosedByInterruptException) {
            return new DataException("reading " + path + " was interrupted", e);
        }
        String why = e.getMessage();
        return new DataException("cannot read " + path + ": " + (why == null ? e.getClass().getSimpleName() : why), e);
    }

    /** The decoded text on its way to {@link Chars}, less a leading byte order mark. */
    private static final class Output {
        final CharBuffer buffer;
        private final char[] array;
        private final Chars chars;
        private boolean first = true;
        boolean taking = true;

        Output(Chars chars, int size) {
            this.array = new char[size];
            this.buffer = CharBuffer.wrap(array);
            this.chars = chars;
        }

        void deliver() {
            int n = buffer.position();
            int from = 0;
            if (first && n > 0) {
                first = false;
                if (array[0] == '\uFEFF') {
                    from = 1; // a UTF-8 byte order mark is not text
                }
            }
            if (taking && n > from) {
                taking = chars.take(array, from, n);
            }
            buffer.clear();
        }
    }
}
