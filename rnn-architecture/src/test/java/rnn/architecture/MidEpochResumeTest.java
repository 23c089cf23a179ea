package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;


/**
 * Issue 13: SIGTERM inside a long epoch saves the position within it (batch, RNG, carried state, running
 * loss, validations so far), and resuming gives weights and metrics bit-identical to a run that was never
 * interrupted, for both sampling modes.
 */
class MidEpochResumeTest {

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "random"})
    void sigtermInsideAnEpochResumesBitIdentically(String sampling, @TempDir Path dir) throws Exception {
        // One epoch is tens of thousands of batches: long enough to be stopped inside it on any machine.
        Files.writeString(dir.resolve("corpus.txt"), ("the time traveller for so it will be convenient to speak of him "
                + "was expounding a recondite matter to us. ").repeat(6000));
        String[] common = {"--epochs", "1", "--sampling", sampling, "--val-every-steps", "300", "--val-max-tokens", "2000",
                "--dropout", "0.1", "--layers", "2"};
        Path interrupted = dir.resolve("interrupted");
        Process p = InterruptAndResumeTest.train(interrupted, concat(common, "--checkpoint-every-steps", "100"));
        for (int i = 0; i < 600 && !Files.exists(interrupted.resolve("model.safetensors")); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(200);
        p.destroy(); // SIGTERM
        String text = InterruptAndResumeTest.finish(p);
        assertEquals(130, p.exitValue(), text);
        Matcher m = Pattern.compile("saved a resumable checkpoint after epoch 0, batch ([\\d,]+) of epoch 1").matcher(text);
        assertTrue(m.find(), text);
        int batch = Integer.parseInt(m.group(1).replace(",", ""));
        assertTrue(batch > 100, "stopped after the first periodic checkpoint: " + text);
        String metrics = Files.readString(interrupted.resolve("metrics.json"));
        assertTrue(metrics.contains("\"schema\": \"rnn-jvm/metrics/2\""), metrics);
        assertTrue(metrics.contains("\"batch\": " + batch), "metrics.json says where the run stands: " + metrics);

        Process resumed = InterruptAndResumeTest.train(interrupted, "--resume", interrupted.toString());
        String resumedText = InterruptAndResumeTest.finish(resumed);
        assertEquals(0, resumed.exitValue(), resumedText);
        assertTrue(resumedText.contains("resuming in epoch 1 after batch "), resumedText);

        Path straight = dir.resolve("straight");
        Process s = InterruptAndResumeTest.train(straight, common);
        String straightText = InterruptAndResumeTest.finish(s);
        assertEquals(0, s.exitValue(), straightText);

        InterruptAndResumeTest.assertSameModel(straight, interrupted);
        var expected = InterruptAndResumeTest.perplexities(straight);
        assertTrue(expected.size() > 4, "validations inside the epoch were recorded: " + expected);
        assertEquals(expected, InterruptAndResumeTest.perplexities(interrupted),
                "epoch and step perplexities, train and validation");
        assertTrue(Files.readString(interrupted.resolve("metrics.json")).contains("\"batch\": null"),
                "the finished run stands at an epoch boundary");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
