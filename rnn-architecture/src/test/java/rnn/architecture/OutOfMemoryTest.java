package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory, in a child JVM with a small heap as a user's machine would have a large one: one
 * {@code error:} line that names the remedy, no stack trace, and an exit that does not wait for anything.
 * Sizes the command can see coming are refused before any work; the rest ends in the OutOfMemoryError line.
 */
class OutOfMemoryTest {

    private static final List<String> SMALL_HEAP = List.of("--add-modules", "jdk.incubator.vector", "-Xmx64m");

    @TempDir
    static Path dir;

    private static String corpus() throws Exception {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "the time traveller for so it will be convenient to speak of him was expounding ".repeat(40));
        return text.toString();
    }

    private static String oneErrorLine(ModulePathTest.Run r) {
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception") || r.err().contains("OutOfMemoryError"),
                "no stack trace: " + r.err());
        return errors.getFirst();
    }

    @Test
    void aModelLargerThanTheHeapIsRefusedBeforeAnyWork() throws Exception {
        ModulePathTest.Run r = ModulePathTest.rnn(SMALL_HEAP, "train", "--corpus", corpus(), "--hidden", "30000", "--epochs", "1",
                "--backend", "naive", "--out", dir.resolve("big").toString());
        String line = oneErrorLine(r);
        assertTrue(line.contains("the largest part, W_hh [30000, 30000] and its gradient, would need 6.7 GiB (7,200,000,000 bytes): "
                + "use a smaller --hidden, or raise the heap with RNN_JAVA_OPTS=-Xmx"), line);
        assertEquals(2, r.exit(), line);
        assertFalse(Files.exists(dir.resolve("big")), "nothing written");
    }

    @Test
    void runningOutOfMemoryWhileTrainingEndsInOneLineNamingTheRemedy() throws Exception {
        // 3.3 M parameters: with their gradients and the epoch-start copy the estimate (a lower bound) is about
        // 59 MiB, under the 64 MiB heap, so it lets the run through; Adam's two moments then do not fit.
        ModulePathTest.Run r = ModulePathTest.rnn(SMALL_HEAP, "train", "--corpus", corpus(), "--hidden", "1800",
                "--optimizer", "adam", "--epochs", "1", "--backend", "naive", "--out", dir.resolve("oom").toString());
        String line = oneErrorLine(r);
        // The JVM's words (Java heap space, GC overhead limit exceeded) and the heap it reports depend on the collector.
        assertTrue(line.matches("error: out of memory \\([^)]+, heap max \\d+ MiB\\) in rnn train, at \\w+\\.\\w+: .*"), line);
        assertTrue(line.endsWith(": use a smaller --hidden, --layers, --batch, --steps or --max-tokens, or raise the heap with "
                + "RNN_JAVA_OPTS=-Xmx1g"), line);
        // Not 130: training's interruption hook would take the exit for a signal and wait for a checkpoint.
        assertEquals(1, r.exit(), line);
    }
}
