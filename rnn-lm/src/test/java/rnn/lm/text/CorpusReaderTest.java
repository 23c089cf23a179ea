package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming reader gives exactly what reading the whole text gave, in every storage and at every chunk size. */
class CorpusReaderTest {

    @TempDir Path dir;
    private ReaderFolder folder;

    @BeforeEach
    void folder() {
        folder = new ReaderFolder(dir);
    }

    static final String[] PIECES = {
        "a", "b", "e", "Z", "the ", "Time", "Traveller", " ", "  ", ".", ",", "it's", "--", "1898", "\t",
        "\n", "\n\n", "\r\n", "\r", "é", "ß", "€", "日本", "😀", "𝔘", "\uFEFF", "\u00A0",
    };

    /** Bytes that are not UTF-8: a stray continuation, a lone lead, a truncated sequence, an encoded surrogate, an overlong. */
    private static final byte[][] MALFORMED = {
        {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF0, (byte) 0x9F},
    };

    private static byte[] randomText(Random r, boolean malformed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.nextInt(5) == 0) {
            out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        }
        int pieces = r.nextInt(r.nextBoolean() ? 20 : 300);
        for (int i = 0; i < pieces; i++) {
            if (malformed && r.nextInt(15) == 0) {
                out.writeBytes(MALFORMED[r.nextInt(MALFORMED.length)]);
            } else {
                out.writeBytes(PIECES[r.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Both give the same corpus, or both fail with the same exception and message. */
    private static void assertSameOutcome(Supplier<Corpus> expected, Supplier<Corpus> actual) {
        Corpus e;
        try {
            e = expected.get();
        } catch (RuntimeException failure) {
            RuntimeException got = assertThrows(RuntimeException.class, actual::get);
            assertEquals(failure.getClass(), got.getClass(), got.toString());
            assertEquals(failure.getMessage(), got.getMessage());
            return;
        }
        Corpus a = actual.get();
        assertEquals(e, a);
        assertEquals(TokenIds.widthFor(e.vocabulary().size()), a.tokens().width());
    }

    @Test
    void streamingGivesTheWholeTextResultForRandomTexts() {
        int[] chunks = {8, 9, 13, 64, TextStream.CHUNK};
        AtomicInteger n = new AtomicInteger();
        try (LogCapture quiet = new LogCapture()) {
        qt().withExamples(400).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            boolean malformed = r.nextInt(3) == 0;
            boolean lenient = r.nextBoolean();
            Tokenizer t = Tokenizer.values()[r.nextInt(3)];
            int max = r.nextBoolean() ? 0 : 1 + r.nextInt(200);
            int minFreq = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            int chunk = chunks[r.nextInt(chunks.length)];
            CorpusReader.Storage storage = r.nextInt(4) == 0 ? CorpusReader.Storage.MAPPED : CorpusReader.Storage.HEAP;
            Path p;
            try {
                p = folder.write("t" + n.incrementAndGet() + ".txt", randomText(r, malformed));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertSameOutcome(() -> WholeFileLoad.fromFile(p, t, max, minFreq, lenient),
                    () -> folder.reader(p, t, max, minFreq, lenient, storage, chunk).read());
        });
        }
    }

    @Test
    void randomBytesGiveTheSameTextOrTheSameErrorAtTheSameByteOffset() {
        AtomicInteger n = new AtomicInteger();
        try (LogCapture quiet = new LogCapture()) {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] bytes = new byte[r.nextInt(200)];
            r.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                // Mostly ASCII and continuation bytes, and NUL only past the binary probe's reach when it matters.
                bytes[i] = bytes[i] == 0 ? (byte) ' ' : r.nextBoolean() ? (byte) ('a' + (bytes[i] & 15)) : bytes[i];
            }
            boolean lenient = r.nextBoolean();
            Tokenizer t = Tokenizer.values()[r.nextInt(3)];
            Path p;
            try {
                p = folder.write("b" + n.incrementAndGet() + ".txt", bytes);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            assertSameOutcome(() -> WholeFileLoad.fromFile(p, t, 0, 1, lenient),
                    () -> folder.reader(p, t, 0, 1, lenient, CorpusReader.Storage.HEAP, 8 + r.nextInt(8)).read());
        });
        }
    }

