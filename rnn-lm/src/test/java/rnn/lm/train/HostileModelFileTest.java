package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.Backend;
import rnn.api.cell.Init;
import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Corpus;

/**
 * Real model files with their metadata edited: a size no tensor backs, a number that is not one, a string of
 * junk, a key removed, the file cut short. Loading either succeeds (the edit changed nothing that matters) or
 * fails with a one-line {@link CheckpointException} naming the file, the exception the CLI prints as one
 * {@code error:} line; never an {@link OutOfMemoryError}, an overflow or a {@link NullPointerException}, and
 * never after allocating more than a small multiple of the file's size.
 */
class HostileModelFileTest {

    private static final int CASES = 1500;
    /** Bytes a load may allocate beyond {@link #PER_FILE_BYTE} per byte of the file: parsing, a probe layer, the model. */
    private static final long ALLOWANCE = 4L << 20;
    /**
     * Per byte of the file: the tensors read (×1), the model's weights and gradients (×2) and the header's
     * strings as Java text; 16 leaves room and still catches any allocation sized by metadata instead of the file.
     */
    private static final long PER_FILE_BYTE = 16;

    @TempDir
    static Path dir;
    /** A 1-layer RNN checkpoint with Adam's state, and a 2-layer LSTM with an embedding saved for inference. */
    static final List<byte[]> FILES = new ArrayList<>();
    static final List<List<String>> KEYS = new ArrayList<>();

    @BeforeAll
    static void writeRealFiles() throws IOException {
        ModelFileTest.Trained t = ModelFileTest.trained(false);
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        ModelFile.save(checkpoint, t.model(), t.config(), t.trainer(), Map.of("source", "test"));
        Corpus c = TrainingTest.corpus();
        Path stacked = dir.resolve("stacked.safetensors");
        try (Backend naive = TrainingTest.naive()) {
            LanguageModel lstm = new LanguageModel(c.vocabulary(), c.tokenizer(),
                    new ModelConfig("lstm", Map.of("forget_bias", 1.0), 6, 2, new Init.Uniform(0.08), 0.25, 4), naive, 3);
            ModelFile.saveForInference(stacked, lstm, Map.of());
        }
        for (Path p : List.of(checkpoint, stacked)) {
            FILES.add(Files.readAllBytes(p));
            KEYS.add(List.copyOf(new TreeMap<>(Safetensors.read(p).metadata()).keySet()));
        }
    }

    private static final String[] NUMBERS = {"100000", "2000000000", "2147483647", "2147483648", "-1", "0", "-2147483648",
        "9223372036854775807", "99999999999999999999", "1e9", "NaN", "Infinity", "-Infinity", "-0", "0x10", " 32", "32 ", "",
        "3.5", "1", "2", "6", "12", "28", "33"};
    private static final String[] JUNK = {"transformer", "junk", "", "\u0000", "{", "}", "{\"x\":1e999}", "{\"forget_bias\":\"a\"}",
        "[]", "null", "true", "é日\uD83D\uDE00", "a,b", ";;;", "1,2,3", "1,2;", "1,x,3,4,5;", "normal:-1", "uniform:NaN", "xavier",
        "normal:1e300", "gru", "lstm", "rnn", "sgd", "lion", "adam", "word", "raw", "d2l", "words", "code-points", "checkpoint",
        "inference", "rnn-jvm/lm/2", "random", "step:0.5:0", "cosine:0:0", "value", "x".repeat(5000)};

    /** One edit of {@code file} chosen by {@code kind} and {@code r}; returns the new file's bytes and says what it did. */
    static byte[] edit(int file, int keyIndex, int kind, SplittableRandom r, StringBuilder what) throws IOException {
        byte[] bytes = FILES.get(file);
        if (kind == 5) {
            int length = r.nextInt(bytes.length);
            what.append("truncated to ").append(length).append(" of ").append(bytes.length).append(" bytes");
            return Arrays.copyOf(bytes, length);
        }
        Path original = dir.resolve("original-" + file + ".safetensors");
        Files.write(original, bytes);
        Safetensors.Contents contents = Safetensors.read(original);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        int edits = kind == 6 ? 2 : 1;
        for (int i = 0; i < edits; i++) {
            List<String> keys = KEYS.get(file);
            String key = keys.get((keyIndex + i * 7) % keys.size());
            String old = meta.getOrDefault(key, "");
            int k = kind == 6 ? r.nextInt(5) : kind;
            switch (k) {
                case 0 -> meta.remove(key);
                case 1 -> meta.put(key, NUMBERS[r.nextInt(NUMBERS.length)]);
                case 2 -> meta.put(key, JUNK[r.nextInt(JUNK.length)]);
                case 3 -> {
                    long v;
                    try {
                        v = Long.parseLong(old);
                    } catch (NumberFormatException e) {
                        v = r.nextInt(100);
                    }
                    long[] choices = {v + 1, v - 1, v * 1000, -v, v + r.nextInt(1, 1 << 20), v * 1_000_000_007L, Long.MAX_VALUE - v};
                    meta.put(key, Long.toString(choices[r.nextInt(choices.length)]));
                }
                default -> meta.put(key, old + old);
            }
            what.append(i == 0 ? "" : "; ").append(key).append(": ").append(shorten(old)).append(" -> ")
                    .append(meta.containsKey(key) ? shorten(meta.get(key)) : "(removed)");
        }
        Path edited = dir.resolve("edited.safetensors");
        Safetensors.write(edited, new LinkedHashMap<>(contents.tensors()), meta);
        return Files.readAllBytes(edited);
    }

