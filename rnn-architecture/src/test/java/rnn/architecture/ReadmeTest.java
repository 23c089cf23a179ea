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

/** The README's "Prototype a cell" shows code that CI compiles: every Java block there is in the example's sources. */
class ReadmeTest {

    @Test
    void prototypeACellQuotesTheExampleVerbatim() throws Exception {
        String readme = Files.readString(ModulePathTest.ROOT.resolve("README.md"));
        int start = readme.indexOf("## Prototype a cell");
        assertTrue(start >= 0, "the README has a Prototype a cell section");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> sources = new ArrayList<>();
        try (var files = Files.walk(ModulePathTest.ROOT.resolve("examples/mgu-lion/src"))) {
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
                    "this README block is not in examples/mgu-lion's sources:\n" + block);
        }
        assertFalse(blocks == 0, "the section quotes code");
    }
}
