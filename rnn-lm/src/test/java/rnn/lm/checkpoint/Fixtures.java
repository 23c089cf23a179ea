package rnn.lm.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared builders: files in memory, random tensors and names. */
final class Fixtures {

    private Fixtures() {
    }

    /** What {@link Safetensors#write} would put in a file. */
    static byte[] bytes(Map<String, Safetensors.Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new SafetensorsWriter(tensors, metadata).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A file from a literal header (not padded) and raw data. */
    static byte[] file(String header, byte[] data) {
        return file(header.getBytes(StandardCharsets.UTF_8), data);
    }

    static byte[] file(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(header.length).put(header).put(data).array();
    }

    static Safetensors.Contents read(byte[] file) throws IOException {
        return SafetensorsReader.read("mem", new MemoryChannel(file));
    }

    static Safetensors.Tensor tensor(SplittableRandom r, int rank, int maxDim) {
        int[] shape = new int[rank];
        int size = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = r.nextInt(maxDim + 1);
            size *= shape[i];
        }
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            // Mostly ordinary values, sometimes any bit pattern (NaN payloads, infinities, subnormals).
            data[i] = r.nextInt(4) == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian();
        }
        return new Safetensors.Tensor(shape, data);
    }

    /** Names and metadata strings from all of Unicode (no lone surrogates), with JSON's special characters. */
    static String string(SplittableRandom r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = switch (r.nextInt(6)) {
                case 0 -> "\"\\/\b\f\n\r\t\u0000\u001f\u007f".charAt(r.nextInt(11));
                case 1 -> r.nextInt(0x20, 0x7f);
                case 2 -> r.nextInt(0x80, 0xd800);
                case 3 -> r.nextInt(0xe000, 0x10000);
                case 4 -> r.nextInt(0x10000, 0x110000);
                default -> "abcxyz._-0123456789".charAt(r.nextInt(19));
            };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    static Map<String, Safetensors.Tensor> tensors(SplittableRandom r, int max) {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            String name = string(r, 6);
            if (!name.equals("__metadata__")) {
                t.put(name, tensor(r, r.nextInt(4), 5));
            }
        }
        return t;
    }

    static Map<String, String> metadata(SplittableRandom r, int max) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            m.put(string(r, 6), string(r, 12));
        }
        return m;
    }

    /** A read-only channel over bytes, so fuzzing reads the real code path without touching the disk. */
    static final class MemoryChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        MemoryChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long p) {
            position = p;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
