package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Discovery as users get it: real modules on a real module path, found through {@code uses} and
 * {@code provides}, not through META-INF/services on the class path the unit tests use.
 */
class ModulePathTest {

    static final Path ROOT = Path.of(System.getProperty("rnn.root", "..")).toAbsolutePath().normalize();
    static final Path LIB = ROOT.resolve("rnn-cli/target/lib");

    @Test
    void serviceLoaderFindsBothBackendsAcrossModules() throws Exception {
        List<Path> jars;
        try (Stream<Path> s = Files.list(LIB)) {
            jars = s.filter(p -> p.getFileName().toString().matches("rnn-(api|backend-.*)-.*\\.jar")).toList();
        }
        assertEquals(3, jars.size(), "api, naive and vector jars in " + LIB + ": " + jars);
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolveAndBind(ModuleFinder.of(jars.toArray(Path[]::new)),
                ModuleFinder.of(), Set.of("rnn.api"));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> service = layer.findLoader("rnn.api").loadClass("rnn.api.BackendProvider");
        List<String> names = new ArrayList<>();
        for (Object provider : ServiceLoader.load(layer, service)) {
            assertTrue(provider.getClass().getModule().isNamed(), provider.getClass() + " comes from a named module");
            names.add((String) service.getMethod("name").invoke(provider));
        }
        assertEquals(List.of("naive", "vector"), names.stream().sorted().toList());
    }

    record Run(int exit, String out, String err) {
    }

    static Run rnn(List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        return rnnWith(LIB.toString(), jvmArgs, args);
    }

    /** The CLI on {@code modulePath}, as {@code ./rnn} runs it with RNN_PLUGIN_PATH appended to its library. */
    static Run rnnWith(String modulePath, List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-p", modulePath, "-m", "rnn.cli/rnn.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("RNN_BACKEND");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void cliListsBothBackendsAndChoosesVectorWhenTheIncubatorIsPresent() throws Exception {
        Run r = rnn(List.of("--add-modules", "jdk.incubator.vector"), "backends");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*vector\\s+100\\s+yes\\s+FloatVector \\d+-bit.*"), r.out());
        assertTrue(r.out().matches("(?s).*naive\\s+0\\s+yes.*"), r.out());
        assertTrue(r.out().contains("chosen: vector (highest priority)"), r.out());
    }

    @Test
    void withoutTheIncubatorTheCliFallsBackToNaiveWithOneWarningSayingWhatToDo() throws Exception {
        Run r = rnn(List.of(), "backends");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chosen: naive (highest priority)"), r.out());
        List<String> warnings = r.err().lines().filter(l -> l.startsWith("warning:")).toList();
        assertEquals(1, warnings.size(), r.err());
        assertTrue(warnings.get(0).contains("--add-modules jdk.incubator.vector"), warnings.get(0));
    }

    @Test
    void selectionByFlagPropertyAndEnvironment() throws Exception {
        assertTrue(rnn(List.of("--add-modules", "jdk.incubator.vector"), "backends", "--backend", "naive").out()
                .contains("chosen: naive (explicit choice)"));
        assertTrue(rnn(List.of("--add-modules", "jdk.incubator.vector", "-Drnn.backend=naive"), "backends").out()
                .contains("chosen: naive (system property rnn.backend)"));
        Run unknown = rnn(List.of("--add-modules", "jdk.incubator.vector"), "backends", "--backend", "gpu");
        assertEquals(2, unknown.exit(), unknown.err());
        assertEquals("error: unknown backend 'gpu' (from explicit choice); available: vector, naive", unknown.err().strip()
                .lines().filter(l -> l.startsWith("error:")).findFirst().orElse(unknown.err()));
    }

    @Test
    void theSevenBuiltInOptimizersAreFoundInRnnApi() throws Exception {
        Run r = rnn(List.of(), "optimizers");
        assertEquals(0, r.exit(), r.err());
        List<String> providers = r.out().lines().filter(l -> !l.startsWith(" ") && l.contains(" (")).toList();
        assertEquals(List.of("adagrad", "adam", "adamw", "momentum", "nesterov", "rmsprop", "sgd"),
                providers.stream().map(l -> l.substring(0, l.indexOf(' '))).toList(), r.out());
        assertTrue(providers.stream().allMatch(l -> l.contains(" (rnn.api): ")), r.out());
    }
}
