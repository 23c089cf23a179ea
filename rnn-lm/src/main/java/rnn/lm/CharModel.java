package rnn.lm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.api.Rng;
import rnn.lm.text.Corpus;
import rnn.lm.train.EpochStats;
import rnn.lm.train.Generator;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Perplexity;
import rnn.lm.train.Trainer;
import rnn.lm.train.TrainingListener;

/**
 * A character-level language model, the Java side of {@code rnn train}, {@code rnn generate} and
 * {@code rnn eval}: {@link #train} one, {@link #save} it, {@link #load} it, {@link #generate} text from a
 * prefix and measure the {@link #perplexity} of a text.
 *
 * <pre>{@code
 * try (CharModel model = CharModel.train(TextSource.file(Path.of("book.txt")), CharModelConfig.builder().build(),
 *         epoch -> System.out.println(epoch))) {
 *     System.out.println(model.generate("time traveller", 50, Decode.greedy()));
 *     model.save(Path.of("book.safetensors"));
 * }
 * }</pre>
 *
 * <p>A model owns a backend, chosen as everywhere (the name given, else the {@code rnn.backend} system
 * property, else {@code RNN_BACKEND}, else the best usable one): {@link #close()} it when done, after
 * which {@link #generate}, {@link #perplexity} and {@link #save} throw {@link IllegalStateException}. Its
 * methods may be called from several threads; they run one at a time.
 */
public final class CharModel implements AutoCloseable {

    /** Characters read per forward call by {@link #perplexity}; the state carries across, so only memory depends on it. */
    private static final int EVAL_STEPS = 64;

    private final Backend backend;
    private final LanguageModel model;
    private final List<Epoch> history;
    private final Map<String, String> metadata;
    private volatile boolean closed; // written under the lock, read by toString without it

    private CharModel(Backend backend, LanguageModel model, List<Epoch> history, Map<String, String> metadata) {
        this.backend = backend;
        this.model = model;
        this.history = List.copyOf(history);
        this.metadata = Map.copyOf(metadata);
    }

    /** {@link #train(TextSource, CharModelConfig, Consumer)} without a listener. */
    public static CharModel train(TextSource source, CharModelConfig config) {
        return train(source, config, epoch -> { });
    }

