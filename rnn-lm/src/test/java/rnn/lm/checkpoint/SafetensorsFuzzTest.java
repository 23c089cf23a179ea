package rnn.lm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated and hostile files: the reader either returns (the mutation happened to keep the file valid,
 * checked by writing the result again) or throws {@link CheckpointException} with a one-line message;
 * nothing else, and never slowly. The outcome tally is logged for the record.
 */
class SafetensorsFuzzTest {

    private static final System.Logger LOG = System.getLogger(SafetensorsFuzzTest.class.getName());
    private static final int LOOP_CASES = 20_000;
    private static final int PROPERTY_CASES = 2_000;
    /** Per read, wall clock, excluding the test's own re-encoding check. */
    private static final long CASE_LIMIT_NANOS = 2_000_000_000L;
    private static final int MUTATIONS = 8;

    @TempDir
    Path dir;

    /** Valid files of a few shapes, the starting points of mutation. */
    static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>();
        s.add(Fixtures.bytes(Map.of(), Map.of()));
        s.add(Fixtures.bytes(Map.of(), Map.of("format", "rnn-jvm/lm/1", "vocabulary", "abc é日\uD83D\uDE00")));
        s.add(Fixtures.bytes(Map.of("s", new Safetensors.Tensor(new int[0], new float[] {1.5f})), Map.of()));
        s.add(Fixtures.bytes(Map.of("b_h", new Safetensors.Tensor(new int[] {3}, new float[] {1, -2, 3})), Map.of("k", "v")));
        Map<String, Safetensors.Tensor> model = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(11);
        model.put("W_xh", Fixtures.tensor(r, 2, 4));
        model.put("W_hh", new Safetensors.Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        model.put("empty", new Safetensors.Tensor(new int[] {0, 5}, new float[0]));
        model.put("b_q", new Safetensors.Tensor(new int[] {2}, new float[] {Float.NaN, -0f}));
        s.add(Fixtures.bytes(model, Map.of("epoch", "3", "history", "1,2.5,3.5,100.0,0;")));
        return List.copyOf(s);
    }

    /** Outcomes by category, the slowest case, and the first unexpected throwable. */
    static final class Tally {
        final Map<String, Integer> categories = new TreeMap<>();
        int cases;
        int returned;
        int refused;
        long maxNanos;
        String slowest = "";
        AssertionError failure;

        void run(String label, byte[] file) {
            cases++;
            long t0 = System.nanoTime();
            try {
                Safetensors.Contents c;
                try {
                    c = Fixtures.read(file);
                } finally {
                    time(label, System.nanoTime() - t0);
                }
                returned++;
                categories.merge("returned: file still valid", 1, Integer::sum);
                // A file the reader accepts must be consistent: written again, it reads back the same.
                assertEquals(c, Fixtures.read(Fixtures.bytes(c.tensors(), c.metadata())), label);
            } catch (CheckpointException e) {
                refused++;
                categories.merge(category(e.getMessage()), 1, Integer::sum);
                if (!e.getMessage().startsWith("mem: ") || e.getMessage().lines().count() != 1) {
                    record(new AssertionError(label + ": message not one line naming the source: " + e.getMessage()));
                }
            } catch (Throwable t) {
                categories.merge("UNEXPECTED " + t.getClass().getName(), 1, Integer::sum);
                record(new AssertionError(label + ": threw " + t, t));
            }
        }

        void time(String label, long nanos) {
            if (nanos > maxNanos) {
                maxNanos = nanos;
                slowest = label;
            }
        }

        void record(AssertionError e) {
            if (failure == null) {
                failure = e;
            }
        }

        void check(String name) {
            Map<String, Integer> coarse = new TreeMap<>();
            categories.forEach((k, v) -> coarse.merge(coarse(k), v, Integer::sum));
            String byCategory = table(coarse) + "\n  in detail:\n" + table(categories);
            LOG.log(Level.INFO, "{0}: {1} cases run, {2} returned (mutation kept the file valid), {3} refused with "
                    + "CheckpointException, other throwables: {4}; slowest read {5} ms ({6}); outcomes by category:\n{7}",
                    name, cases, returned, refused, cases - returned - refused, maxNanos / 1_000_000, slowest, byCategory);
            if (failure != null) {
                throw failure;
            }
            assertEquals(cases, returned + refused);
            assertTrue(maxNanos < CASE_LIMIT_NANOS, "slowest read took " + maxNanos / 1_000_000 + " ms: " + slowest);
        }
    }

