import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What maven-jlink-plugin cannot do, run on the image it just linked, with the image's own java (an AOT cache
 * and a CDS archive are only valid for the JVM that made them):
 * <ol>
 * <li>the native libraries and executables stripped of their symbol tables with {@code objcopy
 *     --strip-unneeded} when it is on the PATH (libjvm.so: 29.8 to 24.8 MB); jlink's
 *     {@code --strip-native-debug-symbols} only removes debug sections, which the JDK's libraries do not
 *     have. Crash reports then give native frames as offsets ({@code libjvm.so+0x5c8a1e}), which
 *     {@code addr2line -f -e $JDK/lib/server/libjvm.so} names with the JDK the image was linked from;</li>
 * <li>one archive, made from one training run of backends, train, generate, eval and help on a small corpus
 *     written here (nothing is downloaded or read from outside). {@code cds}: the default CDS archive
 *     {@code lib/server/classes.jsa}, as jlink's {@code --generate-cds-archive} makes it ({@code -Xshare:dump})
 *     but from the class list of that run instead of the JDK's: every start of the image's java maps it,
 *     plug-in module path or not. {@code aot}: the AOT cache {@code lib/rnn.aot} (JDK 25: JEP 483, 514, 515),
 *     which {@code bin/rnn} passes. The full image takes {@code cds}: with an incubator module in the boot
 *     layer the JVM archives no module graph, so its AOT cache links nothing ahead of time and spins its
 *     lambdas at every start, slower than the CDS archive; one archive, as the AOT cache makes the JVM
 *     ignore the CDS archive (about 14 MB each);</li>
 * <li>the launcher {@code bin/rnn}, which uses the AOT cache when it is there;</li>
 * <li>the changed files added to the zip that the plugin made of the image before.</li>
 * </ol>
 * Usage: {@code java FinishImage.java IMAGE LAUNCHER WORKDIR ZIP cds|aot}.
 */
public final class FinishImage {

