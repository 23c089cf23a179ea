package rnn.lm.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Named datasets with pinned SHA-1 hashes, like d2l's {@code DATA_HUB}: a verified file in the data
 * home is used without any network access, otherwise it is downloaded, verified and moved into place
 * atomically so a partial download never looks like a dataset.
 */
public final class Datasets {

    /** A downloadable file and the SHA-1 (lower-case hex) it must have. */
    public record Dataset(String name, String fileName, String sha1, URI url) {
        public Dataset {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            if (fileName == null || fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")
                    || fileName.startsWith(".")) {
                throw new IllegalArgumentException("a dataset file name is a plain file name, got '" + fileName + "'");
            }
            if (sha1 == null || !sha1.matches("[0-9a-f]{40}")) {
                throw new IllegalArgumentException("a SHA-1 is 40 lower-case hex digits, got '" + sha1 + "'");
            }
        }
    }

    /** d2l's DATA_URL, where its DATA_HUB files live. */
    public static final URI D2L_DATA_URL = URI.create("http://d2l-data.s3-accelerate.amazonaws.com/");

    public static final Dataset TIME_MACHINE = new Dataset("timemachine", "timemachine.txt",
            "090b5e7e70c295757f55df93cb0a180b9691891a", D2L_DATA_URL.resolve("timemachine.txt"));

    private static final List<Dataset> KNOWN = List.of(TIME_MACHINE);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger("rnn.lm");

    private final Path dataHome;
    private final HttpClient client;
    private final URI baseUrl;

    /** Datasets in {@code dataHome}, downloaded from their own URLs. */
    public Datasets(Path dataHome) {
        this(dataHome, null, null);
    }

    /**
     * @param baseUrl if not null, files are fetched from {@code baseUrl.resolve(fileName)} instead of
     *     their own URLs: a mirror, or a loopback server in tests
     */
    public Datasets(Path dataHome, URI baseUrl) {
        this(dataHome, null, baseUrl);
    }

    /**
     * With a given client, for tests; package-private so that java.net.http stays out of the
     * exported API.
     *
     * @param client the client to download with, or null for a fresh one per download
     */
    Datasets(Path dataHome, HttpClient client, URI baseUrl) {
        this.dataHome = Objects.requireNonNull(dataHome, "dataHome");
        this.client = client;
        this.baseUrl = baseUrl;
    }

    /** The built-in datasets. */
    public static List<Dataset> known() {
        return KNOWN;
    }

    /** A built-in dataset by name. */
    public static Dataset lookup(String name) {
        for (Dataset d : KNOWN) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "': known datasets are "
                + String.join(", ", KNOWN.stream().map(Dataset::name).toList()));
    }

    /**
     * Where datasets are kept: the flag if given, else {@code $RNN_DATA_HOME}, else
     * {@code $XDG_CACHE_HOME/rnn-jvm/data}, else {@code ~/.cache/rnn-jvm/data}.
     */
    public static Path dataHome(String flagOrNull) {
        return dataHome(flagOrNull, System::getenv, System.getProperty("user.home"));
    }

    static Path dataHome(String flag, Function<String, String> env, String userHome) {
        if (flag != null && !flag.isBlank()) {
            return Path.of(flag);
        }
        String own = env.apply("RNN_DATA_HOME");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        // The XDG spec says to ignore a relative XDG_CACHE_HOME.
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "rnn-jvm", "data");
        }
        return Path.of(userHome, ".cache", "rnn-jvm", "data");
    }

    public Path dataHome() {
        return dataHome;
    }

    /** Where corpora too large for the heap keep their token ids ({@code tokens/} in the data home). */
    public Path tokenCache() {
        return dataHome.resolve("tokens");
    }

    /** Where the file of a dataset is (or will be) kept; the user may put it there by hand. */
    public Path location(String name) {
        return dataHome.resolve(lookup(name).fileName());
    }

    /** The URL a dataset is downloaded from. */
    public URI source(String name) {
        Dataset d = lookup(name);
        return baseUrl == null ? d.url() : baseUrl.resolve(d.fileName());
    }

    /**
     * The verified file of a dataset, downloading it if it is not in the data home yet.
     *
     * @throws DataException if a cached file has the wrong hash (it is left alone), or the download
     *     fails or has the wrong hash (nothing is left behind); the message says where to put the file
     *     by hand and which SHA-1 it must have
     */
    public Path fetch(String name) {
        Dataset d = lookup(name);
        Path target = dataHome.resolve(d.fileName());
        String byHand = "; you can download it yourself and put it at " + target + " (SHA-1 " + d.sha1() + ")";
        if (Files.isRegularFile(target)) {
            String actual;
            try (InputStream in = Files.newInputStream(target)) {
                actual = sha1(in, OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new DataException("cannot read cached dataset " + target + ": " + e.getMessage(), e);
            }
            if (actual.equals(d.sha1())) {
                return target;
            }
            throw new DataException("cached dataset " + target + " is not " + d.name() + ": its SHA-1 is "
                    + actual + ", expected " + d.sha1() + "; delete or replace it (it was left as it is)");
        }
        if (Files.exists(target)) {
            throw new DataException(target + " exists but is not a regular file" + byHand);
        }
        URI url = source(name);
        try {
            Files.createDirectories(dataHome);
        } catch (IOException e) {
            throw new DataException("cannot create the data directory " + dataHome + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "downloading {0} from {1} to {2}", d.name(), url, target);
        Path temp;
        try {
            temp = Files.createTempFile(dataHome, "." + d.fileName() + ".", ".part");
        } catch (IOException e) {
            throw new DataException("cannot write in the data directory " + dataHome + ": " + e.getMessage(), e);
        }
        boolean moved = false;
        try {
            String actual = download(url, temp, byHand);
            if (!actual.equals(d.sha1())) {
                throw new DataException("the download of " + d.name() + " from " + url + " has SHA-1 " + actual
                        + ", expected " + d.sha1() + byHand);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return target;
        } catch (IOException e) {
            throw new DataException("cannot store " + d.name() + " at " + target + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot delete the partial download {0}: {1}", temp,
                            e.getMessage());
                }
            }
        }
    }

    /** Streams the body into {@code temp} and returns its SHA-1. */
    private String download(URI url, Path temp, String byHand) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
        HttpClient c = client != null ? client
                : HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> response = c.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DataException("cannot download " + url + ": HTTP " + response.statusCode() + byHand);
                }
                try (OutputStream out = Files.newOutputStream(temp)) {
                    return sha1(body, out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("the download of " + url + " was interrupted" + byHand, e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot download " + url + ": " + describe(e) + byHand, e);
        } finally {
            if (c != client) {
                c.close();
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m.lines().findFirst().orElse(""));
    }

    private static String sha1(InputStream in, OutputStream copy) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1", e);
        }
        try (DigestInputStream din = new DigestInputStream(in, md)) {
            din.transferTo(copy);
        }
        return HexFormat.of().formatHex(md.digest()).toLowerCase(Locale.ROOT);
    }
}