    private static String table(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> String.format("%7d  %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining("\n"));
    }

    /** The broad kind of a {@link #category}: which check refused the file. */
    static String coarse(String category) {
        String c = category;
        if (c.startsWith("returned") || c.startsWith("UNEXPECTED")) {
            return c;
        } else if (c.startsWith("file is") || c.startsWith("header length")) {
            return "refused: file size / header length field";
        } else if (c.contains("UTF-N")) {
            return "refused: header not UTF-8";
        } else if (c.startsWith("header is not valid JSON")) {
            return "refused: header not well-formed JSON";
        } else if (c.startsWith("header must be")) {
            return "refused: header not a JSON object";
        } else if (c.startsWith("duplicate") || c.contains(" has two ")) {
            return "refused: duplicate key";
        } else if (c.contains("dtype")) {
            return "refused: dtype missing, not a string or not F32";
        } else if (c.contains("overlap") || c.contains("belong to no tensor")) {
            return "refused: tensors overlap or leave gaps";
        } else if (c.contains("data_offsets")) {
            return "refused: data_offsets malformed, reversed, out of range or not matching the shape";
        } else if (c.contains("shape")) {
            return "refused: shape malformed, negative, too large or overflowing";
        } else if (c.contains("metadata")) {
            return "refused: metadata not a string-to-string object";
        }
        return "refused: tensor entry malformed (not an object, missing or unknown field)";
    }

    /** The message with the source, quoted names, bracketed lists and numbers abstracted away. */
    static String category(String message) {
        String m = message.substring(message.indexOf(": ") + 2)
                .replace("'\"'", "'\u0001'") // keep "expected '"'" apart from quoted names
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"…\"")
                .replaceAll("\\[[^\\]]*\\]", "[…]")
                .replaceAll("\\d+", "N")
                .replaceAll("(not valid JSON: .*?) at character N$", "$1")
                .replace('\u0001', '"');
        return m.length() > 90 ? m.substring(0, 90) + "…" : m;
    }

    static byte[] mutate(byte[] seed, int kind, SplittableRandom r) {
        if (seed.length == 0) {
            return new byte[r.nextInt(9)]; // stacked mutations can leave nothing to mutate
        }
        return switch (kind) {
            case 0 -> Arrays.copyOf(seed, r.nextInt(seed.length));
            case 1 -> flip(seed, r);
            case 2 -> headerLength(seed, r);
            case 3 -> generated(r);
            case 4 -> editHeader(seed, r);
            case 5 -> {
                // Data area too long or too short while the header stays.
                int delta = r.nextInt(1, 17);
                yield r.nextBoolean() ? Arrays.copyOf(seed, seed.length + delta) : Arrays.copyOf(seed, Math.max(0, seed.length - delta));
            }
            case 6 -> splice(seed, r);
            default -> mutate(mutate(seed, r.nextInt(MUTATIONS - 1), r), r.nextInt(MUTATIONS - 1), r);
        };
    }

    private static long headerLength(byte[] b) {
        return b.length < 8 ? 0 : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] flip(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        long n = headerLength(seed);
        int flips = r.nextInt(1, 9);
        for (int i = 0; i < flips; i++) {
            // Mostly inside the header, where a flip changes meaning rather than just a value.
            int at = r.nextBoolean() && n > 0 && 8 + n <= b.length ? 8 + r.nextInt((int) n) : r.nextInt(b.length);
            b[at] ^= (byte) (r.nextBoolean() ? 1 << r.nextInt(8) : r.nextInt(1, 256));
        }
        return b;
    }

