package rnn.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The module layering, checked over the main classes of every built module (tests excluded): the
 * API depends on nothing of ours, backends only on the API, the language model on no backend, the
 * CLI reaches backends only through ServiceLoader, the incubator stays in the vector backend, no
 * cycles, and only the CLI prints.
 */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("rnn", "org.example");
        // Guard against vacuous rules: every module must have been imported.
        for (String pkg : List.of("rnn.api", "rnn.backend.naive", "rnn.backend.vector", "rnn.lm", "rnn.cli", "rnn.testkit",
                "org.example")) {
            assertFalse(classes.that(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(pkg + "..")).isEmpty(),
                    "no classes imported from " + pkg);
        }
    }

    @Test
    void apiDependsOnNoProjectModule() {
        noClasses().that().resideInAPackage("rnn.api..")
                .should().dependOnClassesThat().resideInAnyPackage("rnn.backend..", "rnn.lm..", "rnn.cli..", "rnn.testkit..")
                .check(classes);
    }

    @Test
    void apiDependsOnJavaBaseOnly() throws Exception {
        classes().that().resideInAPackage("rnn.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("rnn.api..", "java..")
                .check(classes);
        assertEquals(Set.of("java.base"), requires("rnn-api/target/rnn-api-0.1.0-SNAPSHOT.jar"));
    }

    @Test
    void theExamplePluginDependsOnlyOnTheApi() throws Exception {
        classes().that().resideInAPackage("org.example..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.example..", "rnn.api..", "java..")
                .because("a user's cell and optimizer need nothing but the SPI")
                .check(classes);
        assertEquals(Set.of("java.base", "rnn.api"), requires("examples/mgu-lion/target/rnn-example-mgu-lion.jar"));
    }

    /** The modules a built jar's module descriptor requires. */
    private static Set<String> requires(String jar) {
        Path path = ModulePathTest.ROOT.resolve(jar);
        return ModuleFinder.of(path).findAll().iterator().next().descriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
    }

    @Test
    void backendsDependOnlyOnTheApi() {
        classes().that().resideInAPackage("rnn.backend.naive..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("rnn.backend.naive..", "rnn.api..", "java..")
                .check(classes);
        classes().that().resideInAPackage("rnn.backend.vector..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("rnn.backend.vector..", "rnn.api..", "java..", "jdk.incubator.vector..")
                .check(classes);
    }

    @Test
    void languageModelDependsOnNoBackend() {
        noClasses().that().resideInAPackage("rnn.lm..").should().dependOnClassesThat().resideInAPackage("rnn.backend..")
                .check(classes);
    }

    @Test
    void cliReachesBackendsOnlyThroughServiceLoader() {
        noClasses().that().resideInAPackage("rnn.cli..").should().dependOnClassesThat().resideInAPackage("rnn.backend..")
                .check(classes);
    }

    @Test
    void onlyTheVectorBackendImportsTheIncubator() {
        noClasses().that().resideOutsideOfPackage("rnn.backend.vector..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator..")
                .check(classes);
    }

    @Test
    void noCycles() {
        slices().matching("rnn.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("rnn.lm.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheCliPrints() {
        noClasses().that().resideOutsideOfPackage("rnn.cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(classes);
    }

    @Test
    void implementationClassesAreNotPublicExceptProviders() {
        classes().that().resideInAnyPackage("rnn.backend..").and().arePublic()
                .should().implement(rnn.api.BackendProvider.class)
                .because("backend internals are package-private; only the ServiceLoader entry point is public")
                .check(classes);
    }

    @Test
    void builtInOptimizersAreReachedOnlyThroughServiceLoader() {
        classes().that().resideInAPackage("rnn.api.optim.builtin").and().arePublic()
                .should().implement(rnn.api.optim.OptimizerProvider.class)
                .because("the package is not exported; only the ServiceLoader entry points are public")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("rnn.api.optim.builtin")
                .should().dependOnClassesThat().resideInAPackage("rnn.api.optim.builtin")
                .because("optimizers are found by name (Optimizers.forName), like any plug-in")
                .check(classes);
    }
}
