package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnn generate --length 2000000000} writes as it generates, in a heap far smaller than the text it
 * was asked for, and ends quietly (exit 0, nothing on stderr) when its reader closes the pipe, as
 * {@code | head} does.
 */
class GenerateStreamTest {

    @TempDir
    Path dir;

    @Test
    void aHugeLengthStreamsInASmallHeapAndEndsQuietlyWhenTheReaderCloses() throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "the time traveller for so it will be convenient to speak of him was expounding ".repeat(20));
        Path out = dir.resolve("run");
        ModulePathTest.Run trained = ModulePathTest.rnn(List.of(), "train", "--corpus", corpus.toString(), "--hidden", "8",
                "--batch", "2", "--steps", "5", "--epochs", "1", "--backend", "naive", "--out", out.toString(),
                "--sample-length", "0");
        assertEquals(0, trained.exit(), trained.err());

        String java = ProcessHandle.current().info().command().orElseThrow();
        // 16 MiB of heap: the int[] of 2·10^9 token ids alone that the string form would need is 8 GB.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx16m", "-p", ModulePathTest.LIB.toString(), "-m",
                "rnn.cli/rnn.cli.Main", "generate", "--model", out.resolve("model.safetensors").toString(), "--prefix", "the",
                "--length", "2000000000", "--temperature", "1", "--seed", "4", "--backend", "naive"));
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] head = new byte[1 << 20];
        int read = 0;
        try (InputStream in = p.getInputStream()) {
            for (int n; read < head.length && (n = in.read(head, read, head.length - read)) > 0; ) {
                read += n;
            }
        } // closing our end is what | head does
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "generate ended after its reader closed");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(head.length, read, "a megabyte streamed before the end; stderr: " + stderr);
        assertTrue(new String(head, 0, 3, StandardCharsets.UTF_8).equals("the"), "the prefix comes first");
        assertEquals(0, p.exitValue(), stderr);
        assertFalse(stderr.contains("error") || stderr.contains("Exception") || stderr.contains("\tat "), stderr);
    }
}