    private static byte[] headerLength(byte[] seed, SplittableRandom r) {
        long size = seed.length;
        long n = headerLength(seed);
        long[] choices = {0, 7, 1L << 40, -1L, Long.MIN_VALUE, size - 8 + 1, size - 8 - 1, size, 100_000_000, 100_000_001,
                n + 1, n - 1, r.nextLong(), r.nextLong(0, size)};
        byte[] b = Arrays.copyOf(seed, Math.max(8, seed.length));
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(choices[r.nextInt(choices.length)]);
        return b;
    }

    /** A textual edit of the header, with the length field kept right so the edit is what gets judged. */
    private static byte[] editHeader(byte[] seed, SplittableRandom r) {
        long length = headerLength(seed);
        if (seed.length < 8 || length < 0 || length > seed.length - 8) {
            return flip(seed, r); // an earlier mutation broke the length field: no header text to edit
        }
        int n = (int) length;
        String h = new String(seed, 8, n, StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(seed, 8 + n, seed.length);
        StringBuilder b = new StringBuilder(h);
        int at = b.isEmpty() ? 0 : r.nextInt(b.length());
        String tokens = "{}[],:\"\\-.e+0123456789 \tatfnu";
        switch (r.nextInt(5)) {
            case 0 -> {
                int digit = -1;
                for (int i = 0; i < b.length(); i++) {
                    int j = (at + i) % b.length();
                    if (Character.isDigit(b.charAt(j))) {
                        digit = j;
                        break;
                    }
                }
                if (digit >= 0) {
                    b.setCharAt(digit, (char) ('0' + r.nextInt(10)));
                }
            }
            case 1 -> {
                if (!b.isEmpty()) {
                    b.deleteCharAt(at);
                }
            }
            case 2 -> b.insert(at, tokens.charAt(r.nextInt(tokens.length())));
            case 3 -> {
                int end = Math.min(b.length(), at + r.nextInt(1, 40));
                b.insert(r.nextInt(b.length() + 1), b.substring(at, end));
            }
            default -> b.replace(at, Math.min(b.length(), at + 3), String.valueOf(tokens.charAt(r.nextInt(tokens.length()))));
        }
        return Fixtures.file(b.toString(), data);
    }

    private static byte[] splice(byte[] seed, SplittableRandom r) {
        byte[] b = seed.clone();
        int from = r.nextInt(b.length);
        int to = r.nextInt(b.length);
        int len = Math.min(r.nextInt(1, 33), Math.min(b.length - from, b.length - to));
        System.arraycopy(seed, from, b, to, len);
        return b;
    }

    private static <T> T pick(SplittableRandom r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** A header from the format's grammar, each part usually right and sometimes wrong in a way the reader must catch. */
    static byte[] generated(SplittableRandom r) {
        StringBuilder h = new StringBuilder("{");
        long offset = 0;
        int tensors = r.nextInt(4);
        List<String> names = List.of("\"a\"", "\"b\"", "\"a\"", "\"W_xh\"", "\"__metadata__\"", "\"\\u00e9\"", "\"\"");
        for (int t = 0; t < tensors; t++) {
            StringBuilder shape = new StringBuilder("[");
            long count = 1;
            int rank = r.nextInt(4);
            for (int d = 0; d < rank; d++) {
                String dim = r.nextInt(8) > 0 ? Integer.toString(r.nextInt(4))
                        : pick(r, List.of("-1", "2147483648", "4611686018427387904", "2.0", "1e2", "\"2\"", "null", "[]", "65536"));
                shape.append(d == 0 ? "" : ",").append(dim);
                try {
                    count *= Long.parseLong(dim);
                } catch (NumberFormatException e) {
                    count = 1;
                }
            }
            shape.append(']');
            long begin = r.nextInt(3) > 0 ? offset : pick(r, List.of(offset - 4, offset - 4, offset + 4, 0L, Long.MAX_VALUE, -1L));
            long end = r.nextInt(6) > 0 ? begin + 4 * count : pick(r, List.of(begin, begin + 4, begin - 4, Long.MAX_VALUE));
            offset = Math.max(offset, end);
            List<String> fields = new ArrayList<>(List.of(
                    "\"dtype\":" + (r.nextInt(6) > 0 ? "\"F32\"" : pick(r, List.of("\"F16\"", "\"I64\"", "\"\"", "32", "null", "\"f32\""))),
                    "\"shape\":" + shape,
                    "\"data_offsets\":" + (r.nextInt(10) > 0 ? "[" + begin + "," + end + "]"
                            : pick(r, List.of("[0]", "[0,0,0]", "[]", "{}", "\"0,0\"", "[" + end + "," + begin + "]")))));
            switch (r.nextInt(12)) {
                case 0 -> fields.remove(r.nextInt(fields.size()));
                case 1 -> fields.add(fields.get(r.nextInt(fields.size())));
                case 2 -> fields.add("\"extra\":1");
                default -> { }
            }
            java.util.Collections.shuffle(fields, new java.util.Random(r.nextLong()));
            h.append(t == 0 ? "" : ",").append(pick(r, names)).append(":{").append(String.join(",", fields)).append('}');
        }
        if (r.nextInt(3) == 0) {
            String meta = pick(r, List.of("{\"k\":\"v\"}", "{}", "{\"k\":1}", "{\"k\":\"v\",\"k\":\"w\"}", "[]", "\"x\"",
                    "{\"k\":{\"n\":\"v\"}}", "{\"\\ud83d\\ude00\":\"\\u0000\"}", "{\"k\":\"\\ud800\"}"));
            h.append(tensors == 0 ? "" : ",").append("\"__metadata__\":").append(meta);
        }
        h.append('}').append(pick(r, List.of("", "", "    ", "\n", "x", "}", ",")));
        long dataLength = r.nextInt(5) > 0 ? offset : Math.max(0, offset + r.nextInt(-8, 9));
        return Fixtures.file(h.toString(), new byte[(int) Math.min(Math.max(0, dataLength), 1 << 20)]);
    }

    /** Headers written to hurt: deep nesting, megabytes of digits, huge strings, bad encodings. */
    static List<Map.Entry<String, Supplier<byte[]>>> hostile() {
        // Built one at a time when run: held together they would be some 150 MB.
        String ten = "9".repeat(10_000_000);
        List<Map.Entry<String, Supplier<byte[]>>> h = new ArrayList<>();
        h.add(Map.entry("nested arrays", () -> Fixtures.file("[".repeat(1_000_000), new byte[0])));
        h.add(Map.entry("nested objects", () -> Fixtures.file("{\"a\":".repeat(200_000), new byte[0])));
        h.add(Map.entry("nested shape", () -> Fixtures.file("{\"a\":{\"shape\":" + "[".repeat(1_000_000), new byte[0])));
        h.add(Map.entry("nested metadata", () -> Fixtures.file("{\"__metadata__\":{\"k\":" + "[".repeat(1_000_000), new byte[0])));
        h.add(Map.entry("10 MB number", () -> Fixtures.file(ten, new byte[0])));
        h.add(Map.entry("10 MB dim", () -> Fixtures.file("{\"a\":{\"shape\":[" + ten + "]}}", new byte[0])));
        h.add(Map.entry("10 MB offset", () -> Fixtures.file("{\"a\":{\"data_offsets\":[0," + ten + "]}}", new byte[0])));
        h.add(Map.entry("10 MB fraction", () -> Fixtures.file("{\"a\":{\"shape\":[0." + ten + "]}}", new byte[0])));
        h.add(Map.entry("10 MB exponent", () -> Fixtures.file("{\"a\":{\"shape\":[1e" + ten + "]}}", new byte[0])));
        h.add(Map.entry("10 MB key", () -> Fixtures.file("{\"" + "k".repeat(10_000_000) + "\":1}", new byte[0])));
        h.add(Map.entry("10 MB of escapes", () -> Fixtures.file("{\"__metadata__\":{\"k\":\"" + "\\u0041".repeat(1_700_000) + "\"}}",
                new byte[0])));
        h.add(Map.entry("unterminated 10 MB string", () -> Fixtures.file("{\"" + "x".repeat(10_000_000), new byte[0])));
        h.add(Map.entry("1 M dims of 1", () -> Fixtures.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + "1,".repeat(1_000_000)
                + "1],\"data_offsets\":[0,4]}}", new byte[4])));
        h.add(Map.entry("100k empty tensors (valid)", () -> manyTensors(100_000, true)));
        h.add(Map.entry("100k duplicate tensors", () -> manyTensors(100_000, false)));
        h.add(Map.entry("claims 100 MB header", () -> ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_000).array()));
        byte[] bad = Fixtures.file("{\"__metadata__\":{\"k\":\"v\"}}", new byte[0]);
        for (byte b : new byte[] {(byte) 0x80, (byte) 0xc0, (byte) 0xf8, (byte) 0xff, (byte) 0xed}) {
            byte[] c = bad.clone();
            c[8 + 21] = b;
            h.add(Map.entry("non-UTF-8 byte " + Integer.toHexString(b & 0xff), () -> c));
        }
        return h;
    }