    private static final long TIMEOUT_MINUTES = 10;

    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !List.of("cds", "aot").contains(args[4])) {
            throw new IllegalArgumentException("usage: java FinishImage.java IMAGE LAUNCHER WORKDIR ZIP cds|aot");
        }
        Path image = Path.of(args[0]).toAbsolutePath();
        Path launcher = Path.of(args[1]);
        Path work = Path.of(args[2]).toAbsolutePath();
        Path zip = Path.of(args[3]);
        String mode = args[4];
        String java = image.resolve("bin/java").toString();
        Files.createDirectories(work);
        List<String> changed = new ArrayList<>(stripNativeSymbols(image, work.resolve("strip.log")));

        Path corpus = work.resolve("corpus.txt");
        Files.writeString(corpus, corpus(24_000));
        Path model = work.resolve("model");
        String modelFile = model.resolve("model.safetensors").toString();
        String[][] commands = {
                {"backends"},
                {"train", "--corpus", corpus.toString(), "--hidden", "128", "--epochs", "2", "--sample-every", "1", "--out", model.toString()},
                {"generate", "--model", modelFile, "--length", "100"},
                {"generate", "--model", modelFile, "--length", "100", "--temperature", "0.8", "--top-k", "5"},
                {"eval", "--model", modelFile, "--corpus", corpus.toString()},
                {"cells"},
                {"optimizers"},
                {"help"},
                {"--version"}};
        List<String> lines = new ArrayList<>(List.of("-m", "rnn.cli/rnn.cli.AotTraining"));
        for (String[] c : commands) {
            if (lines.size() > 2) {
                lines.add(";");
            }
            lines.addAll(List.of(c));
        }

        Path cds = image.resolve("lib/server/classes.jsa");
        Path aot = image.resolve("lib/rnn.aot");
        Files.deleteIfExists(cds);
        Files.deleteIfExists(aot);
        Path archive;
        String check;
        if (mode.equals("cds")) {
            // The class list of the training runs, lambda forms and lambdas included, instead of the JDK's own.
            Path classlist = work.resolve("classlist");
            Files.deleteIfExists(classlist);
            run(work.resolve("training.log"), concat(List.of(java, "-XX:DumpLoadedClassList=" + classlist), lines), null);
            require(classlist, work.resolve("training.log"));
            run(work.resolve("cds.log"), List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + classlist), null);
            require(cds, work.resolve("cds.log"));
            archive = cds;
            check = "-Xshare:on"; // an unusable archive is an error
        } else {
            run(work.resolve("training.log"), concat(List.of(java, "-XX:AOTCacheOutput=" + aot), lines), null);
            require(aot, work.resolve("training.log"));
            archive = aot;
            check = "-XX:AOTMode=on"; // an unusable cache is an error
        }

        Path rnn = image.resolve("bin/rnn");
        Files.copy(launcher, rnn, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(rnn, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The launcher must start, and with the archive.
        run(work.resolve("launcher-check.log"), List.of("/bin/sh", rnn.toString(), "--version"), check);

        if (Files.exists(zip)) {
            try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toAbsolutePath().toUri()),
                    Map.of("enablePosixFileAttributes", "true"))) {
                changed.addAll(List.of("bin/rnn", image.relativize(archive).toString()));
                for (String file : changed) {
                    Path to = fs.getPath(file);
                    Files.copy(image.resolve(file), to, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(image.resolve(file)));
                }
            }
        }
        System.out.printf("FinishImage: %s: %s %.1f MB (training log: %s)%n", image,
                mode.equals("cds") ? "CDS archive" : "AOT cache", Files.size(archive) / 1e6, work.resolve("training.log"));
    }

    /**
     * Strips the symbol tables of the image's ELF files with objcopy; returns their paths in the image. Without
     * objcopy the image is only larger: a note, nothing stripped.
     */
    private static List<String> stripNativeSymbols(Path image, Path log) throws IOException, InterruptedException {
        Path objcopy = onPath("objcopy");
        if (objcopy == null) {
            System.out.println("FinishImage: no objcopy on the PATH: native libraries keep their symbol tables (about 5 MB)");
            return List.of();
        }
        List<Path> elf;
        try (var files = Files.walk(image)) {
            elf = files.filter(Files::isRegularFile).filter(FinishImage::isElf).sorted().toList();
        }
        List<String> stripped = new ArrayList<>();
        for (Path f : elf) {
            run(log, List.of(objcopy.toString(), "--strip-unneeded", f.toString()), null);
            stripped.add(image.relativize(f).toString().replace('\\', '/'));
        }
        return stripped;
    }

    private static boolean isElf(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Runs a command with a clean JVM environment, output to {@code log}; fails with the log's tail. */
    private static void run(Path log, List<String> command, String rnnJavaOpts) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        for (String v : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "RNN_JAVA_OPTS", "RNN_BACKEND")) {
            env.remove(v);
        }
        if (rnnJavaOpts != null) {
            env.put("RNN_JAVA_OPTS", rnnJavaOpts);
        }
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + TIMEOUT_MINUTES + " min: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + tail(log));
        }
    }

    private static void require(Path file, Path log) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new IllegalStateException(file + " was not written\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** About {@code chars} characters of English-like sentences from a fixed vocabulary; the same every build. */
    static String corpus(int chars) {
        String[] words = ("the time traveller for so it will be convenient to speak of him was expounding a recondite "
                + "matter to us his grey eyes shone and twinkled and his usually pale face was flushed and animated "
                + "the fire burned brightly and the soft radiance of the lights caught the bubbles that flashed and "
                + "passed in our glasses you must follow me carefully i shall have to controvert one or two ideas "
                + "that are almost universally accepted there is no difference between time and any of the three "
                + "dimensions of space except that our consciousness moves along it").split(" ");
        Random random = new Random(12);
        StringBuilder text = new StringBuilder(chars + 100);
        while (text.length() < chars) {
            int n = 4 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                String w = words[random.nextInt(words.length)];
                text.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
                text.append(i == n - 1 ? (random.nextInt(5) == 0 ? "!\n" : ".\n") : random.nextInt(9) == 0 ? ", " : " ");
            }
        }
        return text.toString();
    }
}
