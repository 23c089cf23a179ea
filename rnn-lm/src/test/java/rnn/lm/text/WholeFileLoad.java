package rnn.lm.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The loader as it was before streaming, kept as the oracle that the streaming reader must agree with:
 * the whole file as bytes, decoded in one call, then {@link Corpus#fromText}.
 */
final class WholeFileLoad {

    private WholeFileLoad() {}

    static Corpus fromFile(Path path, Tokenizer tokenizer, int maxTokens, int minFreq, boolean lenient) {
        return Corpus.fromText(path.toString(), read(path, lenient), tokenizer, maxTokens, minFreq);
    }

    static String read(Path path, boolean lenient) {
        if (Files.isDirectory(path)) {
            throw new DataException(path + " is a directory, not a text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DataException("no such file: " + path, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e.getMessage(), e);
        }
        int probe = Math.min(bytes.length, TextStream.BINARY_PROBE);
        for (int i = 0; i < probe; i++) {
            if (bytes[i] == 0) {
                throw new DataException(path + " looks like a binary file (NUL byte at byte offset " + i
                        + "), not UTF-8 text");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                break;
            }
            int offset = in.position();
            if (!lenient) {
                throw new DataException(String.format(
                        "%s is not valid UTF-8: malformed byte 0x%02X at byte offset %d"
                                + " (pass the lenient option to replace bad bytes with U+FFFD)",
                        path, bytes[offset] & 0xFF, offset));
            }
            out.put('\uFFFD');
            in.position(offset + r.length());
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
