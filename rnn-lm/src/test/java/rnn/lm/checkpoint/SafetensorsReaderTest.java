package rnn.lm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each kind of malformed file, and the one-line message it gets. */
class SafetensorsReaderTest {

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    private static byte[] withLength(long n, int fileSize) {
        return ByteBuffer.allocate(fileSize).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    static Stream<Arguments> malformed() {
        byte[] eight = new byte[8];
        byte[] twelve = new byte[12];
        return Stream.of(
                Arguments.of("empty file", new byte[0], "file is 0 bytes, too short"),
                Arguments.of("7 bytes", new byte[7], "file is 7 bytes, too short"),
                Arguments.of("header over 100 MB", withLength(100_000_001, 16), "header length 100000001 exceeds the limit"),
                Arguments.of("negative as signed", withLength(-1, 16), "header length 18446744073709551615 exceeds the limit"),
                Arguments.of("longer than the file", withLength(9, 16), "header length 9 exceeds the 8 bytes after"),
                Arguments.of("not UTF-8", Fixtures.file(new byte[] {'{', '"', (byte) 0xff, '"', '}'}, new byte[0]),
                        "header is not valid UTF-8"),
                Arguments.of("UTF-8 encoded surrogate", Fixtures.file(new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0,
                        (byte) 0x80, '"', ':', '1', '}'}, new byte[0]), "header is not valid UTF-8"),
                Arguments.of("overlong encoding", Fixtures.file(new byte[] {'{', (byte) 0xc0, (byte) 0x80, '}'}, new byte[0]),
                        "header is not valid UTF-8"),
                Arguments.of("empty header", Fixtures.file("", new byte[0]), "starting with '{', found the end of the header"),
                Arguments.of("leading space", Fixtures.file(" {}", new byte[0]), "starting with '{', found whitespace"),
                Arguments.of("array", Fixtures.file("[]", new byte[0]), "starting with '{', found an array"),
                Arguments.of("unterminated", Fixtures.file("{", new byte[0]), "not valid JSON: expected '\"' but found the end"),
                Arguments.of("trailing garbage", Fixtures.file("{}x", new byte[0]), "not valid JSON: unexpected \"x\" after"),
                Arguments.of("trailing comma", Fixtures.file("{" + A + ",}", eight), "not valid JSON: expected '\"' but found \"}\""),
                Arguments.of("tensor not an object", Fixtures.file("{\"a\":5}", new byte[0]),
                        "tensor \"a\" must be an object with dtype, shape and data_offsets, found a number"),
                Arguments.of("F16", Fixtures.file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]),
                        "tensor \"a\" has dtype \"F16\"; only F32 is supported"),
                Arguments.of("empty dtype", Fixtures.file("{\"a\":{\"dtype\":\"\"}}", new byte[0]), "has dtype \"\"; only F32"),
                Arguments.of("dtype number", Fixtures.file("{\"a\":{\"dtype\":32}}", new byte[0]),
                        "dtype of tensor \"a\" must be a string, found a number"),
                Arguments.of("negative dim", Fixtures.file("{\"a\":{\"shape\":[-1]}}", new byte[0]),
                        "shape entry of tensor \"a\" must be a non-negative integer, found -1"),
                Arguments.of("2^62 dim", Fixtures.file("{\"a\":{\"shape\":[4611686018427387904]}}", new byte[0]),
                        "shape entry of tensor \"a\" is too large: 4611686018427387904 (at most 2147483647)"),
                Arguments.of("fractional dim", Fixtures.file("{\"a\":{\"shape\":[2.0]}}", new byte[0]),
                        "must be a non-negative integer, found 2.0"),
                Arguments.of("exponent dim", Fixtures.file("{\"a\":{\"shape\":[1e3]}}", new byte[0]),
                        "must be a non-negative integer, found 1e3"),
                Arguments.of("string dim", Fixtures.file("{\"a\":{\"shape\":[\"2\"]}}", new byte[0]),
                        "must be a non-negative integer, found a string"),
                Arguments.of("leading zero", Fixtures.file("{\"a\":{\"shape\":[02]}}", new byte[0]),
                        "not valid JSON: number with a leading zero"),
                Arguments.of("product overflow", Fixtures.file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,0]}}", new byte[0]),
                        "has shape [65536, 65536] with more than 2147483647 elements"),
                Arguments.of("one offset", Fixtures.file("{\"a\":{\"data_offsets\":[0]}}", new byte[0]),
                        "data_offsets of tensor \"a\" must have two entries, found one"),
                Arguments.of("three offsets", Fixtures.file("{\"a\":{\"data_offsets\":[0,0,0]}}", new byte[0]),
                        "must have two entries, found more"),
                Arguments.of("offsets reversed", Fixtures.file("{\"a\":{\"data_offsets\":[8,0]}}", eight),
                        "data_offsets of tensor \"a\" [8, 0] begin after they end"),
                Arguments.of("offsets beyond data", Fixtures.file("{\"a\":{\"data_offsets\":[0,16]}}", eight),
                        "[0, 16] end beyond the 8-byte data area"),
                Arguments.of("offset 2^64", Fixtures.file("{\"a\":{\"data_offsets\":[0,18446744073709551616]}}", eight),
                        "is too large: 18446744073709551616"),
                Arguments.of("size mismatch", Fixtures.file(
                        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                        "tensor \"a\" has shape [3] (12 bytes of F32) but data_offsets [0, 8] span 8 bytes"),
                Arguments.of("overlap", Fixtures.file("{" + A
                        + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", twelve),
                        "tensors \"a\" and \"b\" overlap (bytes 4 to 8 of the data area)"),
                Arguments.of("gap", Fixtures.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", twelve),
                        "bytes 4 to 8 of the data area, before tensor \"b\", belong to no tensor"),
                Arguments.of("trailing data", Fixtures.file("{" + A + "}", twelve),
                        "bytes 8 to 12 of the data area, after the last tensor, belong to no tensor"),
                Arguments.of("data without tensors", Fixtures.file("{}", new byte[4]),
                        "bytes 0 to 4 of the data area, after the last tensor, belong to no tensor"),
                Arguments.of("duplicate tensor", Fixtures.file("{" + A + "," + A + "}", eight), "duplicate key \"a\" in the header"),
                Arguments.of("duplicate field", Fixtures.file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}", new byte[0]),
                        "tensor \"a\" has two dtype fields"),
                Arguments.of("duplicate metadata", Fixtures.file("{\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}}", new byte[0]),
                        "duplicate metadata key \"k\""),
                Arguments.of("two metadata", Fixtures.file("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0]),
                        "duplicate key \"__metadata__\""),
                Arguments.of("metadata number", Fixtures.file("{\"__metadata__\":{\"k\":1}}", new byte[0]),
                        "metadata value of \"k\" must be a string, found a number"),
                Arguments.of("metadata null", Fixtures.file("{\"__metadata__\":{\"k\":null}}", new byte[0]), "found null"),
                Arguments.of("metadata array", Fixtures.file("{\"__metadata__\":[\"k\"]}", new byte[0]),
                        "__metadata__ must be an object of strings, found an array"),
                Arguments.of("unknown field", Fixtures.file("{\"a\":{\"dtype\":\"F32\",\"offsets\":[0,8]}}", eight),
                        "tensor \"a\" has unknown field \"offsets\""),
                Arguments.of("missing field", Fixtures.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight),
                        "tensor \"a\" lacks data_offsets"),
                Arguments.of("lone surrogate escape", Fixtures.file("{\"\\ud800\":1}", new byte[0]),
                        "not valid JSON: unpaired surrogate escape \\uD800"),
                Arguments.of("control character", Fixtures.file("{\"a\nb\":1}", new byte[0]),
                        "not valid JSON: unescaped control character U+000A"),
                Arguments.of("bad escape", Fixtures.file("{\"\\x\":1}", new byte[0]), "not valid JSON: invalid escape"),
                Arguments.of("deep nesting", Fixtures.file("{\"a\":{\"shape\":" + "[".repeat(1_000_000), new byte[0]),
                        "shape entry of tensor \"a\" must be a non-negative integer, found an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWithAOneLineMessage(String name, byte[] file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Fixtures.read(file), name);
        assertTrue(e.getMessage().startsWith("mem: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void acceptsEmptyAndZeroSizedTensorsWithHugeDimensions() throws IOException {
        byte[] file = Fixtures.file("{\"z\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,0],\"data_offsets\":[0,0]},"
                + "\"a\":{\"shape\":[],\"data_offsets\":[0,4],\"dtype\":\"F32\"}}   \t\n\r", new byte[] {0, 0, (byte) 0x80, 0x3f});
        Safetensors.Contents c = Fixtures.read(file);
        assertEquals(Arrays.asList("z", "a"), c.tensors().keySet().stream().toList());
        assertEquals(1f, c.tensors().get("a").data()[0]);
        assertEquals(0, Fixtures.read(Fixtures.file("{}", new byte[0])).tensors().size());
    }

    @Test
    void namesTheFileForFilesThatCannotBeRead(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.safetensors");
        assertEquals(missing + ": no such file", assertThrows(CheckpointException.class, () -> Safetensors.read(missing)).getMessage());
        assertEquals(dir + ": not a regular file", assertThrows(CheckpointException.class, () -> Safetensors.read(dir)).getMessage());
        Path shortFile = Files.write(dir.resolve("short"), new byte[] {1, 2, 3});
        assertEquals(shortFile + ": file is 3 bytes, too short for the 8-byte header length of a safetensors file",
                assertThrows(CheckpointException.class, () -> Safetensors.read(shortFile)).getMessage());
    }
}
