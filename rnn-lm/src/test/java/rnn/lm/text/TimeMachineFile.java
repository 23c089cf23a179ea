package rnn.lm.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared, read-only copy of d2l's timemachine.txt; tests that need it are skipped without it. */
final class TimeMachineFile {

    /** Relative to the rnn-lm module directory, where surefire runs: the shared/ folder beside the checkout. */
    static final Path PATH = Path.of("../../shared/data/timemachine.txt");

    private TimeMachineFile() {}

    static Path require() {
        assumeTrue(Files.isRegularFile(PATH), "no " + PATH.toAbsolutePath().normalize() + ": skipped");
        return PATH;
    }
}
