package rnn.lm.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads safetensors with the checks of the reference (Rust) reader, and some more: every malformed
 * input ends in a one-line {@link CheckpointException}. Nothing is allocated from a length in the file
 * before that length has been checked against the file's actual size: the header buffer after its
 * length is bounded, the tensor arrays after all offsets are known to tile the data area exactly.
 */
final class SafetensorsReader {

    /** The reference reader's limit (safetensors {@code MAX_HEADER_SIZE}). */
    static final long MAX_HEADER = 100_000_000;
    /** Our models are small; this keeps every tensor within a Java array and one read. */
    static final long MAX_FILE = 1L << 31;
    static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    private SafetensorsReader() {
    }

    /** One tensor of the header, validated against the data area. */
    private record Entry(String name, int[] shape, int elements, long begin, long end) {
    }

    private record Header(List<Entry> entries, Map<String, String> metadata) {
    }

    static Safetensors.Contents read(Path file) throws CheckpointException {
        String source = file.toString();
        // A FIFO or device would block or never end; only plain files are read.
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(source + (Files.exists(file) ? ": not a regular file" : ": no such file"));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(source, channel);
        } catch (CheckpointException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(source + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(source + ": cannot read: " + oneLine(e), e);
        }
    }

    /** Reads from {@code channel}'s start; {@code source} names it in messages. */
    static Safetensors.Contents read(String source, SeekableByteChannel channel) throws IOException {
        long size = channel.size();
        if (size > MAX_FILE) {
            throw new CheckpointException(source + ": file is " + size + " bytes, more than the 2 GiB this reader accepts");
        }
        if (size < 8) {
            throw new CheckpointException(source + ": file is " + size
                    + " bytes, too short for the 8-byte header length of a safetensors file");
        }
        long n = readFully(source, channel, 0, 8).getLong();
        if (n < 0 || n > MAX_HEADER) {
            throw new CheckpointException(source + ": header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER + " bytes");
        }
        if (n > size - 8) {
            throw new CheckpointException(source + ": header length " + n + " exceeds the " + (size - 8)
                    + " bytes after the length field");
        }
        ByteBuffer headerBytes = readFully(source, channel, 8, (int) n);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(source + ": header is not valid UTF-8 (at byte " + (8 + headerBytes.position())
                    + " of the file)");
        }
        long dataStart = 8 + n;
        Header header = parseHeader(source, json, size - dataStart);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        try {
            for (Entry e : header.entries()) {
                tensors.put(e.name(), new Safetensors.Tensor(e.shape(), readFloats(source, channel, dataStart + e.begin(),
                        e.elements())));
            }
        } catch (OutOfMemoryError e) {
            // The file is consistent but larger than this heap: a clear refusal beats a dead trainer.
            throw new CheckpointException(source + ": not enough memory for " + (size - dataStart) + " bytes of tensors");
        }
        return new Safetensors.Contents(Collections.unmodifiableMap(tensors), header.metadata());
    }