    private static byte[] manyTensors(int n, boolean distinct) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"t").append(distinct ? i : 0)
                    .append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        return Fixtures.file(b.append('}').toString(), new byte[0]);
    }

    @Test
    void deterministicMutationLoopAndHostileHeaders() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Tally tally = new Tally();
            long base = 0x5AFE_7E45_0B5L;
            for (int i = 0; i < LOOP_CASES; i++) {
                SplittableRandom r = new SplittableRandom(base + i);
                int seed = r.nextInt(SEEDS.size());
                int kind = r.nextInt(MUTATIONS);
                tally.run("seed " + (base + i) + " (file " + seed + ", mutation " + kind + ")", mutate(SEEDS.get(seed), kind, r));
            }
            // After the loop, so the time bound measures the reader and not the interpreter before JIT.
            for (Map.Entry<String, Supplier<byte[]>> e : hostile()) {
                tally.run("hostile: " + e.getKey(), e.getValue().get());
            }
            // And every hand-made malformed file of the reader's own test, once each.
            SafetensorsReaderTest.malformed().forEach(a -> tally.run("malformed: " + a.get()[0], (byte[]) a.get()[1]));
            tally.check("deterministic fuzz loop");
            assertTrue(tally.cases >= LOOP_CASES);
        });
    }

    /** The same through real files and {@link Safetensors#read(Path)}, with QuickTheories choosing the cases. */
    @Test
    void propertyReadOfMutatedFilesReturnsOrRefuses() {
        Path file = dir.resolve("fuzz.safetensors");
        Tally tally = new Tally();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> qt().withExamples(PROPERTY_CASES).withShrinkCycles(50)
                .forAll(integers().between(0, SEEDS.size() - 1), integers().between(0, MUTATIONS - 1), longs().all())
                .checkAssert((seed, kind, random) -> {
                    byte[] bytes = mutate(SEEDS.get(seed), kind, new SplittableRandom(random));
                    try {
                        Files.write(file, bytes);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    String label = "file " + seed + ", mutation " + kind + ", random " + random;
                    tally.cases++;
                    long t0 = System.nanoTime();
                            try {
                        Safetensors.Contents c;
                        try {
                            c = Safetensors.read(file);
                        } finally {
                            tally.time(label, System.nanoTime() - t0);
                        }
                        tally.returned++;
                        tally.categories.merge("returned: file still valid", 1, Integer::sum);
                        assertEquals(c, Fixtures.read(Fixtures.bytes(c.tensors(), c.metadata())), label);
                    } catch (CheckpointException e) {
                        tally.refused++;
                        tally.categories.merge(category(e.getMessage()), 1, Integer::sum);
                        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().lines().count() == 1, e.getMessage());
                        // Through a file, "cannot read" would mean an I/O failure hid a parsing bug.
                        assertTrue(!e.getMessage().contains("cannot read"), e.getMessage());
                    } catch (Throwable t) {
                        fail(label + ": threw " + t, t);
                    }
                }));
        tally.check("QuickTheories property over files");
        assertTrue(Stream.of(tally.cases).allMatch(c -> c >= PROPERTY_CASES));
    }
}
