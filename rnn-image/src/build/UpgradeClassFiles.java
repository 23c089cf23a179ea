import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar, rewriting each class file older than Java 6 (major version below 50) as a Java 8 class
 * file with stack maps; nothing else changes (same bytecode, same entries, same times). Run with the build's
 * JDK: {@code java UpgradeClassFiles.java IN.jar OUT.jar}.
 *
 * <p>Why: picocli is compiled for Java 5. The JVM verifies such classes with the old inference verifier
 * and, in JDK 25, an AOT cache skips them ("Old class has been linked"), so every start of the image
 * parsed, verified and linked picocli again. With stack maps they are verified once, when the cache is
 * made, and load from it. The image's training run executes the rewritten classes, so a class that does
 * not verify fails the build.
 */
public final class UpgradeClassFiles {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java UpgradeClassFiles.java IN.jar OUT.jar");
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<ZipEntry, byte[]> entries = new LinkedHashMap<>();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(in))) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                byte[] bytes = zin.readAllBytes();
                entries.put(e, bytes);
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    classes.put(e.getName(), bytes);
                }
            }
        }
        // Stack maps need the class hierarchy: this jar's classes from its bytes, the JDK's from the JDK.
        ClassHierarchyResolver fromJar = ClassHierarchyResolver.ofResourceParsing((ClassDesc c) -> {
            String name = c.descriptorString();
            byte[] b = classes.get(name.substring(1, name.length() - 1) + ".class");
            return b == null ? null : new ByteArrayInputStream(b);
        });
        ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(fromJar.orElse(ClassHierarchyResolver.defaultResolver())));
        ClassTransform upgrade = ClassTransform.dropping(e -> e instanceof ClassFileVersion)
                .andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL))
                .andThen(ClassTransform.endHandler(b -> b.withVersion(ClassFile.JAVA_8_VERSION, 0)));
        int upgraded = 0;
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<ZipEntry, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getValue();
                if (classes.containsKey(e.getKey().getName())) {
                    ClassModel model = cf.parse(bytes);
                    if (model.majorVersion() < ClassFile.JAVA_6_VERSION) {
                        bytes = cf.transformClass(model, upgrade);
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getKey().getName());
                if (e.getKey().getTime() != -1) {
                    copy.setTime(e.getKey().getTime());
                }
                zout.putNextEntry(copy);
                zout.write(bytes);
                zout.closeEntry();
            }
        }
        System.out.println("UpgradeClassFiles: " + upgraded + " of " + classes.size() + " classes of " + in.getFileName()
                + " rewritten as Java 8 class files with stack maps: " + out);
    }
}
