package rnn.lm.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: readers, and the file system after a crash, see either the old file
 * or the complete new one, never a prefix. The bytes go to a temporary file in the same directory
 * (a rename is only atomic within one file system), are forced to disk, and the temporary file is
 * then renamed over the target. On any failure the temporary file is deleted and the target is left
 * as it was.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes content to a stream; closing the stream only flushes it, the caller completes the file. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /** Replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void write(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces {@code target} with what {@code content} writes. If {@code content} throws (checked or
     * not), nothing on disk changes and the exception propagates.
     */
    public static void write(Path target, IOConsumer<OutputStream> content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path tmp = createTemp(dir, absolute.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream stream = new BufferedOutputStream(new FilterOutputStream(Channels.newOutputStream(channel)) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len); // FilterOutputStream would write byte by byte
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the channel must stay open until it is forced below
                    }
                }, 1 << 16);
                content.accept(stream);
                stream.flush();
                channel.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        forceDirectory(dir);
    }

    /**
     * Not {@code Files.createTempFile}: that creates the file with mode 0600 on POSIX, and the renamed
     * model would keep it. {@code CREATE_NEW} with a random name gives the same uniqueness guarantee
     * while honouring the umask like any other new file.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Makes the rename itself durable. Linux allows forcing a directory opened for reading; other
     * systems refuse, and there the rename is as durable as the platform makes it.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the data itself is already on disk and in place
        }
    }
}
