package rnn.lm.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a corpus file as UTF-8, with errors that say which file and which byte. */
final class TextFile {

    /** How far to look for a NUL byte, as git and grep do to tell binary from text. */
    static final int BINARY_PROBE = 8192;

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    private TextFile() {}

    static String read(Path path, boolean lenient) {
        if (Files.isDirectory(path)) {
            throw new DataException(path + " is a directory, not a text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DataException("no such file: " + path, e);
        } catch (AccessDeniedException e) {
            throw new DataException("cannot read " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new DataException(path + " is too large to load into memory", e);
        }
        int probe = Math.min(bytes.length, BINARY_PROBE);
        for (int i = 0; i < probe; i++) {
            if (bytes[i] == 0) {
                throw new DataException(path + " looks like a binary file (NUL byte at byte offset " + i
                        + "), not UTF-8 text");
            }
        }
        return decode(path, bytes, lenient);
    }

    /**
     * Decodes in one pass with REPORT so the first malformed sequence's byte offset is known; in
     * lenient mode each malformed sequence becomes one U+FFFD, as CodingErrorAction.REPLACE would.
     */
    static String decode(Path path, byte[] bytes, boolean lenient) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never gives more chars than bytes, and a replacement stands for at least one byte.
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        int bad = 0;
        int firstBad = -1;
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                break;
            }
            if (!r.isError()) {
                throw new IllegalStateException("UTF-8 decoding of " + path + " stopped: " + r);
            }
            int offset = in.position();
            if (!lenient) {
                throw new DataException(String.format(
                        "%s is not valid UTF-8: malformed byte 0x%02X at byte offset %d"
                                + " (pass the lenient option to replace bad bytes with U+FFFD)",
                        path, bytes[offset] & 0xFF, offset));
            }
            if (firstBad < 0) {
                firstBad = offset;
            }
            bad++;
            out.put('\uFFFD');
            in.position(offset + r.length());
        }
        decoder.flush(out);
        out.flip();
        if (bad > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0}: replaced {1} malformed UTF-8 sequence(s) with U+FFFD,"
                    + " the first at byte offset {2}", path, bad, firstBad);
        }
        String text = out.toString();
        // A UTF-8 byte order mark is not text.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