    @Test
    void theTimeMachineStreamsToTheSameCorpusWithEveryTokenizerAndStorage() throws IOException {
        Path p = TimeMachineFile.require();
        for (Tokenizer t : Tokenizer.values()) {
            for (int max : new int[] {0, 10_000}) {
                Corpus expected = WholeFileLoad.fromFile(p, t, max, 1, false);
                for (CorpusReader.Storage s : List.of(CorpusReader.Storage.HEAP, CorpusReader.Storage.MAPPED)) {
                    assertEquals(expected, folder.reader(p, t, max, 1, false, s, 4099).read(), t + " " + max + " " + s);
                }
            }
        }
        Corpus rare = WholeFileLoad.fromFile(p, Tokenizer.WORD, 0, 5, false);
        assertEquals(rare, folder.reader(p, Tokenizer.WORD, 0, 5, false, CorpusReader.Storage.MAPPED, TextStream.CHUNK).read());
    }

    /** A text of {@code distinct} different code points, none of them surrogates. */
    private static String distinctCodePoints(int distinct) {
        StringBuilder sb = new StringBuilder();
        for (int cp = 1, k = 0; k < distinct; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            sb.appendCodePoint(cp);
            k++;
        }
        return sb.toString();
    }

    @Test
    void idsTakeOneByteUpTo256TypesTwoUpTo65536AndFourBeyond() throws IOException {
        // The vocabulary is the distinct code points plus <unk>.
        int[][] cases = {{255, 1}, {256, 2}, {65_535, 2}, {65_536, 4}};
        for (int[] c : cases) {
            Path p = folder.write("w" + c[0] + ".txt", distinctCodePoints(c[0]).getBytes(StandardCharsets.UTF_8));
            Corpus expected = WholeFileLoad.fromFile(p, Tokenizer.RAW, 0, 1, false);
            for (CorpusReader.Storage s : List.of(CorpusReader.Storage.HEAP, CorpusReader.Storage.MAPPED)) {
                Corpus got = folder.reader(p, Tokenizer.RAW, 0, 1, false, s, TextStream.CHUNK).read();
                assertEquals(c[0] + 1, got.vocabulary().size());
                assertEquals(c[1], got.tokens().width(), c[0] + " types, " + s);
                assertEquals(expected, got);
            }
        }
    }

