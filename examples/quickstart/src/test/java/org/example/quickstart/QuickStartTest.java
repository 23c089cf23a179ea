package org.example.quickstart;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.tngtech.archunit.core.importer.ClassFileImporter;

/** The quick start runs as a user runs it, and says what it should. */
class QuickStartTest {

    @Test
    void mainTrainsSamplesSavesLoadsAndSamplesAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lighthouse.safetensors");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[] {file.toString()});
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        stdout.print(out); // shown in the build log
        List<String> lines = out.lines().toList();
        assertEquals(List.of("epoch 10", "epoch 20", "epoch 30"),
                lines.stream().filter(l -> l.startsWith("epoch ")).map(l -> l.substring(0, l.indexOf(':'))).toList(), out);

        Matcher ppl = Pattern.compile("validation perplexity (\\d+\\.\\d\\d)").matcher(out);
        assertTrue(ppl.find(), out);
        // The text has 28 tokens; predicting every one as likely as the others would give 28, English letter frequencies about 17.
        double perplexity = Double.parseDouble(ppl.group(1));
        assertTrue(perplexity > 1 && perplexity < 12, "validation perplexity " + perplexity);

        String sample = line(lines, "sample: ");
        assertTrue(sample.startsWith("the keeper") && sample.length() == "the keeper".length() + 60, sample);
        assertEquals(sample, line(lines, "loaded: "), "the loaded model continues the prefix as the trained one did");
        String sampled = line(lines, "sampled: ");
        assertTrue(sampled.startsWith("the keeper") && sampled.length() == "the keeper".length() + 60, sampled);
        assertTrue(Files.size(file) > 32 * 32 * 4, "the model was saved");
    }

    private static String line(List<String> lines, String label) {
        return lines.stream().filter(l -> l.startsWith(label)).map(l -> l.substring(label.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + label + "' in " + lines));
    }

    /** An application needs the front door only: package rnn.lm, not the packages it is built from. */
    @Test
    void theQuickStartUsesOnlyTheFrontDoor() throws Exception {
        Path mainClasses = Path.of(QuickStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("org.example.quickstart..", "rnn.lm", "java..")
                .check(new ClassFileImporter().importPath(mainClasses));
    }
}