    /**
     * Trains a new model on {@code source}, as {@code rnn train} does: the text is tokenized, its last
     * {@code valFraction} held out for validation, and the model trained for the configured epochs;
     * {@code listener} hears of every epoch as it ends. An exception thrown by the listener stops training
     * and comes out of this call.
     *
     * @throws rnn.lm.text.DataException if the text cannot be read, downloaded or has no tokens
     * @throws IllegalArgumentException if the text is too short for one batch, or no such backend is here
     * @throws rnn.lm.train.TrainingException if training diverges (non-finite losses in a row)
     */
    public static CharModel train(TextSource source, CharModelConfig config, Consumer<? super Epoch> listener) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        Corpus corpus = source.load().corpus();
        Corpus.Split split = corpus.split(config.valFraction());
        Backend backend = createBackend(config.backend(), config.threads());
        try {
            LanguageModel model = new LanguageModel(corpus.vocabulary(), corpus.tokenizer(), config.model(), backend,
                    config.training().seed());
            Trainer trainer = new Trainer(model, config.training(), split.train(), split.validation());
            trainer.run(new TrainingListener() {
                @Override
                public void onEpoch(EpochStats stats) {
                    listener.accept(epoch(stats));
                }
            });
            return new CharModel(backend, model, trainer.history().stream().map(CharModel::epoch).toList(), Map.of());
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    /** {@link #load(Path, String)} on the backend chosen as everywhere. */
    public static CharModel load(Path file) throws IOException {
        return load(file, null);
    }

    /**
     * Loads a model file: one {@link #save} wrote, or a {@code model.safetensors} of {@code rnn train}.
     *
     * @param backend a backend's name ({@code naive}, {@code vector}), or null to choose as everywhere
     * @throws IOException if the file cannot be read or is not a model file
     * @throws IllegalArgumentException if no module here provides the file's cell or the named backend
     */
    public static CharModel load(Path file, String backend) throws IOException {
        Objects.requireNonNull(file, "file");
        if (backend != null) {
            Checks.notBlank(backend, "backend name");
        }
        Backend b = createBackend(backend, Runtime.getRuntime().availableProcessors());
        try {
            ModelFile.Loaded loaded = ModelFile.load(file, b);
            return new CharModel(b, loaded.model(), loaded.history().stream().map(CharModel::epoch).toList(),
                    loaded.callerMetadata());
        } catch (IOException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /** {@link #save(Path, Map)} with no metadata of the caller's. */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /**
     * Writes the model for generation and evaluation, atomically (an existing file stays intact until
     * the new one is complete): weights, vocabulary, tokenizer, cell and its settings, and
     * {@code metadata}; no optimizer state or training progress, so {@code rnn generate}, {@code rnn eval}
     * and {@link #load} read it and {@code rnn train --resume} does not.
     *
     * @param metadata the caller's own entries, returned by {@link #metadata()} after loading; keys the file
     *                 writes itself ({@code format}, {@code cell}, {@code vocabulary}, ...) are refused
     * @throws IllegalArgumentException if a metadata key is blank or one the file writes itself
     * @throws IllegalStateException if the model is closed, or its weights are not finite
     */
    public synchronized void save(Path file, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(metadata, "metadata");
        requireOpen();
        ModelFile.saveForInference(file, model, metadata);
    }

    /** {@link #generate(String, int, Decode)}, greedily. */
    public String generate(String prefix, int length) {
        return generate(prefix, length, Decode.greedy());
    }

    /**
     * Continues {@code prefix} by {@code length} characters, as {@code rnn generate} does. The prefix is
     * tokenized as the training text was (d2l tokens: lower case, one space for anything else); characters
     * the model never saw are read as unknown, with a logged warning.
     *
     * @return the prefix as the model read it, followed by the generated characters
     * @throws IllegalArgumentException if the prefix is empty, has no character the model knows, or the
     *                                  length is negative
     * @throws IllegalStateException    if the model is closed
     */
    public synchronized String generate(String prefix, int length, Decode decode) {
        checkGenerate(prefix, length, decode);
        return new Generator(model).continueText(prefix, length, decode.rule(), new Rng(decode.seed()));
    }

    /**
     * {@link #generate(String, int, Decode)} written to {@code out} as it is produced, in constant memory
     * however long: the same text, character for character. An {@link IOException} from {@code out} ends
     * generation and is thrown, so a consumer can stop it early.
     *
     * @throws IllegalArgumentException as {@link #generate(String, int, Decode)}
     * @throws IllegalStateException    if the model is closed
     */
    public synchronized void generate(String prefix, int length, Decode decode, Appendable out) throws IOException {
        checkGenerate(prefix, length, decode);
        Objects.requireNonNull(out, "out");
        new Generator(model).continueText(prefix, length, decode.rule(), new Rng(decode.seed()), out);
    }

    private void checkGenerate(String prefix, int length, Decode decode) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(decode, "decode");
        requireOpen();
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("the prefix is empty; give at least one character the model knows");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be ≥ 0, got " + length);
        }
    }

    /**
     * The perplexity of {@code text}: exp of the mean cross-entropy of predicting each character from all
     * those before it, the text read once from start to end. Tokenized as the training text was; characters
     * the model never saw count as unknown. (Training's validation figure reads its text as batch rows
     * side by side, each starting afresh, so it is slightly higher on the same text.)
     *
     * @throws IllegalArgumentException if the text has fewer than 2 tokens
     * @throws IllegalStateException    if the model is closed
     */
    public synchronized double perplexity(String text) {
        Objects.requireNonNull(text, "text");
        requireOpen();
        int[] ids = model.vocabulary().encode(model.tokenizer().tokenize(text));
        if (ids.length < 2) {
            throw new IllegalArgumentException("perplexity needs a text of at least 2 tokens; this one has " + ids.length
                    + " after " + model.tokenizer().id() + " tokenization");
        }
        return Perplexity.of(model, ids, 1, EVAL_STEPS);
    }

    /** The epochs trained, oldest first: those of {@link #train}, or those a training checkpoint recorded; empty for a saved model. */
    public List<Epoch> history() {
        return history;
    }

    /** The caller's metadata of the file {@link #load} read; empty for a model just trained. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The characters the model knows, in vocabulary order; others read as unknown. */
    public String vocabulary() {
        List<String> tokens = model.vocabulary().tokens();
        return String.join("", tokens.subList(1, tokens.size())); // after <unk>
    }

    /** The backend's name, e.g. {@code vector}. */
    public String backend() {
        return backend.name();
    }

    /** E.g. {@code CharModel[gru hidden 48 × 1, 28 tokens (d2l), backend vector, 20 epochs]}. */
    @Override
    public String toString() {
        var c = model.config();
        return "CharModel[" + c.cell() + " hidden " + c.hidden() + " × " + c.layers() + ", "
                + model.vocabulary().size() + " tokens (" + model.tokenizer().id() + "), backend " + backend.name()
                + ", " + history.size() + " epochs" + (closed ? ", closed" : "") + "]";
    }

    /** Releases the backend; further {@link #generate}, {@link #perplexity} and {@link #save} throw. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            backend.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this model is closed");
        }
    }

    private static Backend createBackend(String name, int threads) {
        return Backends.select(name).create(new BackendOptions(threads));
    }

    private static Epoch epoch(EpochStats s) {
        return new Epoch(s.epoch(), s.trainPerplexity(), s.valPerplexity(), s.tokensPerSecond(), s.skippedSteps());
    }
}
