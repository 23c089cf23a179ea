package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnn.lm.text.CorpusReaderTest.assertOneLine;
import static rnn.lm.text.CorpusReaderTest.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token cache: found again, rebuilt when damaged, and never left half-written. */
class TokenCacheTest {

    @TempDir Path dir;
    private ReaderFolder folder;

    @BeforeEach
    void folder() {
        folder = new ReaderFolder(dir);
    }

    /** A channel that takes {@code room} bytes and then fails as a full disk does. */
    private static final class FullDisk implements java.nio.channels.SeekableByteChannel {
        private final java.nio.channels.SeekableByteChannel out;
        private long room;

        FullDisk(java.nio.channels.SeekableByteChannel out, long room) {
            this.out = out;
            this.room = room;
        }

        @Override
        public int write(java.nio.ByteBuffer b) throws IOException {
            if (room == 0) {
                throw new IOException("No space left on device");
            }
            java.nio.ByteBuffer part = b.slice(b.position(), (int) Math.min(room, b.remaining()));
            int n = out.write(part);
            b.position(b.position() + n);
            room -= n;
            return n;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            return out.read(dst);
        }

        @Override
        public long position() throws IOException {
            return out.position();
        }

        @Override
        public java.nio.channels.SeekableByteChannel position(long p) throws IOException {
            out.position(p);
            return this;
        }

        @Override
        public long size() throws IOException {
            return out.size();
        }

        @Override
        public java.nio.channels.SeekableByteChannel truncate(long size) throws IOException {
            out.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    @Test
    void aFullDiskWhileWritingTheCacheIsOneClearLineAndLeavesNothingBehind() throws IOException {
        Path p = folder.write("big.txt", text(50_000));
        Corpus expected = WholeFileLoad.fromFile(p, Tokenizer.RAW, 0, 1, false);
        for (long room : new long[] {0, 100, 30_000}) {
            CorpusReader forced = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096);
            forced.opener = temp -> new FullDisk(TokenCache.Opener.FILES.open(temp), room);
            DataException e = assertThrows(DataException.class, forced::read);
            assertOneLine(e.getMessage(), "cannot write the token cache", dir.resolve("tokens").toString(),
                    "No space left on device", "it needs");
            assertEquals(List.of(), folder.cacheFiles(), "room " + room);
        }
        // Left to choose, a corpus that fits the heap after all stays there, with one warning.
        try (LogCapture log = new LogCapture()) {
            CorpusReader auto = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.AUTO, 4096);
            auto.heapBudget = 100_000; // 4 bytes × 50,000 might not fit; 1 byte × 50,000 does
            auto.opener = temp -> new FullDisk(TokenCache.Opener.FILES.open(temp), 1000);
            assertEquals(expected, auto.read());
            List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARNING")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertOneLine(warnings.get(0), "No space left on device", "on the heap instead");
        }
        assertEquals(List.of(), folder.cacheFiles());
    }

