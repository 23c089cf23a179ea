package rnn.lm.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Sampling;
import rnn.lm.text.Tokenizer;
import rnn.lm.text.Vocabulary;

/**
 * A language model on disk: its weights as safetensors tensors (named as the parameters are, e.g.
 * {@code W_xh}) and, in the safetensors metadata, what is needed to rebuild and sample it — format,
 * vocabulary (with its {@code vocabulary_encoding}: {@code code-points}, the default, or {@code words}),
 * tokenizer, cell configuration — and, in a training checkpoint, what is needed to resume it:
 * hyperparameters, completed epochs with their metrics, the batching and dropout RNG states and the step
 * count. The optimizer is recorded by name with its hyperparameters ({@link OptimizerMetadata}); its
 * buffers (momentum, Adam's moments, ...) are stored beside the weights as tensors named
 * {@code optimizer.<param>.<buffer>}.
 *
 * <p>Two kinds of file, told apart by the metadata key {@value #KIND} (files without it are checkpoints):
 * {@link #save} writes a checkpoint from a {@link Trainer}; {@link #saveForInference} needs no trainer and
 * writes the model alone, which {@code rnn generate} and {@code rnn eval} read but {@code rnn train --resume}
 * refuses. Either takes metadata of the caller's own; its keys may not be any of {@link #RESERVED_KEYS},
 * the keys the file itself writes or reads.
 */
public final class ModelFile {

    public static final String FORMAT = "rnn-jvm/lm/1";

    private ModelFile() {
    }

    /**
     * Metadata key for what a file holds: {@value #CHECKPOINT} (the default for files without the key)
     * or {@value #INFERENCE}.
     */
    public static final String KIND = "kind";
    public static final String CHECKPOINT = "checkpoint";
    public static final String INFERENCE = "inference";

    /**
     * Every metadata key the file itself writes or reads, legacy ones included ({@code weight_decay},
     * {@code forget_bias}): caller metadata may use none of them, so it can never change how a file reads.
     */
    public static final Set<String> RESERVED_KEYS = reserved("format", KIND, "tokenizer", "vocabulary", "cell",
            "cell_options", "forget_bias", "vocabulary_encoding", "hidden", "layers", "init", "dropout", "embedding", "batch", "steps", "lr",
            "clip", "clip_mode", "epochs", "sampling", OptimizerMetadata.NAME, OptimizerMetadata.VALUES,
            OptimizerMetadata.INSTANCE, OptimizerMetadata.LEGACY_WEIGHT_DECAY, "lr_schedule", "seed", "threads",
            "max_bad_steps", "backend", "epoch", "history", "rng", "dropout_rng", "global_step");

    private static Set<String> reserved(String... keys) {
        Set<String> all = new java.util.HashSet<>(Set.of(keys));
        all.addAll(ProgressMetadata.KEYS);
        return Set.copyOf(all);
    }

