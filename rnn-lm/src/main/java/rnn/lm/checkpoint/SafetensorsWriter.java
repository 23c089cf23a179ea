package rnn.lm.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import rnn.lm.text.Vocabulary;

/**
 * Lays out a safetensors file. Everything is validated and the header built in the constructor, so a
 * bad argument fails before any file is touched; {@link #writeTo} only streams bytes.
 */
final class SafetensorsWriter {

    /**
     * Code point order is UTF-8 byte order, which is how the reference writer (Rust {@code String}
     * ordering) sorts names of one dtype; {@code String.compareTo} compares UTF-16 units and differs
     * above U+FFFF.
     */
    static final Comparator<String> NAME_ORDER = Vocabulary.CODE_POINT_ORDER;

    private final List<Map.Entry<String, Safetensors.Tensor>> tensors;
    private final byte[] header;

    SafetensorsWriter(Map<String, Safetensors.Tensor> tensors, Map<String, String> metadata) {
        this.tensors = tensors.entrySet().stream()
                .map(e -> Map.entry(Objects.requireNonNull(e.getKey(), "tensor name"),
                        Objects.requireNonNull(e.getValue(), e.getKey())))
                .sorted(Map.Entry.comparingByKey(NAME_ORDER))
                .toList();
        StringBuilder json = new StringBuilder("{");
        List<Map.Entry<String, String>> meta = metadata.entrySet().stream()
                .map(e -> Map.entry(Objects.requireNonNull(e.getKey(), "metadata key"),
                        Objects.requireNonNull(e.getValue(), e.getKey())))
                .sorted(Map.Entry.comparingByKey(NAME_ORDER))
                .toList();
        if (!meta.isEmpty()) {
            // Omitted when empty, as the reference writer does for metadata=None.
            JsonWriter.quote(json, SafetensorsReader.METADATA_KEY).append(":{");
            for (int i = 0; i < meta.size(); i++) {
                JsonWriter.quote(json.append(i == 0 ? "" : ","), meta.get(i).getKey()).append(':');
                JsonWriter.quote(json, meta.get(i).getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Safetensors.Tensor> e : this.tensors) {
            if (e.getKey().equals(SafetensorsReader.METADATA_KEY)) {
                throw new IllegalArgumentException(SafetensorsReader.METADATA_KEY + " is reserved and cannot name a tensor");
            }
            long end = offset + 4L * e.getValue().data().length;
            JsonWriter.quote(json.append(json.length() > 1 ? "," : ""), e.getKey())
                    .append(":{\"dtype\":\"F32\",\"shape\":").append(Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        // The reference writer pads with spaces so the data, at 8 + length, is 8-byte aligned.
        int padded = (text.length + 7) & ~7;
        if (padded > SafetensorsReader.MAX_HEADER) {
            throw new IllegalArgumentException("the header would be " + padded + " bytes, more than readers accept ("
                    + SafetensorsReader.MAX_HEADER + ")");
        }
        if (8L + padded + offset > SafetensorsReader.MAX_FILE) {
            throw new IllegalArgumentException("the file would be " + (8L + padded + offset)
                    + " bytes, more than the reader accepts (2 GiB)");
        }
        header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
    }

    void writeTo(OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        chunk.putLong(header.length);
        out.write(chunk.array(), 0, 8);
        out.write(header);
        for (Map.Entry<String, Safetensors.Tensor> e : tensors) {
            float[] data = e.getValue().data();
            for (int i = 0; i < data.length; ) {
                int n = Math.min(chunk.capacity() / 4, data.length - i);
                chunk.clear();
                chunk.asFloatBuffer().put(data, i, n); // raw bits: NaN payloads survive
                out.write(chunk.array(), 0, 4 * n);
                i += n;
            }
        }
    }
}