    private static Header parseHeader(String source, String json, long dataLength) throws CheckpointException {
        JsonReader r = new JsonReader(json, source);
        if (!json.startsWith("{")) {
            // As the reference reader (InvalidHeaderStart): no leading whitespace, no other JSON value.
            boolean space = !json.isEmpty() && " \t\n\r".indexOf(json.charAt(0)) >= 0;
            throw r.invalid("header must be a JSON object starting with '{', found " + (space ? "whitespace" : r.nextKind()));
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> metadata = Map.of();
        r.expect('{');
        if (!r.consume('}')) {
            do {
                String name = r.readString();
                r.expect(':');
                if (!names.add(name)) {
                    throw r.invalid("duplicate key " + JsonWriter.display(name) + " in the header");
                }
                if (name.equals(METADATA_KEY)) {
                    metadata = parseMetadata(r);
                } else {
                    entries.add(parseTensor(r, name, dataLength));
                }
            } while (r.consume(','));
            r.expect('}');
        }
        if (!r.atEnd()) {
            throw r.syntax("unexpected " + r.nextKind() + " after the header object");
        }
        checkCoverage(r, entries, dataLength);
        return new Header(entries, metadata);
    }

    private static Map<String, String> parseMetadata(JsonReader r) throws CheckpointException {
        if (!r.nextIs('{')) {
            throw r.invalid(METADATA_KEY + " must be an object of strings, found " + r.nextKind());
        }
        r.expect('{');
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!r.consume('}')) {
            do {
                String key = r.readString();
                r.expect(':');
                if (!r.nextIs('"')) {
                    throw r.invalid("metadata value of " + JsonWriter.display(key) + " must be a string, found "
                            + r.nextKind());
                }
                if (metadata.put(key, r.readString()) != null) {
                    throw r.invalid("duplicate metadata key " + JsonWriter.display(key));
                }
            } while (r.consume(','));
            r.expect('}');
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseTensor(JsonReader r, String name, long dataLength) throws CheckpointException {
        if (!r.nextIs('{')) {
            throw r.invalid(shown(name) + " must be an object with dtype, shape and data_offsets, found " + r.nextKind());
        }
        r.expect('{');
        String dtype = null;
        int[] shape = null;
        long[] offsets = null;
        if (!r.consume('}')) {
            do {
                String key = r.readString();
                r.expect(':');
                switch (key) {
                    case "dtype" -> {
                        if (dtype != null) {
                            throw r.invalid(shown(name) + " has two dtype fields");
                        }
                        if (!r.nextIs('"')) {
                            throw r.invalid("dtype of " + shown(name) + " must be a string, found " + r.nextKind());
                        }
                        dtype = r.readString();
                        if (!dtype.equals("F32")) {
                            throw r.invalid(shown(name) + " has dtype " + JsonWriter.display(dtype) + "; only F32 is supported");
                        }
                    }
                    case "shape" -> {
                        if (shape != null) {
                            throw r.invalid(shown(name) + " has two shape fields");
                        }
                        shape = parseShape(r, name);
                    }
                    case "data_offsets" -> {
                        if (offsets != null) {
                            throw r.invalid(shown(name) + " has two data_offsets fields");
                        }
                        offsets = parseOffsets(r, name, dataLength);
                    }
                    default -> throw r.invalid(shown(name) + " has unknown field " + JsonWriter.display(key));
                }
            } while (r.consume(','));
            r.expect('}');
        }
        if (dtype == null || shape == null || offsets == null) {
            throw r.invalid(shown(name) + " lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        // A zero dimension makes an empty tensor whatever the others are (as Tensor accepts it).
        long elements = 1;
        for (int d : shape) {
            elements = d == 0 ? 0 : elements;
        }
        for (int i = 0; i < shape.length && elements != 0; i++) {
            // shape[i] <= 2^31-1 and elements <= 2^31-1 here, so the product cannot overflow a long.
            elements *= shape[i];
            if (elements > Integer.MAX_VALUE) {
                throw r.invalid(shown(name) + " has shape " + Arrays.toString(shape) + " with more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        long bytes = offsets[1] - offsets[0];
        if (bytes != 4 * elements) {
            throw r.invalid(shown(name) + " has shape " + Arrays.toString(shape) + " (" + 4 * elements
                    + " bytes of F32) but data_offsets " + Arrays.toString(offsets) + " span " + bytes + " bytes");
        }
        return new Entry(name, shape, (int) elements, offsets[0], offsets[1]);
    }

    private static int[] parseShape(JsonReader r, String name) throws CheckpointException {
        if (!r.nextIs('[')) {
            throw r.invalid("shape of " + shown(name) + " must be an array of integers, found " + r.nextKind());
        }
        r.expect('[');
        Supplier<String> what = () -> "shape entry of " + shown(name);
        int[] dims = new int[4];
        int rank = 0;
        if (!r.consume(']')) {
            do {
                if (rank == dims.length) {
                    // Each entry takes at least two header characters, so this stays within the header's size.
                    dims = Arrays.copyOf(dims, rank * 2);
                }
                dims[rank++] = (int) r.readNonNegativeInteger(what, Integer.MAX_VALUE);
            } while (r.consume(','));
            r.expect(']');
        }
        return Arrays.copyOf(dims, rank);
    }

    private static long[] parseOffsets(JsonReader r, String name, long dataLength) throws CheckpointException {
        Supplier<String> what = () -> "data_offsets of " + shown(name);
        if (!r.nextIs('[')) {
            throw r.invalid(what.get() + " must be an array of two integers, found " + r.nextKind());
        }
        r.expect('[');
        long[] offsets = new long[2];
        if (r.consume(']')) {
            throw r.invalid(what.get() + " must have two entries, found none");
        }
        offsets[0] = r.readNonNegativeInteger(what, Long.MAX_VALUE);
        if (r.consume(']')) {
            throw r.invalid(what.get() + " must have two entries, found one");
        }
        r.expect(',');
        offsets[1] = r.readNonNegativeInteger(what, Long.MAX_VALUE);
        if (r.nextIs(',')) {
            throw r.invalid(what.get() + " must have two entries, found more");
        }
        r.expect(']');
        if (offsets[0] > offsets[1]) {
            throw r.invalid(what.get() + " " + Arrays.toString(offsets) + " begin after they end");
        }
        if (offsets[1] > dataLength) {
            throw r.invalid(what.get() + " " + Arrays.toString(offsets) + " end beyond the " + dataLength
                    + "-byte data area");
        }
        return offsets;
    }

    /** Built only for a message: a header may name millions of tensors. */
    private static String shown(String name) {
        return "tensor " + JsonWriter.display(name);
    }

    /**
     * As the reference reader: sorted by offset, each tensor starts where the previous ended, and the
     * last ends at the end of the file. No overlaps (one byte read as two tensors), no holes (bytes
     * that no tensor accounts for).
     */
    private static void checkCoverage(JsonReader r, List<Entry> entries, long dataLength) throws CheckpointException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < at) {
                throw r.invalid("tensors " + JsonWriter.display(previous.name()) + " and " + JsonWriter.display(e.name())
                        + " overlap (bytes " + e.begin() + " to " + at + " of the data area)");
            }
            if (e.begin() > at) {
                throw r.invalid("bytes " + at + " to " + e.begin() + " of the data area, before tensor "
                        + JsonWriter.display(e.name()) + ", belong to no tensor");
            }
            at = e.end();
            previous = e;
        }
        if (at != dataLength) {
            throw r.invalid("bytes " + at + " to " + dataLength + " of the data area, after the last tensor, belong to no tensor");
        }
        entries.sort(Comparator.comparingLong(Entry::begin)); // stable: file order for the caller's map
    }

    private static float[] readFloats(String source, SeekableByteChannel channel, long position, int count)
            throws IOException {
        float[] out = new float[count];
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, 4L * count)).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        long at = position;
        while (done < count) {
            int n = Math.min(buffer.capacity() / 4, count - done);
            buffer.clear().limit(4 * n);
            fill(source, channel, at, buffer);
            buffer.flip();
            buffer.asFloatBuffer().get(out, done, n);
            done += n;
            at += 4L * n;
        }
        return out;
    }

    private static ByteBuffer readFully(String source, SeekableByteChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        fill(source, channel, position, buffer);
        return buffer.flip();
    }

    private static void fill(String source, SeekableByteChannel channel, long position, ByteBuffer buffer)
            throws IOException {
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new CheckpointException(source + ": file ended at byte " + channel.position()
                        + ", earlier than its size said (was it changed while being read?)");
            }
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("[\\r\\n]+", " ");
    }
}
