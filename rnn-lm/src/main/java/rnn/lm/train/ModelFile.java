package rnn.lm.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * {@code W_xh}) and, in the safetensors metadata, everything needed to rebuild, sample or resume it —
 * format, vocabulary (with its {@code vocabulary_encoding}: {@code code-points}, the default, or
 * {@code words}), tokenizer, cell configuration, hyperparameters, completed epochs with their
 * metrics, the batching and dropout RNG states and the step count. The optimizer is recorded by name
 * with its hyperparameters ({@link OptimizerMetadata}); its buffers (momentum, Adam's moments, ...) are
 * stored beside the weights as tensors named {@code optimizer.<param>.<buffer>}.
 */
public final class ModelFile {

    public static final String FORMAT = "rnn-jvm/lm/1";

    private ModelFile() {
    }

    /** What a model file holds: the model, and the run that wrote it, to resume or report. */
    public record Loaded(LanguageModel model, TrainingConfig config, Trainer.Progress progress,
                         Map<String, String> metadata) {

        public List<EpochStats> history() {
            return progress.history();
        }
    }

    /**
     * Writes atomically: the previous file, if any, stays intact until the new one is complete. Weights
     * that are not all finite are refused, so a diverged run never replaces a good model.
     *
     * @param run what the caller needs to rebuild the input on resume, e.g. {@code source},
     *            {@code max_tokens}, {@code val_fraction}; stored as given
     */
    public static void save(Path file, LanguageModel model, TrainingConfig config, Trainer trainer,
                            Map<String, String> run) throws IOException {
        for (Parameter p : model.net().parameters()) {
            for (float x : p.value()) {
                if (!Float.isFinite(x)) {
                    throw new IllegalStateException("weights of " + p.name() + " are not finite; " + file
                            + " was not written so that the last good model stays");
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(run);
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
        meta.put("threads", Integer.toString(config.threads()));
        meta.put("max_bad_steps", Integer.toString(config.maxBadSteps()));
        meta.put("backend", model.net().backend().name());
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
        Safetensors.write(file, tensors, meta);
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
     * Reads and validates a model file, rebuilding the model on {@code backend}.
     *
     * @throws IllegalArgumentException if no module here provides the file's cell or optimizer
     */
    public static Loaded load(Path file, Backend backend) throws CheckpointException {
        Safetensors.Contents contents = Safetensors.load(file);
        Map<String, String> meta = contents.metadata();
        Meta m = new Meta(file, meta);
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(file + ": not an rnn language model (metadata format is "
                    + meta.get("format") + ", expected " + FORMAT + ")");
        }
        requireCell(file, m.get("cell"));
        OptimizerMetadata.Read optimizer = OptimizerMetadata.read(file, meta);
        try {
            Tokenizer tokenizer = Tokenizer.parse(m.get("tokenizer"));
            Vocabulary vocab = decodeVocabulary(m.get("vocabulary"),
                    meta.getOrDefault("vocabulary_encoding", CODE_POINTS), tokenizer);
            ModelConfig mc = new ModelConfig(m.get("cell"), cellOptions(m),
                    m.integer("hidden"), m.integer("layers"), ModelConfig.parseInit(m.get("init")),
                    Double.parseDouble(m.get("dropout")), m.integer("embedding"));
            TrainingConfig tc = new TrainingConfig(m.integer("batch"), m.integer("steps"),
                    Double.parseDouble(m.get("lr")), Double.parseDouble(m.get("clip")), ClipMode.parse(m.get("clip_mode")),
                    m.integer("epochs"), Sampling.parse(m.get("sampling")), optimizer.name(),
                    optimizer.values(), Schedules.parse(m.get("lr_schedule")),
                    Long.parseLong(m.get("seed")), m.integer("threads"), m.integer("max_bad_steps"));
            LanguageModel model = new LanguageModel(vocab, tokenizer, mc, backend, tc.seed());
            Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>();
            Map<String, float[]> optimizerState = new LinkedHashMap<>();
            contents.tensors().forEach((k, v) -> {
                if (k.startsWith(OPTIMIZER_PREFIX)) {
                    optimizerState.put(k.substring(OPTIMIZER_PREFIX.length()), v.data());
                } else {
                    weights.put(k, v);
                }
            });
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
            Trainer.Progress progress = new Trainer.Progress(List.copyOf(history), m.longs("rng"),
                    m.longs("dropout_rng"), Long.parseLong(m.get("global_step")), optimizerState);
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

        int integer(String key) throws CheckpointException {
            try {
                return Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                throw new CheckpointException(file + ": model metadata '" + key + "' is not an integer: " + meta.get(key));
            }
        }
    }
}
