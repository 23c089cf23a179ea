package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.lm.checkpoint.Safetensors;

/**
 * SIGTERM during training saves a resumable checkpoint at the next batch boundary and exits 130; resuming
 * it gives weights and perplexities bit-identical to a run that was never interrupted.
 */
class InterruptAndResumeTest {

    static Process start(Path out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--sampling", "random", "--checkpoint-every", "1"));
        args.addAll(List.of(extra));
        return train(out, args.toArray(String[]::new));
    }

    /** {@code rnn train} in a child JVM on {@code corpus.txt} beside {@code out}: a small model, 1 thread, seed 3. */
    static Process train(Path out, String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-p",
                ModulePathTest.LIB.toString(), "-m", "rnn.cli/rnn.cli.Main", "train", "--corpus",
                out.getParent().resolve("corpus.txt").toString(), "--hidden", "16", "--batch", "4", "--steps", "8",
                "--backend", "vector", "--threads", "1", "--seed", "3", "--out", out.toString(), "--sample-length", "0"));
        cmd.addAll(List.of(extra));
        Path log = Files.createTempFile(out.getParent(), "rnn", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        OUTPUT.put(p, log);
        return p;
    }

    static final Map<Process, Path> OUTPUT = new java.util.concurrent.ConcurrentHashMap<>();

    static String finish(Process p) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "process ended");
        return Files.readString(OUTPUT.remove(p), StandardCharsets.UTF_8);
    }

    @Test
    void sigtermSavesAResumableCheckpointAndResumingIsBitIdentical(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("corpus.txt"),
                "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us ".repeat(30));
        Path interrupted = dir.resolve("interrupted");
        Process p = start(interrupted, "--epochs", "1000000");
        // Wait for the first periodic checkpoint, so that at least one epoch is done, however slow the machine.
        for (int i = 0; i < 600 && !Files.exists(interrupted.resolve("model.safetensors")); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(300);
        p.destroy(); // SIGTERM
        String text = finish(p);
        assertEquals(130, p.exitValue(), text);
        Matcher m = Pattern.compile("interrupted: saved a resumable checkpoint after epoch (\\d+)").matcher(text);
        assertTrue(m.find(), text);
        int done = Integer.parseInt(m.group(1));
        assertTrue(done >= 1, text);

        int total = done + 3;
        Process resumed = start(interrupted, "--resume", interrupted.toString(), "--epochs", Integer.toString(total));
        String resumedText = finish(resumed);
        assertEquals(0, resumed.exitValue(), resumedText);

        Path straight = dir.resolve("straight");
        Process s = start(straight, "--epochs", Integer.toString(total));
        String straightText = finish(s);
        assertEquals(0, s.exitValue(), straightText);

        assertSameModel(straight, interrupted);
        assertEquals(perplexities(straight), perplexities(interrupted), "per-epoch train and validation perplexity");
    }

    /** The same tensors, bit for bit, in the model.safetensors of two runs. */
    static void assertSameModel(Path expected, Path actual) throws Exception {
        Map<String, Safetensors.Tensor> a = Safetensors.read(actual.resolve("model.safetensors")).tensors();
        Map<String, Safetensors.Tensor> b = Safetensors.read(expected.resolve("model.safetensors")).tensors();
        assertEquals(b.keySet(), a.keySet());
        for (String name : b.keySet()) {
            assertArrayEquals(b.get(name).data(), a.get(name).data(), name + " after interrupt + resume");
        }
    }

    /** The perplexity fields of metrics.json (tokens/s differ between runs by nature). */
    static List<String> perplexities(Path out) throws Exception {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("\"(train|val)_perplexity\": ([^,\\n]+)").matcher(Files.readString(out.resolve("metrics.json")));
        while (m.find()) {
            found.add(m.group(1) + "=" + m.group(2));
        }
        return found;
    }
}
