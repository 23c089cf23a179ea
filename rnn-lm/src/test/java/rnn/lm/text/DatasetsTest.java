package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a loopback server only; nothing here touches the internet. */
class DatasetsTest {

    @TempDir Path home;

    private LoopbackServer server;
    private HttpClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackServer();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
        client.close();
    }

    private Datasets datasets() {
        return new Datasets(home, client, server.base());
    }

    private static byte[] timeMachineBytes() throws IOException {
        return Files.readAllBytes(TimeMachineFile.require());
    }

    private List<Path> filesInHome() throws IOException {
        try (Stream<Path> s = Files.list(home)) {
            return s.toList();
        }
    }

    @Test
    void downloadsVerifiesAndStoresTheFile() throws IOException {
        server.body = timeMachineBytes();
        Path p = datasets().fetch("timemachine");
        assertEquals(home.resolve("timemachine.txt"), p);
        assertArrayEquals(server.body, Files.readAllBytes(p));
        assertEquals(1, server.requests.get());
        assertEquals(List.of(p), filesInHome(), "no temporary file is left");
        // Now cached: no second request.
        assertEquals(p, datasets().fetch("timemachine"));
        assertEquals(1, server.requests.get());
        assertEquals(170580, Corpus.fromFile(p, Tokenizer.D2L, 0, false).length());
    }

    @Test
    void verifiedCachedFileIsUsedWithoutNetwork() throws IOException {
        Files.copy(TimeMachineFile.require(), home.resolve("timemachine.txt"));
        assertEquals(home.resolve("timemachine.txt"), datasets().fetch("timemachine"));
        assertEquals(0, server.requests.get());
    }

    @Test
    void corruptDownloadIsDeletedAndNamesThePathAndHash() throws IOException {
        server.body = "this is not the time machine".getBytes();
        DataException e = assertThrows(DataException.class, () -> datasets().fetch("timemachine"));
        String m = e.getMessage();
        assertTrue(m.contains(home.resolve("timemachine.txt").toString()), m);
        assertTrue(m.contains(Datasets.TIME_MACHINE.sha1()), m);
        assertTrue(m.contains("SHA-1"), m);
        assertEquals(List.of(), filesInHome(), "nothing is left behind");
    }

    @Test
    void notFoundIsAClearError() throws IOException {
        server.status = 404;
        DataException e = assertThrows(DataException.class, () -> datasets().fetch("timemachine"));
        String m = e.getMessage();
        assertTrue(m.contains("404"), m);
        assertTrue(m.contains(home.resolve("timemachine.txt").toString()), m);
        assertTrue(m.contains(Datasets.TIME_MACHINE.sha1()), m);
        assertEquals(List.of(), filesInHome());
    }

    @Test
    void unreachableServerIsAClearError() throws IOException {
        server.close();
        DataException e = assertThrows(DataException.class, () -> datasets().fetch("timemachine"));
        assertTrue(e.getMessage().contains(home.resolve("timemachine.txt").toString()), e.getMessage());
        assertEquals(List.of(), filesInHome());
    }

    @Test
    void wrongCachedFileIsReportedAndKept() throws IOException {
        Path p = Files.writeString(home.resolve("timemachine.txt"), "my own notes");
        DataException e = assertThrows(DataException.class, () -> datasets().fetch("timemachine"));
        String m = e.getMessage();
        assertTrue(m.contains(p.toString()) && m.contains(Datasets.TIME_MACHINE.sha1()), m);
        assertEquals("my own notes", Files.readString(p), "the user's file is not deleted");
        assertEquals(0, server.requests.get());
    }

    @Test
    void createsAMissingDataHome() throws IOException {
        server.body = timeMachineBytes();
        Path nested = home.resolve("a/b");
        Path p = new Datasets(nested, client, server.base()).fetch("timemachine");
        assertEquals(nested.resolve("timemachine.txt"), p);
    }

    @Test
    void unknownDatasetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> datasets().fetch("wikitext"));
        assertTrue(e.getMessage().contains("wikitext") && e.getMessage().contains("timemachine"), e.getMessage());
        assertEquals(0, server.requests.get());
    }

    @Test
    void builtInTimeMachineIsD2ls() {
        Datasets.Dataset d = Datasets.lookup("timemachine");
        assertEquals("timemachine.txt", d.fileName());
        assertEquals("090b5e7e70c295757f55df93cb0a180b9691891a", d.sha1());
        assertEquals(URI.create("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"), d.url());
        assertEquals(d.url(), new Datasets(home).source("timemachine"));
    }

    @Test
    void dataHomeResolutionOrder() {
        Map<String, String> all = Map.of("RNN_DATA_HOME", "/env/data", "XDG_CACHE_HOME", "/xdg");
        assertEquals(Path.of("/flag"), Datasets.dataHome("/flag", all::get, "/home/u"));
        assertEquals(Path.of("/env/data"), Datasets.dataHome(null, all::get, "/home/u"));
        assertEquals(Path.of("/xdg/rnn-jvm/data"),
                Datasets.dataHome(" ", Map.of("XDG_CACHE_HOME", "/xdg")::get, "/home/u"));
        assertEquals(Path.of("/home/u/.cache/rnn-jvm/data"),
                Datasets.dataHome(null, Map.of("XDG_CACHE_HOME", "relative")::get, "/home/u"));
        assertEquals(Path.of("/home/u/.cache/rnn-jvm/data"), Datasets.dataHome(null, Map.<String, String>of()::get, "/home/u"));
    }
}
