package rnn.lm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void replacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("metrics.json");
        AtomicFiles.write(target, "{\"a\": 1}");
        AtomicFiles.write(target, "{\"é\": 2}");
        assertEquals("{\"é\": 2}", Files.readString(target));
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void aWriterThatFailsMidwayLeavesThePreviousFileByteIdentical() throws IOException {
        Path target = dir.resolve("model.safetensors");
        SplittableRandom r = new SplittableRandom(3);
        Map<String, Safetensors.Tensor> old = Fixtures.tensors(r, 4);
        Safetensors.write(target, old, Map.of("epoch", "1"));
        byte[] before = Files.readAllBytes(target);
        byte[] next = Fixtures.bytes(Map.of("big", new Safetensors.Tensor(new int[] {100_000}, new float[100_000])),
                Map.of("epoch", "2"));

        // Half of a new safetensors file is written (beyond the stream's buffer), then the disk "fills up".
        IOException io = new IOException("No space left on device");
        assertSame(io, assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(next, 0, next.length / 2);
            throw io;
        })));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());

        // An unchecked failure, e.g. from the code producing the content, is no different.
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(next, 0, 1000);
            out.close(); // closing only flushes; the file is still not replaced
            throw new UncheckedIOException(new IOException("producer failed"));
        }));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());

        // And a bad argument to the safetensors writer fails before any file is created.
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(target,
                Map.of("__metadata__", new Safetensors.Tensor(new int[0], new float[1])), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void aFailedFirstWriteCreatesNothing() throws IOException {
        Path target = dir.resolve("curve.svg");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]);
            throw new IOException("boom");
        }));
        assertEquals(List.of(), listing());
    }

    @Test
    void aMissingDirectoryIsAnIOExceptionNotACrash() {
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("no/such/dir/x.json"), "{}"));
    }
}
