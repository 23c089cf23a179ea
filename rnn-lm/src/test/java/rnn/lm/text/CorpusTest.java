package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    @TempDir Path dir;

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void timeMachineHasD2lCounts() {
        Corpus c = Corpus.fromFile(TimeMachineFile.require(), Tokenizer.D2L, 0, false);
        assertEquals(170580, c.length());
        assertEquals(28, c.vocabulary().size());
        // d2l's vocabulary: <unk>, then space and e, t, a, i... by frequency.
        assertEquals(List.of("<unk>", " ", "e", "t", "a", "i"), c.vocabulary().tokens().subList(0, 6));
        assertEquals("the time machine by h g wells", c.vocabulary().decode(c.ids(), 0, 29));
    }

    @Test
    void timeMachineHasD2lWordCounts() {
        Corpus c = Corpus.fromFile(TimeMachineFile.require(), Tokenizer.WORD, 0, false);
        // d2l: Vocab(tokenize(read_time_machine(), 'word')): 32,775 words, 4,580 tokens, <unk> then the, i, and...
        assertEquals(32775, c.length());
        assertEquals(4580, c.vocabulary().size());
        assertEquals(List.of("<unk>", "the", "i", "and", "of", "a", "to", "was", "in", "that"),
                c.vocabulary().tokens().subList(0, 10));
        assertEquals("the time machine by h g wells", c.vocabulary().decode(c.ids(), 0, 7));
        assertTrue(c.vocabulary().index("time") > 0 && c.vocabulary().index("traveller") > 0, "the default prefix is two known words");
        Corpus frequent = Corpus.fromFile(TimeMachineFile.require(), Tokenizer.WORD, 0, 5, false);
        assertEquals(32775, frequent.length());
        assertTrue(frequent.vocabulary().size() < 1000, "words seen 5 times or more: " + frequent.vocabulary().size());
    }

    @Test
    void wordCorporaCountWordsForMaxTokensAndMapRareWordsToUnknown() {
        String text = "The cat saw the dog.\nThe cat ran; the END";
        Corpus c = Corpus.fromText("t", text, Tokenizer.WORD, 6);
        assertEquals(6, c.length(), "max tokens counts words");
        assertEquals("the cat saw the dog the", c.vocabulary().decode(c.ids()));
        Corpus rare = Corpus.fromText("t", text, Tokenizer.WORD, 0, 2);
        assertEquals(List.of("<unk>", "the", "cat"), rare.vocabulary().tokens());
        assertEquals("the cat <unk> the <unk> the cat <unk> the <unk>", rare.vocabulary().decode(rare.ids()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Corpus.fromText("t", text, Tokenizer.WORD, 0, 5));
        assertTrue(e.getMessage().contains("no word of t occurs at least 5 times"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Corpus.fromText("t", text, Tokenizer.WORD, 0, 0));
        DataException empty = assertThrows(DataException.class, () -> Corpus.fromText("t", "1898 -- ?", Tokenizer.WORD, 0));
        assertTrue(empty.getMessage().contains("no tokens after the word tokenizer"), empty.getMessage());
        // A word vocabulary does not go with a character tokenizer.
        assertThrows(IllegalArgumentException.class, () -> new Corpus("t", Tokenizer.D2L, c.vocabulary(), c.ids()));
    }

    @Test
    void maxTokensKeepsTheFirstTokensAndBuildsTheVocabularyFromThem() {
        Corpus c = Corpus.fromText("t", "abcabd zzz", Tokenizer.RAW, 5);
        assertEquals(5, c.length());
        assertEquals(List.of("<unk>", "a", "b", "c"), c.vocabulary().tokens());
        assertEquals("abcab", c.vocabulary().decode(c.ids()));
        assertEquals(10, Corpus.fromText("t", "abcabd zzz", Tokenizer.RAW, 0).length());
        assertEquals(10, Corpus.fromText("t", "abcabd zzz", Tokenizer.RAW, 100).length());
    }

    @Test
    void splitTakesTheTailForValidation() {
        Corpus c = Corpus.fromText("t", "abcdefghij", Tokenizer.RAW, 0);
        Corpus.Split s = c.split(0.3);
        assertArrayEquals(Arrays.copyOfRange(c.ids(), 0, 7), s.train());
        assertArrayEquals(Arrays.copyOfRange(c.ids(), 7, 10), s.validation());
        Corpus.Split none = c.split(0);
        assertEquals(10, none.train().length);
        assertEquals(0, none.validation().length);
        assertThrows(IllegalArgumentException.class, () -> c.split(1));
        assertThrows(IllegalArgumentException.class, () -> c.split(-0.1));
        assertThrows(IllegalArgumentException.class, () -> c.split(Double.NaN));
    }

    @Test
    void strictUtf8NamesTheFileAndTheByteOffset() throws IOException {
        // 'é' is two bytes, so the lone 0xFF is at byte offset 2 + 2 + 1 = 5.
        Path p = write("bad.txt", concat(utf8("ab\u00e9c"), new byte[] {(byte) 0xFF}, utf8("def")));
        DataException e = assertThrows(DataException.class, () -> Corpus.fromFile(p, Tokenizer.RAW, 0, false));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("byte offset 5"), e.getMessage());
        assertTrue(e.getMessage().contains("0xFF"), e.getMessage());
        assertTrue(e.getMessage().contains("lenient"), e.getMessage());
    }

    @Test
    void truncatedSequenceAtTheEndIsMalformed() throws IOException {
        Path p = write("cut.txt", concat(utf8("abc"), new byte[] {(byte) 0xE2, (byte) 0x82}));
        DataException e = assertThrows(DataException.class, () -> Corpus.fromFile(p, Tokenizer.RAW, 0, false));
        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
    }

    @Test
    void lenientReplacesBadBytes() throws IOException {
        Path p = write("bad.txt", concat(utf8("ab"), new byte[] {(byte) 0xFF}, utf8("c"), new byte[] {(byte) 0xC3}));
        Corpus c = Corpus.fromFile(p, Tokenizer.RAW, 0, true);
        assertEquals("ab\uFFFDc\uFFFD", c.vocabulary().decode(c.ids()));
        assertEquals(p.toString(), c.source());
    }

    @Test
    void byteOrderMarkIsNotAToken() throws IOException {
        Path p = write("bom.txt", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("hi")));
        assertEquals(2, Corpus.fromFile(p, Tokenizer.RAW, 0, false).length());
    }

    @Test
    void binaryFileIsRejected() throws IOException {
        Path p = write("model.bin", new byte[] {'P', 'K', 3, 4, 0, 0, 'x'});
        DataException e = assertThrows(DataException.class, () -> Corpus.fromFile(p, Tokenizer.RAW, 0, true));
        assertTrue(e.getMessage().contains("binary") && e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void emptyFileAndFileWithoutLettersAreEmptyCorpora() throws IOException {
        Path empty = write("empty.txt", new byte[0]);
        DataException e = assertThrows(DataException.class, () -> Corpus.fromFile(empty, Tokenizer.RAW, 0, false));
        assertTrue(e.getMessage().contains("no tokens") && e.getMessage().contains(empty.toString()), e.getMessage());
        Path digits = write("digits.txt", utf8("123 456\n"));
        assertThrows(DataException.class, () -> Corpus.fromFile(digits, Tokenizer.D2L, 0, false));
        assertEquals(8, Corpus.fromFile(digits, Tokenizer.RAW, 0, false).length());
    }

    @Test
    void directoryAndMissingFileAreClearErrors() {
        DataException d = assertThrows(DataException.class, () -> Corpus.fromFile(dir, Tokenizer.RAW, 0, false));
        assertTrue(d.getMessage().contains("directory"), d.getMessage());
        Path missing = dir.resolve("nope.txt");
        DataException m = assertThrows(DataException.class, () -> Corpus.fromFile(missing, Tokenizer.RAW, 0, false));
        assertTrue(m.getMessage().contains("no such file") && m.getMessage().contains(missing.toString()),
                m.getMessage());
    }

    @Test
    void unreadableFileIsAClearError() throws IOException {
        Path p = write("secret.txt", utf8("text"));
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            assumeFalse(true, "no POSIX permissions here");
        }
        assumeFalse(Files.isReadable(p), "running as a user who can read anything (root)");
        DataException e = assertThrows(DataException.class, () -> Corpus.fromFile(p, Tokenizer.RAW, 0, false));
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    }

    @Test
    void recordRejectsIdsOutsideTheVocabulary() {
        Vocabulary v = Vocabulary.build(new int[] {'a'});
        assertThrows(IllegalArgumentException.class, () -> new Corpus("x", Tokenizer.RAW, v, new int[] {2}));
    }
}
