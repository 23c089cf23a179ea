package rnn.lm.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import rnn.api.Parameter;

/**
 * Float32 tensors and string metadata in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, as the Python {@code safetensors} package reads it: an 8-byte little-endian header length, a
 * UTF-8 JSON header (padded with spaces so the data starts at a multiple of 8), then the tensors'
 * little-endian bytes packed back to back. Writes are atomic ({@link AtomicFiles}); reads check
 * everything and fail only with {@link CheckpointException}.
 */
public final class Safetensors {

    private Safetensors() {
    }

    /**
     * A row-major float32 tensor. {@code shape} is copied; {@code data} is not, so a tensor made from a
     * parameter shares its values (weights can be large, and writing reads them at once).
     * An empty shape is a scalar with one value; a zero dimension means no values.
     */
    public record Tensor(int[] shape, float[] data) {

        public Tensor {
            Objects.requireNonNull(data, "data");
            boolean empty = false;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                }
                empty |= d == 0;
            }
            long size = empty ? 0 : 1;
            for (int i = 0; i < shape.length && size != 0 && size <= data.length; i++) {
                size *= shape[i]; // exact: size <= data.length < 2^31 before each step and shape[i] < 2^31
            }
            if (size != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                        + data.length + " values");
            }
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            // Bitwise on values (Arrays.equals), so NaN equals NaN and -0 differs from 0: what a round trip keeps.
            return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Tensor" + Arrays.toString(shape);
        }
    }

    /** What a file holds: tensors in file order, and the metadata (empty if the file has none). Both unmodifiable. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors.forEach((k, v) -> Objects.requireNonNull(v, k));
            metadata.forEach((k, v) -> Objects.requireNonNull(v, k));
        }
    }

    /**
     * Atomically replaces {@code file} with {@code tensors} (written sorted by name) and {@code metadata}.
     *
     * @throws IllegalArgumentException for a name {@code __metadata__}, a string with an unpaired
     *                                  surrogate, or more than the reader accepts (2 GiB, 100 MB of header)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter(tensors, metadata);
        AtomicFiles.write(file, writer::writeTo);
    }

    /** Reads and validates a whole file. */
    public static Contents read(Path file) throws CheckpointException {
        return SafetensorsReader.read(file);
    }

    /** The parameters' values as tensors under their names, sharing the arrays; add e.g. optimizer state and {@link #write}. */
    public static Map<String, Tensor> tensorsOf(List<Parameter> params) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : params) {
            if (tensors.put(p.name(), new Tensor(p.shape(), p.value())) != null) {
                throw new IllegalArgumentException("two parameters are named " + JsonWriter.display(p.name()));
            }
        }
        return tensors;
    }

    /** Writes each parameter's value under its name, with {@code metadata}; atomic like {@link #write}. */
    public static void save(Path file, List<Parameter> params, Map<String, String> metadata) throws IOException {
        write(file, tensorsOf(params), metadata);
    }

    /** The same as {@link #read}; named for symmetry with {@link #save}. */
    public static Contents load(Path file) throws CheckpointException {
        return read(file);
    }

    /** {@link #restoreInto(Path, Contents, List)} for contents that did not come from a named file. */
    public static void restoreInto(Contents contents, List<Parameter> params) throws CheckpointException {
        restoreInto(Path.of("checkpoint"), contents, params);
    }

    /**
     * Copies the tensors into the parameters' values. The tensors must match the parameters exactly:
     * every name present with the same shape, and no other tensor (a file for another model must not
     * load half-way). Nothing is copied unless everything matches.
     *
     * @param file names the source in messages
     */
    public static void restoreInto(Path file, Contents contents, List<Parameter> params) throws CheckpointException {
        Map<String, Tensor> tensors = contents.tensors();
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Parameter p : params) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("two parameters are named " + JsonWriter.display(p.name()));
            }
            Tensor t = tensors.get(p.name());
            if (t == null) {
                throw new CheckpointException(file + ": missing tensor " + JsonWriter.display(p.name())
                        + " (expected shape " + Arrays.toString(p.shape()) + ")");
            }
            if (!Arrays.equals(t.shape, p.shape())) {
                throw new CheckpointException(file + ": tensor " + JsonWriter.display(p.name()) + " has shape "
                        + Arrays.toString(t.shape) + ", expected " + Arrays.toString(p.shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!byName.containsKey(e.getKey())) {
                throw new CheckpointException(file + ": unexpected tensor " + JsonWriter.display(e.getKey()) + " with shape "
                        + Arrays.toString(e.getValue().shape) + " (the model has no parameter of that name)");
            }
        }
        for (Parameter p : params) {
            float[] src = tensors.get(p.name()).data;
            System.arraycopy(src, 0, p.value(), 0, src.length);
        }
    }
}
