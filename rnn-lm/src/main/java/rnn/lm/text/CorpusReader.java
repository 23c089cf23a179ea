package rnn.lm.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a text file into a {@link Corpus} without ever holding the text: one streaming pass counts the
 * tokens (d2l's vocabulary needs every count before the first id), a second encodes them straight into
 * ids of the narrowest width, on the heap, or into a memory-mapped token cache when the heap could not
 * hold them or there are more than an array holds. Peak memory is the ids plus a few buffers: about one
 * byte per character token, where reading the whole text took about 25.
 *
 * <p>The passes must see the same file: each checksums every byte and checks the size and time, and the
 * second must meet exactly the tokens the first counted. A file written to meanwhile is one error line.
 */
final class CorpusReader {

    /** Forces where the ids go: {@code auto} (the default), {@code always} (the token cache) or {@code never}. */
    static final String PROPERTY = "rnn.tokenCache";
    /** The most elements a Java array is sure to hold. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final System.Logger LOG = System.getLogger("rnn.lm");

    /** Where the ids go. */
    enum Storage {
        /** On the heap if they surely fit, else the token cache. */
        AUTO,
        /** On the heap, whatever their size ({@code never}). */
        HEAP,
        /** In the token cache, whatever their size ({@code always}). */
        MAPPED;

        /** The choice of {@value #PROPERTY}: null or blank is {@link #AUTO}. */
        static Storage of(String property) {
            if (property == null || property.isBlank()) {
                return AUTO;
            }
            return switch (property.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "always" -> MAPPED;
                case "never" -> HEAP;
                default -> throw new IllegalArgumentException("unknown value '" + property + "' of the system property "
                        + PROPERTY + ": choose auto, always or never");
            };
        }
    }

    private final Path path;
    private final String source;
    private final Tokenizer tokenizer;
    private final int maxTokens;
    private final int minFreq;
    private final boolean lenient;
    private final Path cacheDir;

    // Settings that tests change; the defaults are what a user gets.
    Storage storage = Storage.of(System.getProperty(PROPERTY));
    long heapBudget = Runtime.getRuntime().maxMemory() / 2;
    int chunk = TextStream.CHUNK;
    long progressInterval = LoadProgress.DEFAULT_INTERVAL_NANOS;
    TokenCache.Opener opener = TokenCache.Opener.FILES;
    /** Runs between counting and encoding: tests change the file there. */
    Runnable afterCounting = () -> { };

    CorpusReader(Path path, Tokenizer tokenizer, int maxTokens, int minFreq, boolean lenient, Path cacheDir) {
        this.path = Objects.requireNonNull(path, "path");
        this.source = path.toString();
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.maxTokens = maxTokens;
        this.minFreq = minFreq;
        this.lenient = lenient;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    Corpus read() {
        long size = TextStream.attributes(path).size();
        // Every token takes at least one byte of the file, so this bounds the count before any is read.
        long most = maxTokens > 0 ? Math.min(size, maxTokens) : size;
        boolean cache = switch (storage) {
            case HEAP -> false;
            case MAPPED -> true;
            case AUTO -> !fitsHeap(most, 4);
        };
        LoadProgress progress = new LoadProgress(source, size, progressInterval);
        return cache ? viaCache(progress) : onHeap(progress);
    }

    private boolean fitsHeap(long tokens, int width) {
        return tokens <= MAX_ARRAY && tokens * width <= heapBudget;
    }

    private Corpus onHeap(LoadProgress progress) {
        TextStream stream = new TextStream(path, lenient, progress, chunk);
        progress.pass(1, 2, "counting tokens");
        Counter counter = new Counter();
        TextStream.Pass first = stream.read(counter, true, null, true);
        afterCounting.run();
        Vocabulary vocabulary = counter.vocabulary();
        int width = TokenIds.widthFor(vocabulary.size());
        HeapIds ids;
        try {
            ids = HeapIds.allocate(counter.tokens, width, source);
        } catch (OutOfMemoryError e) {
            if (storage != Storage.AUTO) {
                throw new DataException(String.format(Locale.ROOT, "%s: its %,d token ids need %,.0f MB, more than the"
                        + " heap has free: raise -Xmx or let the token cache hold them (-D%s=auto)", source,
                        counter.tokens, counter.tokens * width / 1e6, PROPERTY), e);
            }
            LOG.log(System.Logger.Level.INFO, source + ": the token ids do not fit the heap; using the token cache");
            return viaCache(progress);
        }
        progress.pass(2, 2, "encoding tokens");
        encode(stream, first, counter, vocabulary, ids);
        progress.done(counter.tokens, vocabulary.size(), width, "on the heap");
        return new Corpus(source, tokenizer, vocabulary, ids.tokens(vocabulary.size()));
    }

    private Corpus viaCache(LoadProgress progress) {
        TextStream stream = new TextStream(path, lenient, progress, chunk);
        MessageDigest sha = sha256();
        progress.pass(1, 3, "hashing");
        TextStream.Pass hashed = stream.read(null, false, sha, false);
        TokenCache.Key key = new TokenCache.Key(sha.digest(), hashed.size(), tokenizer, maxTokens, minFreq);
        Path file = cacheDir.resolve(key.fileName());
        if (Files.exists(file)) {
            try {
                TokenCache.Entry e = TokenCache.load(file, key);
                // A strict load of a text that needed replacements goes on, to fail on its first bad byte.
                if (e.replaced() == 0 || lenient) {
                    if (e.replaced() > 0) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: replaced {1} malformed UTF-8 sequence(s) with"
                                + " U+FFFD, the first at byte offset {2}", path, e.replaced(), e.firstReplaced());
                    }
                    progress.done(e.tokens().length(), e.vocabulary().size(), e.tokens().width(),
                            "memory-mapped from " + file);
                    return new Corpus(source, tokenizer, e.vocabulary(), e.tokens());
                }
            } catch (TokenCache.Damaged d) {
                LOG.log(System.Logger.Level.WARNING, "the token cache " + file + " is damaged (" + d.getMessage()
                        + "): rebuilding it");
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read the token cache " + file + " (" + describe(e)
                        + "): rebuilding it");
            }
        }
        progress.pass(2, 3, "counting tokens");
        Counter counter = new Counter();
        TextStream.Pass first = stream.read(counter, true, null, true);
        if (!first.sameAs(hashed)) {
            throw TextStream.changed(path, "it was not the same in two passes over it");
        }
        afterCounting.run();
        Vocabulary vocabulary = counter.vocabulary();
        int width = TokenIds.widthFor(vocabulary.size());
        progress.pass(3, 3, "writing the token cache");
        long bytes = counter.tokens * width;
        try (TokenCache.Writer w = new TokenCache.Writer(cacheDir, key, vocabulary, counter.tokens, first.replaced(),
                first.firstReplaced(), opener)) {
            encode(stream, first, counter, vocabulary, w);
            w.commit();
        } catch (IOException | UncheckedIOException e) {
            String why = String.format(Locale.ROOT, "cannot write the token cache %s (%s; it needs %,.0f MB)", file,
                    describe(e instanceof UncheckedIOException u ? u.getCause() : e), bytes / 1e6);
            if (storage == Storage.AUTO && fitsHeap(counter.tokens, width)) {
                LOG.log(System.Logger.Level.WARNING, why + ": keeping the token ids on the heap instead");
                HeapIds ids = HeapIds.allocate(counter.tokens, width, source);
                progress.pass(3, 3, "encoding tokens");
                encode(stream, first, counter, vocabulary, ids);
                progress.done(counter.tokens, vocabulary.size(), width, "on the heap");
                return new Corpus(source, tokenizer, vocabulary, ids.tokens(vocabulary.size()));
            }
            throw new DataException(why + ": make room there or choose another data home", e);
        }
        try {
            TokenCache.Entry e = TokenCache.load(file, key);
            progress.done(counter.tokens, vocabulary.size(), width, "memory-mapped from " + file);
            return new Corpus(source, tokenizer, e.vocabulary(), e.tokens());
        } catch (IOException | TokenCache.Damaged e) {
            throw new DataException("the token cache " + file + " cannot be read back after it was written: "
                    + e.getMessage(), e);
        }
    }

    /** The second pass: the tokens again, now as ids, checked to be the very tokens the first pass counted. */
    private void encode(TextStream stream, TextStream.Pass first, Counter counter, Vocabulary vocabulary, IdSink sink) {
        Encoder encoder = new Encoder(counter, vocabulary, sink);
        TextStream.Pass second = stream.read(encoder, false, null, false);
        if (!second.sameAs(first) || encoder.tokens != counter.tokens) {
            throw TextStream.changed(path, "it was not the same in two passes over it");
        }
    }

    /** The reason of an I/O failure, for one line: a file system exception's message is often just its path. */
    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName() + " " + f.getFile();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** A pass: the scanner turns each chunk of text into token keys, which {@link #add} takes. */
    private abstract static class KeyPass implements TextStream.Chars {
        /** Set once by the subclass's constructor. */
        TokenScanner scanner;
        int[] keys = new int[2];

        @Override
        public boolean take(char[] c, int from, int to) {
            if (keys.length < to - from + 2) {
                keys = new int[to - from + 2];
            }
            return add(scanner.scan(c, from, to, keys));
        }

        @Override
        public void end() {
            add(scanner.finish(keys));
        }

        /** Takes {@code keys[0..n)}; false to stop reading. */
        abstract boolean add(int n);
    }

    /** Pass one: every token's count, up to max_tokens. */
    private final class Counter extends KeyPass {
        {
            scanner = TokenScanner.of(tokenizer, source);
        }
        final long limit = maxTokens > 0 ? maxTokens : Long.MAX_VALUE;
        long tokens;
        /** Character tokens: counts of the BMP by code point, of the rest by a map. */
        final long[] bmp = tokenizer.wordLevel() ? null : new long[1 << 16];
        final Map<Integer, long[]> supplementary = new HashMap<>();
        /** Word tokens: counts by word index. */
        long[] words = new long[256];

        @Override
        boolean add(int n) {
            int k = (int) Math.min(n, limit - tokens);
            if (bmp != null) {
                for (int i = 0; i < k; i++) {
                    int cp = keys[i];
                    if (cp < bmp.length) {
                        bmp[cp]++;
                    } else {
                        supplementary.computeIfAbsent(cp, x -> new long[1])[0]++;
                    }
                }
            } else {
                int size = scanner.words().size();
                if (words.length < size) {
                    words = Arrays.copyOf(words, Math.max(size, 2 * words.length));
                }
                for (int i = 0; i < k; i++) {
                    words[keys[i]]++;
                }
            }
            tokens += k;
            return tokens < limit;
        }

        /** The vocabulary of what was counted, as {@link Corpus#fromText} builds it. */
        Vocabulary vocabulary() {
            Corpus.checkNotEmpty(source, tokens, tokenizer);
            Vocabulary v;
            if (bmp != null) {
                int distinct = supplementary.size();
                for (long c : bmp) {
                    distinct += c > 0 ? 1 : 0;
                }
                int[] cps = new int[distinct];
                long[] counts = new long[distinct];
                int i = 0;
                for (int cp = 0; cp < bmp.length; cp++) {
                    if (bmp[cp] > 0) {
                        cps[i] = cp;
                        counts[i++] = bmp[cp];
                    }
                }
                for (Map.Entry<Integer, long[]> e : supplementary.entrySet()) {
                    cps[i] = e.getKey();
                    counts[i++] = e.getValue()[0];
                }
                v = Vocabulary.ofCodePointCounts(cps, counts, minFreq);
            } else {
                int size = scanner.words().size();
                v = Vocabulary.ofWordCounts(scanner.words().words(), Arrays.copyOf(words, size), minFreq);
            }
            Corpus.checkSomeFrequent(source, v, tokenizer, minFreq);
            return v;
        }
    }

    /** Pass two: the same tokens as ids, into a sink. */
    private final class Encoder extends KeyPass {
        final long limit;
        final IdSink sink;
        long tokens;
        /** Id by key, -1 for a key the first pass never counted; supplementary code points by a map. */
        private final int[] ids;
        private final Map<Integer, Integer> supplementary = new HashMap<>();

        Encoder(Counter counter, Vocabulary vocabulary, IdSink sink) {
            this.limit = counter.tokens;
            this.sink = sink;
            if (counter.bmp != null) {
                scanner = TokenScanner.of(tokenizer, source);
                ids = new int[counter.bmp.length];
                for (int cp = 0; cp < ids.length; cp++) {
                    ids[cp] = counter.bmp[cp] > 0 ? vocabulary.index(cp) : -1;
                }
                counter.supplementary.keySet().forEach(cp -> supplementary.put(cp, vocabulary.index(cp)));
            } else {
                WordTable table = counter.scanner.words();
                scanner = TokenScanner.words(table, source);
                ids = new int[table.size()];
                for (int w = 0; w < ids.length; w++) {
                    ids[w] = w < counter.words.length && counter.words[w] > 0 ? vocabulary.index(table.word(w)) : -1;
                }
            }
        }

        @Override
        boolean add(int n) {
            int k = (int) Math.min(n, limit - tokens);
            boolean words = scanner.words() != null;
            for (int i = 0; i < k; i++) {
                int key = keys[i];
                int id = key < ids.length ? ids[key] : words ? -1 : supplementary.getOrDefault(key, -1);
                if (id < 0) {
                    throw TextStream.changed(path, "a token appeared that was not there in the first pass over it");
                }
                keys[i] = id;
            }
            try {
                sink.put(keys, k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tokens += k;
            return tokens < limit;
        }
    }
}