    @Test
    void aSecondLoadMapsTheCacheAndADamagedCacheIsRebuilt() throws IOException {
        Path p = folder.write("cached.txt", text(20_000));
        Corpus expected = WholeFileLoad.fromFile(p, Tokenizer.D2L, 0, 1, false);
        Supplier<Corpus> load = () -> folder.reader(p, Tokenizer.D2L, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read();
        assertEquals(expected, load.get());
        Path file = folder.cacheFiles().getFirst();
        assertTrue(file.getFileName().toString().endsWith("-d2l-max0-min1.tokens"), file.toString());
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        try (LogCapture log = new LogCapture()) {
            assertEquals(expected, load.get());
            assertEquals(key, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                    "found, not written again");
            assertTrue(log.lines().stream().noneMatch(l -> l.startsWith("WARNING")), log.lines().toString());
        }
        byte[] good = Files.readAllBytes(file);
        record Damage(String name, String says, java.util.function.UnaryOperator<byte[]> how) {
        }
        List<Damage> damages = List.of(
                new Damage("an id flipped", "do not match their checksum", b -> {
                    b[b.length - 1] ^= 1;
                    return b;
                }),
                new Damage("cut short", "cut short", b -> java.util.Arrays.copyOf(b, b.length / 2)),
                new Damage("empty", "cut short", b -> new byte[0]),
                new Damage("not a cache", "not a token cache", b -> {
                    b[0] = 'X';
                    return b;
                }),
                new Damage("header garbled", "header does not match its checksum", b -> {
                    b[70] ^= 1; // min_freq
                    return b;
                }),
                new Damage("one byte more", "promises", b -> java.util.Arrays.copyOf(b, b.length + 1)));
        for (Damage d : damages) {
            Files.write(file, d.how().apply(good.clone()));
            try (LogCapture log = new LogCapture()) {
                assertEquals(expected, load.get(), d.name());
                List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARNING")).toList();
                assertEquals(1, warnings.size(), d.name() + ": " + warnings);
                assertOneLine(warnings.get(0), file.toString(), "is damaged", d.says(), "rebuilding it");
            }
            assertEquals(List.of(file), folder.cacheFiles(), d.name());
            assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(file)), d.name() + ": rebuilt as it was");
        }
    }

    @Test
    void anUnreadableCacheIsRebuiltOrIfItCannotBeReplacedOneClearLine() throws IOException {
        Path p = folder.write("unreadable.txt", text(8000));
        Corpus expected = WholeFileLoad.fromFile(p, Tokenizer.RAW, 0, 1, false);
        folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read();
        Path file = folder.cacheFiles().getFirst();
        Files.delete(file);
        // A directory where the file should be: it cannot be read, nor replaced by a rename.
        Files.createDirectories(file.resolve("in-the-way"));
        try (LogCapture log = new LogCapture()) {
            DataException e = assertThrows(DataException.class,
                    () -> folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read());
            assertOneLine(e.getMessage(), "cannot write the token cache " + file);
            assertOneLine(log.lines().getFirst(), "WARNING", "cannot read the token cache " + file, "rebuilding it");
            log.clear();
            CorpusReader auto = folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.AUTO, 4096);
            auto.heapBudget = 10_000;
            assertEquals(expected, auto.read());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("on the heap instead")), log.lines().toString());
        }
        assertEquals(List.of(file), folder.cacheFiles(), "no temporary file is left");
    }

    @Test
    void aStrictLoadOfACachedLenientTextStillFailsAtTheBadByte() throws IOException {
        Path p = folder.write("lenient.txt", new byte[] {'a', 'b', (byte) 0xFF, 'c', 'd'});
        try (LogCapture log = new LogCapture()) {
            Corpus lenient = folder.reader(p, Tokenizer.RAW, 0, 1, true, CorpusReader.Storage.MAPPED, 4096).read();
            assertEquals("ab\uFFFDcd", lenient.vocabulary().decode(lenient.ids()));
            assertEquals(lenient, folder.reader(p, Tokenizer.RAW, 0, 1, true, CorpusReader.Storage.MAPPED, 4096).read());
            assertEquals(2, log.lines().stream().filter(l -> l.contains("replaced 1 malformed")).count(),
                    "the warning again when the cache is used");
        }
        DataException e = assertThrows(DataException.class,
                () -> folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read());
        assertOneLine(e.getMessage(), "byte offset 2", "0xFF");
    }

    @Test
    void aTemporaryFileLeftByAKilledWriterIsRemovedByTheNextOne() throws IOException {
        Path p = folder.write("orphan.txt", text(3000));
        folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read();
        Path file = folder.cacheFiles().getFirst();
        Path orphan = file.resolveSibling("." + file.getFileName() + ".123.part");
        Path live = file.resolveSibling("." + file.getFileName() + ".456.part");
        Files.write(orphan, new byte[100]);
        Files.setLastModifiedTime(orphan, FileTime.fromMillis(System.currentTimeMillis()
                - TokenCache.STALE.toMillis() - 60_000));
        Files.write(live, new byte[100]); // another process may be writing this one right now
        Files.delete(file);
        folder.reader(p, Tokenizer.RAW, 0, 1, false, CorpusReader.Storage.MAPPED, 4096).read();
        assertFalse(Files.exists(orphan));
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(file));
    }
}