    @Test
    void theSystemPropertyChoosesTheStorageAndAnUnknownValueFails() {
        assertEquals(CorpusReader.Storage.AUTO, CorpusReader.Storage.of(null));
        assertEquals(CorpusReader.Storage.AUTO, CorpusReader.Storage.of(" Auto "));
        assertEquals(CorpusReader.Storage.MAPPED, CorpusReader.Storage.of("always"));
        assertEquals(CorpusReader.Storage.HEAP, CorpusReader.Storage.of("never"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorpusReader.Storage.of("sometimes"));
        assertTrue(e.getMessage().contains(CorpusReader.PROPERTY) && e.getMessage().contains("auto, always or never"),
                e.getMessage());
    }

    @Test
    void autoKeepsSmallCorporaOnTheHeapAndLargeOnesInTheCache() throws IOException {
        Path p = folder.write("small.txt", "the time machine by h g wells".getBytes(StandardCharsets.UTF_8));
        CorpusReader heap = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.AUTO, TextStream.CHUNK);
        assertEquals(WholeFileLoad.fromFile(p, Tokenizer.RAW, 0, 1, false), heap.read());
        assertFalse(Files.exists(dir.resolve("tokens")), "no cache for a corpus that fits");
        CorpusReader tight = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.AUTO, TextStream.CHUNK);
        tight.heapBudget = 100; // 29 bytes might need 4 × 29 > 100
        assertEquals(WholeFileLoad.fromFile(p, Tokenizer.RAW, 0, 1, false), tight.read());
        assertEquals(1, folder.cacheFiles().size());
    }

    private static final CorpusReader.Storage[] BOTH = {CorpusReader.Storage.HEAP, CorpusReader.Storage.MAPPED};

    static void assertOneLine(String message, String... parts) {
        assertFalse(message.contains("\n"), message);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }

    /** ASCII text with line ends, the same for the same length. */
    static byte[] text(int bytes) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(bytes);
        while (sb.length() < bytes) {
            sb.append(PIECES[r.nextInt(16)]); // ASCII and line ends only
        }
        return sb.substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aFileChangedBetweenThePassesIsOneClearErrorAndLeavesNoCache() throws IOException {
        for (CorpusReader.Storage s : BOTH) {
            Path p = folder.write("changed-" + s + ".txt", text(5000));
            FileTime t0 = Files.getLastModifiedTime(p);
            CorpusReader sameSize = folder.reader(p, Tokenizer.RAW, 0, 1, false, s, 64);
            sameSize.afterCounting = () -> {
                try {
                    // One letter changed, the size and the time put back: only the checksum can tell.
                    byte[] b = Files.readAllBytes(p);
                    b[4000] = (byte) (b[4000] == 'a' ? 'b' : 'a');
                    Files.write(p, b);
                    Files.setLastModifiedTime(p, t0);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            };
            DataException e = assertThrows(DataException.class, sameSize::read);
            assertOneLine(e.getMessage(), p.toString(), "changed", "two passes");
            CorpusReader grown = folder.reader(p, Tokenizer.WORD, 0, 1, false, s, 64);
            grown.afterCounting = () -> {
                try {
                    Files.write(p, "more words".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
                } catch (IOException x) {
                    throw new AssertionError(x);
                }
            };
            assertOneLine(assertThrows(DataException.class, grown::read).getMessage(), p.toString(), "changed");
        }
        assertEquals(List.of(), folder.cacheFiles(), "nothing half-written is left in the cache");
    }

    @Test
    void aFileThatGrowsShrinksOrIsWrittenWhileItIsReadIsOneClearError() throws IOException {
        String[][] cases = {{"grow", "it grew from 3000 to 3004 bytes"}, {"shrink", "it shrank from 3000 to 1000 bytes"},
            {"write", "it was written to while it was read"}};
        for (String[] c : cases) {
            Path p = folder.write(c[0] + ".txt", text(3000));
            TextStream stream = new TextStream(p, false, new LoadProgress(p.toString(), 3000, Long.MAX_VALUE), 16);
            TextStream.Chars meddler = new TextStream.Chars() {
                boolean done;

                @Override
                public boolean take(char[] chars, int from, int to) {
                    if (!done) {
                        done = true;
                        try {
                            switch (c[0]) {
                                case "grow" -> Files.write(p, "more".getBytes(StandardCharsets.US_ASCII),
                                        StandardOpenOption.APPEND);
                                case "shrink" -> {
                                    try (var ch = java.nio.channels.FileChannel.open(p, StandardOpenOption.WRITE)) {
                                        ch.truncate(1000);
                                    }
                                }
                                default -> {
                                    Files.write(p, text(3000));
                                    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() + 5000));
                                }
                            }
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                    return true;
                }

                @Override
                public void end() {
                }
            };
            DataException e = assertThrows(DataException.class, () -> stream.read(meddler, true, null, false));
            assertOneLine(e.getMessage(), p.toString(), c[1], "load it again");
        }
    }

    @Test
    void loadingLogsItsProgressAndOneClosingLine() throws IOException {
        Path p = folder.write("progress.txt", text(100_000));
        try (LogCapture log = new LogCapture()) {
            CorpusReader r = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.HEAP, 8192);
            r.progressInterval = 0;
            Corpus c = r.read();
            List<String> lines = log.lines();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO") && l.contains("counting tokens (pass 1 of 2)")
                    && l.contains("MB/s")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("encoding tokens (pass 2 of 2)")), lines.toString());
            String last = lines.getLast();
            assertOneLine(last, p.toString(), String.format(java.util.Locale.ROOT, "%,d tokens", c.length()),
                    "vocabulary " + c.vocabulary().size(), "1 byte(s) per id on the heap", "loaded in");
            assertTrue(last.startsWith("FINE"), "a small corpus closes at DEBUG: " + last);
        }
    }

    @Test
    void aWordLongerThanAnyTextHasIsRefusedNotGrownWithoutBound() throws IOException {
        byte[] b = new byte[TokenScanner.MAX_WORD + 10];
        java.util.Arrays.fill(b, (byte) 'a');
        Path p = folder.write("one-word.txt", b);
        DataException e = assertThrows(DataException.class,
                () -> folder.reader(p, Tokenizer.WORD, 0, 1, false, CorpusReader.Storage.HEAP, TextStream.CHUNK).read());
        assertOneLine(e.getMessage(), p.toString(), "a word of more than 1048576 letters");
        assertEquals(b.length, folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.HEAP, TextStream.CHUNK).read()
                .length(), "characters are fine");
    }

    @Test
    void anInterruptedLoadSaysSo() throws IOException {
        Path p = folder.write("interrupted.txt", text(1000));
        Thread.currentThread().interrupt();
        try {
            DataException e = assertThrows(DataException.class,
                    () -> folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.HEAP, TextStream.CHUNK).read());
            assertOneLine(e.getMessage(), "reading " + p + " was interrupted");
        } finally {
            Thread.interrupted();
        }
    }
}
