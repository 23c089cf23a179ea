package rnn.lm.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A test folder for the corpus reader: texts written into it, readers whose token cache is its {@code tokens/}. */
final class ReaderFolder {

    private final Path dir;

    ReaderFolder(Path dir) {
        this.dir = dir;
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    CorpusReader reader(Path p, Tokenizer t, int max, int minFreq, boolean lenient, CorpusReader.Storage s,
            int chunk) {
        CorpusReader r = new CorpusReader(p, t, max, minFreq, lenient, dir.resolve("tokens"));
        r.storage = s;
        r.chunk = chunk;
        return r;
    }

    /** The token cache's files, none when it has no folder yet. */
    List<Path> cacheFiles() throws IOException {
        Path d = dir.resolve("tokens");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var s = Files.list(d)) {
            return s.toList();
        }
    }
}