    /**
     * What a model file holds: the model and, for a checkpoint, the run that wrote it, to resume or report.
     * An inference-only file has no training config or progress: {@link #config()} and {@link #progress()}
     * then throw, and {@link #history()} is empty.
     *
     * @param config   the training hyperparameters, or null for an inference-only file
     * @param progress the training progress, or null for an inference-only file
     * @param metadata the whole metadata, the file's keys and the caller's
     */
    public record Loaded(LanguageModel model, TrainingConfig config, Trainer.Progress progress,
                         Map<String, String> metadata) {

        public Loaded {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(metadata, "metadata");
            if ((config == null) != (progress == null)) {
                throw new IllegalArgumentException("a checkpoint has both a training config and progress, "
                        + "an inference-only file neither");
            }
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** Whether this is a training checkpoint, which can be resumed; false for an inference-only file. */
        public boolean resumable() {
            return config != null;
        }

        /** @throws IllegalStateException for an inference-only file, which has none */
        public TrainingConfig config() {
            if (config == null) {
                throw new IllegalStateException(NOT_RESUMABLE);
            }
            return config;
        }

        /** @throws IllegalStateException for an inference-only file, which has none */
        public Trainer.Progress progress() {
            if (progress == null) {
                throw new IllegalStateException(NOT_RESUMABLE);
            }
            return progress;
        }

        /** Completed epochs; empty for an inference-only file. */
        public List<EpochStats> history() {
            return progress == null ? List.of() : progress.history();
        }

        /** The caller's metadata: every key but {@link #RESERVED_KEYS}. */
        public Map<String, String> callerMetadata() {
            Map<String, String> own = new LinkedHashMap<>(metadata);
            own.keySet().removeAll(RESERVED_KEYS);
            return Collections.unmodifiableMap(own);
        }
    }

    static final String NOT_RESUMABLE = "the model file was saved for inference only (weights, vocabulary, tokenizer, "
            + "cell and its settings): it has no training settings, optimizer state or progress to resume from";

    /**
     * Writes a training checkpoint atomically: the previous file, if any, stays intact until the new one
     * is complete. Weights that are not all finite are refused, so a diverged run never replaces a good model.
     *
     * @param run what the caller needs to rebuild the input on resume, e.g. {@code source},
     *            {@code max_tokens}, {@code val_fraction}; stored as given
     * @throws IllegalArgumentException if a key of {@code run} is one of {@link #RESERVED_KEYS}, or blank
     */
    public static void save(Path file, LanguageModel model, TrainingConfig config, Trainer trainer,
                            Map<String, String> run) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(trainer, "trainer");
        Map<String, String> meta = modelMetadata(file, model, run, CHECKPOINT);
        meta.put("batch", Integer.toString(config.batch()));
        meta.put("steps", Integer.toString(config.steps()));
        meta.put("lr", Double.toString(config.learningRate()));
        meta.put("clip", Double.toString(config.clip()));
        meta.put("clip_mode", config.clipMode().id());
        meta.put("epochs", Integer.toString(config.epochs()));
        meta.put("sampling", config.sampling().id());
        OptimizerMetadata.write(meta, config, trainer);
        meta.put("lr_schedule", Schedules.format(config.schedule()));
        meta.put("seed", Long.toString(config.seed()));
        // The training backend's thread count, like "backend" below: informative only. load() ignores it, so
        // files without it or with any count load; threads belong to the backend a file is loaded on.
        meta.put("threads", Integer.toString(model.net().backend().threads()));
        meta.put("max_bad_steps", Integer.toString(config.maxBadSteps()));
        Trainer.Progress progress = trainer.progress();
        meta.put("epoch", Integer.toString(progress.history().size()));
        StringBuilder h = new StringBuilder();
        for (EpochStats s : progress.history()) {
            // Double.toString round-trips exactly, so resumed metrics are bit-identical.
            h.append(s.epoch()).append(',').append(s.trainPerplexity()).append(',').append(s.valPerplexity())
                    .append(',').append(s.tokensPerSecond()).append(',').append(s.skippedSteps()).append(';');
        }
        meta.put("history", h.toString());
        meta.put("rng", progress.rng()[0] + "," + progress.rng()[1]);
        meta.put("dropout_rng", progress.dropoutRng()[0] + "," + progress.dropoutRng()[1]);
        meta.put("global_step", Long.toString(progress.globalStep()));
        Map<String, Safetensors.Tensor> tensors = Safetensors.tensorsOf(model.net().parameters());
        progress.optimizerState().forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, new Safetensors.Tensor(new int[] {v.length}, v)));
        ProgressMetadata.write(meta, tensors, config, progress);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Writes the model alone, atomically, for generation and evaluation: weights, vocabulary, tokenizer,
     * cell and its settings; no optimizer state, hyperparameters or training progress, so no trainer is
     * needed and {@code rnn train --resume} refuses the file. Non-finite weights are refused.
     *
     * @param metadata the caller's own, stored as given
     * @throws IllegalArgumentException if a key of {@code metadata} is one of {@link #RESERVED_KEYS}, or blank
     */
    public static void saveForInference(Path file, LanguageModel model, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, String> meta = modelMetadata(file, model, metadata, INFERENCE);
        Safetensors.write(file, Safetensors.tensorsOf(model.net().parameters()), meta);
    }

    /**
     * The caller's metadata, checked, then what every kind of file holds; the file's keys come last, so
     * they would win even if the check let one through.
     */
    private static Map<String, String> modelMetadata(Path file, LanguageModel model, Map<String, String> caller,
                                                     String kind) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(caller, "metadata");
        for (Parameter p : model.net().parameters()) {
            for (float x : p.value()) {
                if (!Float.isFinite(x)) {
                    throw new IllegalStateException("weights of " + p.name() + " are not finite; " + file
                            + " was not written so that the last good model stays");
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        caller.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("a metadata key is blank");
            }
            if (RESERVED_KEYS.contains(k)) {
                throw new IllegalArgumentException("metadata key '" + k + "' is one the model file writes itself; "
                        + "use another name (reserved: " + String.join(", ", new TreeSet<>(RESERVED_KEYS)) + ")");
            }
            meta.put(k, Objects.requireNonNull(v, () -> "the value of metadata key '" + k + "'"));
        });
        meta.put("format", FORMAT);
        meta.put(KIND, kind);
        meta.put("tokenizer", model.tokenizer().id());
        Vocabulary vocabulary = model.vocabulary();
        meta.put("vocabulary_encoding", vocabulary.words() ? WORDS : CODE_POINTS);
        meta.put("vocabulary", encodeVocabulary(vocabulary));
        ModelConfig m = model.config();
        meta.put("cell", m.cell());
        meta.put("cell_options", SettingsJson.write(model.net().cellOptions()));
        meta.put("hidden", Integer.toString(m.hidden()));
        meta.put("layers", Integer.toString(m.layers()));
        meta.put("init", ModelConfig.formatInit(m.init()));
        meta.put("dropout", Double.toString(m.dropout()));
        meta.put("embedding", Integer.toString(m.embedding()));
        meta.put("backend", model.net().backend().name());
        return meta;
    }

    /** {@code vocabulary_encoding} of a character vocabulary, and of files written before words: the tokens after {@code <unk>}, one code point each, concatenated. */
    static final String CODE_POINTS = "code-points";
    /** {@code vocabulary_encoding} of a word vocabulary: the tokens after {@code <unk>} separated by single spaces (words never hold whitespace). */
    static final String WORDS = "words";

    /** The {@code vocabulary} metadata: the tokens after {@code <unk>}, concatenated (characters) or separated by single spaces (words). */
    static String encodeVocabulary(Vocabulary vocabulary) {
        List<String> tokens = vocabulary.tokens();
        return String.join(vocabulary.words() ? " " : "", tokens.subList(1, tokens.size()));
    }

    /**
     * The vocabulary of {@code encodeVocabulary}: words for a word tokenizer, characters otherwise.
     *
     * @throws IllegalArgumentException if the encoding is unknown or does not fit the tokenizer, or the
     *     tokens are not a valid vocabulary
     */
    static Vocabulary decodeVocabulary(String value, String encoding, Tokenizer tokenizer) {
        String expected = tokenizer.wordLevel() ? WORDS : CODE_POINTS;
        if (!encoding.equals(expected)) {
            throw new IllegalArgumentException("vocabulary_encoding '" + encoding + "' does not fit the "
                    + tokenizer.id() + " tokenizer, whose vocabulary is stored as " + expected);
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(Vocabulary.UNKNOWN);
        if (tokenizer.wordLevel()) {
            if (!value.isEmpty()) {
                tokens.addAll(List.of(value.split(" ", -1)));
            }
            return Vocabulary.ofWords(tokens);
        }
        value.codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
        return Vocabulary.of(tokens);
    }

    /** Optimizer state tensors are stored beside the weights under this prefix. */
    static final String OPTIMIZER_PREFIX = "optimizer.";

    /**
     * Reads and validates a model file, a checkpoint or an inference-only one, rebuilding the model on
     * {@code backend}.
     *
     * @throws IllegalArgumentException if no module here provides the file's cell or optimizer
     */
    public static Loaded load(Path file, Backend backend) throws CheckpointException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, String> meta = contents.metadata();
        Meta m = new Meta(file, meta);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not an rnn language model (metadata format is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        String kind = meta.getOrDefault(KIND, CHECKPOINT);
        if (!kind.equals(CHECKPOINT) && !kind.equals(INFERENCE)) {
            throw new CheckpointException(file + ": unknown model file kind '" + kind + "' (expected " + CHECKPOINT
                    + " or " + INFERENCE + ")");
        }
        requireCell(file, m.get("cell"));
        OptimizerMetadata.Read optimizer = kind.equals(CHECKPOINT) ? OptimizerMetadata.read(file, meta) : null;
        try {
            Tokenizer tokenizer = Tokenizer.parse(m.get("tokenizer"));
            Vocabulary vocab = decodeVocabulary(m.get("vocabulary"),
                    meta.getOrDefault("vocabulary_encoding", CODE_POINTS), tokenizer);
            ModelConfig mc = new ModelConfig(m.get("cell"), cellOptions(m),
                    m.integer("hidden"), m.integer("layers"), ModelConfig.parseInit(m.get("init")),
                    m.decimal("dropout"), m.integer("embedding"));
            Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>();
            Map<String, float[]> optimizerState = new LinkedHashMap<>();
            for (Map.Entry<String, Safetensors.Tensor> e : contents.tensors().entrySet()) {
                if (ProgressMetadata.isState(e.getKey())) {
                    if (optimizer == null) {
                        throw new CheckpointException(file + ": an inference-only model file holds training state ("
                                + e.getKey() + ")");
                    }
                } else if (!e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                    weights.put(e.getKey(), e.getValue());
                } else if (optimizer == null) {
                    throw new CheckpointException(file + ": an inference-only model file holds optimizer state ("
                            + e.getKey() + ")");
                } else {
                    optimizerState.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue().data());
                }
            }
            // Nothing of the metadata's sizes is allocated before they are checked against the tensors present.
            ModelShape shape = ModelShape.of(mc, vocab.size(), backend);
            ModelFileCheck.tensorsMatch(file, shape, weights);
            ModelFileCheck.finite(file, contents.tensors());
            try {
                long read = contents.tensors().values().stream().mapToLong(t -> 4L * t.data().length).sum();
                MemoryEstimate.loading(shape, read).require();
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file + ": " + e.getMessage());
            }
            if (optimizer == null) {
                LanguageModel model = new LanguageModel(vocab, tokenizer, mc, backend, 0);
                Safetensors.restoreInto(file, contents, model.net().parameters());
                return new Loaded(model, null, null, meta);
            }
            TrainingConfig tc = new TrainingConfig(m.integer("batch"), m.integer("steps"),
                    m.decimal("lr"), m.decimal("clip"), ClipMode.parse(m.get("clip_mode")),
                    m.integer("epochs"), Sampling.parse(m.get("sampling")), optimizer.name(),
                    optimizer.values(), Schedules.parse(m.get("lr_schedule")),
                    m.longValue("seed"), m.integer("max_bad_steps"), ProgressMetadata.valEverySteps(meta),
                    ProgressMetadata.valMaxTokens(meta));
            LanguageModel model = new LanguageModel(vocab, tokenizer, mc, backend, tc.seed());
            Safetensors.restoreInto(file, new Safetensors.Contents(weights, meta), model.net().parameters());
            List<EpochStats> history = new ArrayList<>();
            for (String e : m.get("history").split(";")) {
                if (e.isEmpty()) {
                    continue;
                }
                String[] f = e.split(",");
                history.add(new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Integer.parseInt(f[4])));
            }
            long[] rng = m.longs("rng");
            Trainer.Progress progress = new Trainer.Progress(List.copyOf(history), rng,
                    m.longs("dropout_rng"), m.longValue("global_step"), optimizerState,
                    ProgressMetadata.steps(meta), ProgressMetadata.position(file, meta, rng, contents.tensors()));
            return new Loaded(model, tc, progress, meta);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new CheckpointException(file + ": inconsistent model metadata: " + e.getMessage());
        }
    }

    /** The cell's settings; files before cells were plug-ins kept only the LSTM's, as forget_bias. */
    private static Map<String, Double> cellOptions(Meta m) throws CheckpointException {
        Map<String, Double> options = new LinkedHashMap<>();
        if (m.meta().containsKey("cell_options")) {
            options.putAll(SettingsJson.read(m.file(), "cell_options", m.get("cell_options")));
        } else if (m.get("cell").equals("lstm") && m.meta().containsKey("forget_bias")) {
            options.put("forget_bias", Double.valueOf(m.get("forget_bias")));
        }
        return options;
    }

    /**
     * One line naming a cell whose provider is not here, and how to add it: a usage error (the file is
     * fine; the module path lacks a module), hence not a {@link CheckpointException}.
     */
    private static void requireCell(Path file, String cell) {
        if (Cells.all().stream().noneMatch(p -> p.name().equals(cell))) {
            throw new IllegalArgumentException(file + " needs cell '" + cell + "', which no module here provides (have: "
                    + String.join(", ", Cells.all().stream().map(CellProvider::name).toList())
                    + "); put the module that provides it on the module path, e.g. RNN_PLUGIN_PATH=its.jar ./rnn …");
        }
    }

    private record Meta(Path file, Map<String, String> meta) {
        String get(String key) throws CheckpointException {
            String v = meta.get(key);
            if (v == null) {
                throw new CheckpointException(file + ": model metadata lacks '" + key + "'");
            }
            return v;
        }

        long[] longs(String key) throws CheckpointException {
            String[] parts = get(key).split(",");
            if (parts.length != 2) {
                throw new CheckpointException(file + ": model metadata '" + key + "' is not two integers: " + meta.get(key));
            }
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        }

        double decimal(String key) throws CheckpointException {
            try {
                return Double.parseDouble(get(key));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": model metadata '" + key + "' is not a number: " + meta.get(key));
            }
        }

        long longValue(String key) throws CheckpointException {
            try {
                return Long.parseLong(get(key));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": model metadata '" + key + "' is not an integer: " + meta.get(key));
            }
        }

        int integer(String key) throws CheckpointException {
            try {
                return Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": model metadata '" + key + "' is not an integer: " + meta.get(key));
            }
        }
    }
}
