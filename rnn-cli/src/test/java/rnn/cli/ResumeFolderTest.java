package rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --resume DIR} goes on where the run was, as the interruption message tells the user to. */
class ResumeFolderTest {

    @Test
    void aResumedRunWritesToItsOwnFolderUnlessToldOtherwise(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path corpus = dir.resolve("corpus.txt");
        java.nio.file.Files.writeString(corpus, "the time traveller was expounding a recondite matter to us ".repeat(20));
        java.nio.file.Path run = dir.resolve("run");
        String[] common = {"--corpus", corpus.toString(), "--hidden", "8", "--batch", "2", "--steps", "5",
                "--backend", "naive", "--sample-length", "0"};
        CliTest.Result first = CliTest.rnn(concat(new String[] {"train", "--epochs", "1", "--out", run.toString()}, common));
        assertEquals(0, first.exit(), first.err());
        CliTest.Result resumed = CliTest.rnn("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("wrote " + run.resolve("model.safetensors")), resumed.out());
        assertTrue(java.nio.file.Files.readString(run.resolve("metrics.json")).contains("\"epoch\": 2"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
