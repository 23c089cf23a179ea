package rnn.lm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.Parameter;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static void assertSameBits(Map<String, Safetensors.Tensor> expected, Map<String, Safetensors.Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> {
            Safetensors.Tensor u = actual.get(name);
            assertArrayEquals(t.shape(), u.shape(), name);
            assertEquals(t.data().length, u.data().length, name);
            for (int i = 0; i < t.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(t.data()[i]), Float.floatToRawIntBits(u.data()[i]), name + "[" + i + "]");
            }
        });
    }

    @Test
    void roundTripsRandomTensorsAndMetadataBitForBit() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            Map<String, Safetensors.Tensor> tensors = Fixtures.tensors(r, 6);
            Map<String, String> metadata = Fixtures.metadata(r, 5);
            try {
                Path file = dir.resolve("rt.safetensors");
                Safetensors.write(file, tensors, metadata);
                Safetensors.Contents c = Safetensors.read(file);
                assertSameBits(tensors, c.tensors());
                assertEquals(metadata, c.metadata());
                assertEquals(0, (8 + ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getLong()) % 8,
                        "data starts 8-byte aligned");
            } catch (IOException e) {
                throw new AssertionError("seed " + seed, e);
            }
        });
    }

    @Test
    void roundTripsScalarsVectorsMatricesEmptyTensorsAndUnicodeMetadata() throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("scalar", new Safetensors.Tensor(new int[0], new float[] {Float.NaN}));
        t.put("vec", new Safetensors.Tensor(new int[] {3}, new float[] {-0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY}));
        t.put("mat", new Safetensors.Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("empty", new Safetensors.Tensor(new int[] {0, 7}, new float[0]));
        t.put("W_日本\uD83D\uDE00\"q\\", new Safetensors.Tensor(new int[] {1}, new float[] {42}));
        Map<String, String> m = Map.of("vocabulary", "abc é 日本 \uD83D\uDE00\n\t\"\\", "empty", "", "ключ", "значение");
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, t, m);
        Safetensors.Contents c = Safetensors.read(file);
        assertSameBits(t, c.tensors());
        assertEquals(m, c.metadata());
        assertEquals(List.of("W_日本\uD83D\uDE00\"q\\", "empty", "mat", "scalar", "vec"), new ArrayList<>(c.tensors().keySet()),
                "file order is name order");
    }

    @Test
    void writesNoMetadataObjectWhenThereIsNoneAndReadsItBackEmpty() throws IOException {
        byte[] b = Fixtures.bytes(Map.of(), Map.of());
        assertEquals("{}      ", new String(b, 8, b.length - 8, StandardCharsets.UTF_8));
        assertEquals(Map.of(), Fixtures.read(b).metadata());
    }

    /** A file written by hand from the format description, and the writer's bytes compared with it. */
    @Test
    void goldenBytes() throws IOException {
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(79, json.length()); // one space of padding puts the data at 8 + 80, a multiple of 8
        byte[] golden = new byte[8 + 80 + 8];
        golden[0] = 80; // little-endian u64
        System.arraycopy((json + " ").getBytes(StandardCharsets.US_ASCII), 0, golden, 8, 80);
        byte[] data = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0}; // 1.0f, -2.0f little-endian
        System.arraycopy(data, 0, golden, 88, 8);

        Safetensors.Contents c = Fixtures.read(golden);
        assertEquals(Map.of("k", "v"), c.metadata());
        assertEquals(new Safetensors.Tensor(new int[] {2}, new float[] {1f, -2f}), c.tensors().get("a"));

        Path file = dir.resolve("golden.safetensors");
        Safetensors.write(file, Map.of("a", new Safetensors.Tensor(new int[] {2}, new float[] {1f, -2f})), Map.of("k", "v"));
        byte[] written = Files.readAllBytes(file);
        assertArrayEquals(golden, written);

        // And an independent look at the bytes, not trusting either side above.
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = n << 8 | written[i] & 0xff;
        }
        String header = new String(written, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"), header);
        assertTrue(header.contains("\"__metadata__\":{\"k\":\"v\"}"), header);
        int at = (int) (8 + n);
        int bits0 = written[at] & 0xff | (written[at + 1] & 0xff) << 8 | (written[at + 2] & 0xff) << 16 | written[at + 3] << 24;
        int bits1 = written[at + 4] & 0xff | (written[at + 5] & 0xff) << 8 | (written[at + 6] & 0xff) << 16 | written[at + 7] << 24;
        assertEquals(1f, Float.intBitsToFloat(bits0));
        assertEquals(-2f, Float.intBitsToFloat(bits1));
        assertEquals(at + 8, written.length);
    }

    @Test
    void padsTheHeaderWithSpacesToAlignTheData() throws IOException {
        for (int len = 0; len < 12; len++) {
            byte[] b = Fixtures.bytes(Map.of("x".repeat(len + 1), new Safetensors.Tensor(new int[] {1}, new float[] {3})),
                    Map.of());
            long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, (8 + n) % 8);
            String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.stripTrailing().endsWith("}") && header.stripTrailing().length() > n - 8, header);
            assertEquals(3f, Fixtures.read(b).tensors().get("x".repeat(len + 1)).data()[0]);
        }
    }

    /**
     * The Python {@code safetensors} package cannot be installed here (no PyPI access), so this runs the
     * reference reader's checks re-implemented with the standard library only (struct, json) on a
     * file our writer produced. Skipped where python3 is missing.
     */
    @Test
    void pythonStandardLibraryReaderAgrees() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 is not installed");
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("scalar", new Safetensors.Tensor(new int[0], new float[] {0.1f}));
        t.put("b", new Safetensors.Tensor(new int[] {4}, new float[] {-0f, Float.NaN, Float.NEGATIVE_INFINITY, 1e-42f}));
        t.put("W_xh", Fixtures.tensor(new SplittableRandom(7), 2, 6));
        t.put("none", new Safetensors.Tensor(new int[] {0}, new float[0]));
        t.put("ünï\uD83D\uDE00", new Safetensors.Tensor(new int[] {1, 2}, new float[] {3.5f, -1e20f}));
        Map<String, String> m = Map.of("format", "rnn-jvm/lm/1", "vocabulary", " !\"é日本\uD83D\uDE00\n", "n", "");
        Path file = dir.resolve("py.safetensors");
        Safetensors.write(file, t, m);
        Path script = dir.resolve("reader.py");
        Files.writeString(script, """
                import json, struct, sys
                def pairs(items):
                    d = {}
                    for k, v in items:
                        if k in d:
                            raise ValueError("duplicate key " + k)
                        d[k] = v
                    return d
                buf = open(sys.argv[1], 'rb').read()
                if len(buf) < 8: raise ValueError("HeaderTooSmall")
                (n,) = struct.unpack('<Q', buf[:8])
                if n > 100000000: raise ValueError("HeaderTooLarge")
                if 8 + n > len(buf): raise ValueError("InvalidHeaderLength")
                text = buf[8:8 + n].decode('utf-8')
                if not text.startswith('{'): raise ValueError("InvalidHeaderStart")
                header = json.loads(text, object_pairs_hook=pairs)
                meta = header.pop('__metadata__', {})
                if not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
                    raise ValueError("metadata must map strings to strings")
                data = buf[8 + n:]
                start = 0
                for name, info in sorted(header.items(), key=lambda kv: tuple(kv[1]['data_offsets'])):
                    b, e = info['data_offsets']
                    if b != start or e < b: raise ValueError("InvalidOffset " + name)
                    if info['dtype'] != 'F32': raise ValueError("dtype " + info['dtype'])
                    count = 1
                    for d in info['shape']: count *= d
                    if e - b != 4 * count: raise ValueError("TensorInvalidInfo " + name)
                    start = e
                if start != len(data): raise ValueError("MetadataIncompleteBuffer")
                print("aligned", (8 + n) % 8 == 0)
                for k, v in sorted(meta.items()):
                    print("M", k.encode().hex(), v.encode().hex())
                for name, info in header.items():
                    b, e = info['data_offsets']
                    values = struct.unpack('<%df' % ((e - b) // 4), data[b:e])
                    print("T", name.encode().hex(), ",".join(map(str, info['shape'])), " ".join(repr(x) for x in values))
                """);
        Process p = new ProcessBuilder(python.toString(), script.toString(), file.toString()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 timed out");
        assertEquals(0, p.exitValue(), err);

        HexFormat hex = HexFormat.of();
        Map<String, String> seenMeta = new LinkedHashMap<>();
        Map<String, Safetensors.Tensor> seen = new LinkedHashMap<>();
        List<String> lines = out.lines().toList();
        assertEquals("aligned True", lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(" ", -1);
            String key = new String(hex.parseHex(f[1]), StandardCharsets.UTF_8);
            if (f[0].equals("M")) {
                seenMeta.put(key, new String(hex.parseHex(f[2]), StandardCharsets.UTF_8));
                continue;
            }
            int[] shape = f[2].isEmpty() ? new int[0] : java.util.Arrays.stream(f[2].split(",")).mapToInt(Integer::parseInt).toArray();
            float[] values = new float[f.length - 3 == 1 && f[3].isEmpty() ? 0 : f.length - 3];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (f[3 + i]) {
                    case "nan" -> Float.NaN;
                    case "inf" -> Float.POSITIVE_INFINITY;
                    case "-inf" -> Float.NEGATIVE_INFINITY;
                    default -> (float) Double.parseDouble(f[3 + i]); // float32 widened: exact in a double
                };
            }
            seen.put(key, new Safetensors.Tensor(shape, values));
        }
        assertEquals(m, seenMeta);
        assertEquals(t, seen); // Tensor.equals compares values as Arrays.equals does: NaN equals NaN
    }

    @Test
    void saveLoadRestoreParameters() throws IOException {
        List<Parameter> params = List.of(Parameter.zeros("W_xh", 3, 4), Parameter.zeros("b_h", 4), Parameter.zeros("s"));
        SplittableRandom r = new SplittableRandom(1);
        for (Parameter p : params) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] = (float) r.nextGaussian();
            }
        }
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(file, params, Map.of("epoch", "3"));
        List<Parameter> fresh = List.of(Parameter.zeros("W_xh", 3, 4), Parameter.zeros("b_h", 4), Parameter.zeros("s"));
        Safetensors.Contents c = Safetensors.load(file);
        assertEquals("3", c.metadata().get("epoch"));
        Safetensors.restoreInto(file, c, fresh);
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(params.get(i).value(), fresh.get(i).value());
        }
    }

    @Test
    void extraTensorsSuchAsOptimizerStateGoThroughTheGenericWrite() throws IOException {
        List<Parameter> params = List.of(Parameter.zeros("W", 2, 2));
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(Safetensors.tensorsOf(params));
        t.put("optim.W.m", new Safetensors.Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
        Path file = dir.resolve("ckpt.safetensors");
        Safetensors.write(file, t, Map.of());
        Safetensors.Contents c = Safetensors.read(file);
        assertEquals(t, c.tensors());
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.restoreInto(file, c, params));
        assertTrue(e.getMessage().contains("unexpected tensor \"optim.W.m\""), e.getMessage());
    }

    @Test
    void restoreIntoNamesTheMismatch() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Safetensors.save(file, List.of(Parameter.zeros("W_xh", 3, 4), Parameter.zeros("b_h", 4)), Map.of());
        Safetensors.Contents c = Safetensors.load(file);

        List<Parameter> more = List.of(Parameter.zeros("W_xh", 3, 4), Parameter.zeros("b_h", 4), Parameter.zeros("W_hq", 4, 2));
        String missing = assertThrows(CheckpointException.class, () -> Safetensors.restoreInto(file, c, more)).getMessage();
        assertEquals(file + ": missing tensor \"W_hq\" (expected shape [4, 2])", missing);

        List<Parameter> fewer = List.of(Parameter.zeros("W_xh", 3, 4));
        String extra = assertThrows(CheckpointException.class, () -> Safetensors.restoreInto(file, c, fewer)).getMessage();
        assertEquals(file + ": unexpected tensor \"b_h\" with shape [4] (the model has no parameter of that name)", extra);

        List<Parameter> reshaped = List.of(Parameter.zeros("W_xh", 4, 3), Parameter.zeros("b_h", 4));
        reshaped.get(0).value()[0] = 9;
        String shape = assertThrows(CheckpointException.class, () -> Safetensors.restoreInto(file, c, reshaped)).getMessage();
        assertEquals(file + ": tensor \"W_xh\" has shape [3, 4], expected [4, 3]", shape);
        assertEquals(9, reshaped.get(0).value()[0], "nothing is copied unless everything matches");
    }

    @Test
    void tensorValidatesItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new Safetensors.Tensor(new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new Safetensors.Tensor(new int[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new Safetensors.Tensor(new int[] {65536, 65536, 65536, 65536}, new float[0]));
        assertEquals(0, new Safetensors.Tensor(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, new float[0]).data().length);
        assertEquals(1, new Safetensors.Tensor(new int[0], new float[1]).data().length);
    }

    @Test
    void writerRefusesWhatCannotBeRead() {
        Path file = dir.resolve("x.safetensors");
        Safetensors.Tensor one = new Safetensors.Tensor(new int[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("__metadata__", one), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("a\uD800", one), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of(), Map.of("k", "\uDC00v")));
        assertTrue(Files.notExists(file));
    }
}