    private static String shorten(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
    }

    /** Bytes this thread has allocated so far (HotSpot counts every TLAB and outside allocation). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void editedMetadataEitherLoadsOrFailsWithOneCheckpointLineWithinAFewTimesTheFileSize() throws Exception {
        Path file = dir.resolve("hostile.safetensors");
        Map<String, Integer> outcomes = new TreeMap<>();
        long[] worst = {0, 0};
        try (Backend naive = TrainingTest.naive()) {
            // Warm up: the first load initialises the cell and optimizer registries, a one-time cost.
            ModelFile.load(writeQuietly(file, FILES.get(0)), naive);
            qt().withExamples(CASES).withShrinkCycles(100)
                    .forAll(integers().between(0, FILES.size() - 1), integers().between(0, 1000), integers().between(0, 6),
                            longs().all())
                    .checkAssert((f, key, kind, seed) -> {
                        StringBuilder what = new StringBuilder();
                        byte[] bytes;
                        try {
                            bytes = edit(f, key, kind, new SplittableRandom(seed), what);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                        writeQuietly(file, bytes);
                        String label = "file " + f + ", " + what;
                        long before = allocated();
                        try {
                            ModelFile.load(file, naive);
                            outcomes.merge("loaded", 1, Integer::sum);
                        } catch (CheckpointException e) {
                            outcomes.merge("CheckpointException", 1, Integer::sum);
                            assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().lines().count() == 1,
                                    label + ": " + e.getMessage());
                        } catch (IllegalArgumentException e) {
                            // The documented usage errors: the file is fine, this module path lacks its cell or optimizer.
                            outcomes.merge("IllegalArgumentException (missing plug-in)", 1, Integer::sum);
                            assertTrue(e.getMessage().contains("which no module here provides")
                                    || e.getMessage().contains("which is not installed"), label + ": " + e);
                            assertEquals(1, e.getMessage().lines().count(), label + ": " + e.getMessage());
                        } catch (Throwable e) {
                            fail(label + ": threw " + e, e);
                        }
                        long used = allocated() - before;
                        if (used > worst[0]) {
                            worst[0] = used;
                            worst[1] = bytes.length;
                        }
                        assertTrue(used <= ALLOWANCE + PER_FILE_BYTE * bytes.length,
                                label + ": allocated " + used + " bytes loading a " + bytes.length + "-byte file");
                    });
        }
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "edited model files: {0}; most allocated by "
                + "one load: {1} bytes for a {2}-byte file", outcomes, worst[0], worst[1]);
        assertTrue(outcomes.getOrDefault("CheckpointException", 0) > CASES / 2, outcomes.toString());
    }

    private static Path writeQuietly(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The issue's four edited files, each refused with a line that says what is wrong. */
    @Test
    void theFourEditsOfTheIssueAreRefusedNamingWhatIsWrong() throws Exception {
        Path original = dir.resolve("four.safetensors");
        Files.write(original, FILES.get(0));
        Safetensors.Contents contents = Safetensors.read(original);
        try (Backend naive = TrainingTest.naive()) {
            assertRefused(naive, contents, Map.of("layers", "100000"), null,
                    "model metadata says 100000 layers, but the file holds the tensors of 1 layer");
            assertRefused(naive, contents, Map.of("hidden", "2000000000"), null,
                    "model metadata says hidden 2000000000 and a vocabulary of");
            assertRefused(naive, contents, Map.of(), "W_hh", "tensor W_hh holds NaN at row 0, column 0 of [12, 12]");
            IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
                    () -> ModelFile.load(rewrite(contents, Map.of("cell", "transformer"), null), naive));
            assertTrue(cell.getMessage().contains("needs cell 'transformer', which no module here provides (have: "),
                    cell.getMessage());
            assertRefused(naive, contents, Map.of("cell", "lstm"), null, "missing tensor W_x (expected shape [");
            assertRefused(naive, contents, Map.of("embedding", "5"), null, "missing tensor E, which every model file holds");
            assertRefused(naive, contents, Map.of("dropout", "lots"), null, "model metadata 'dropout' is not a number: lots");
            assertRefused(naive, contents, Map.of(), "optimizer.W_hq.m", "tensor optimizer.W_hq.m holds NaN");
        }
    }

    private static void assertRefused(Backend backend, Safetensors.Contents contents, Map<String, String> edits, String nan,
                                      String message) throws IOException {
        Path file = rewrite(contents, edits, nan);
        CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(file, backend), message);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** {@code contents} with metadata {@code edits} and, if {@code nan} names a tensor, its first value NaN. */
    static Path rewrite(Safetensors.Contents contents, Map<String, String> edits, String nan) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        meta.putAll(edits);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        if (nan != null) {
            Safetensors.Tensor t = tensors.get(nan);
            float[] values = t.data().clone();
            values[0] = Float.NaN;
            tensors.put(nan, new Safetensors.Tensor(t.shape(), values));
        }
        Path file = Files.createTempFile(dir, "edited", ".safetensors");
        Safetensors.write(file, tensors, meta);
        return file;
    }
}
