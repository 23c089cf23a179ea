package rnn.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Code the README shows is code the build compiles: every Java block of a section is in its example's sources. */
class ReadmeTest {

    @Test
    void prototypeACellQuotesTheExampleVerbatim() throws Exception {
        String readme = Files.readString(ModulePathTest.ROOT.resolve("README.md"));
        assertTrue(readme.contains("## Prototype a cell"), "the README has a Prototype a cell section");
        quotesVerbatim(readme, "## Prototype a cell", "examples/mgu-lion");
    }

    /** The README's "Use it from Java" quotes the quick start, which the build compiles and runs (QuickStartTest). */
    @Test
    void useItFromJavaQuotesTheQuickStartVerbatim() throws Exception {
        String readme = Files.readString(ModulePathTest.ROOT.resolve("README.md"));
        if (readme.contains("## Use it from Java")) { // the section is added by hand; once there, it must stay true
            quotesVerbatim(readme, "## Use it from Java", "examples/quickstart");
        }
    }

    private static void quotesVerbatim(String readme, String heading, String example) throws Exception {
        int start = readme.indexOf(heading);
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> sources = new ArrayList<>();
        try (var files = Files.walk(ModulePathTest.ROOT.resolve(example + "/src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(f));
            }
        }
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        int blocks = 0;
        while (m.find()) {
            String block = m.group(1);
            blocks++;
            assertTrue(sources.stream().anyMatch(src -> src.contains(block)),
                    "this README block is not in " + example + "'s sources:\n" + block);
        }
        assertFalse(blocks == 0, "the section quotes code");
    }
}
