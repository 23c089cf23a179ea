package rnn.lm.train;

import java.util.List;

import rnn.api.Backend;
import rnn.api.nn.RecurrentNet;
import rnn.api.cell.State;
import rnn.lm.text.Tokenizer;
import rnn.lm.text.Vocabulary;

/**
 * A character- or word-level language model: tokens (one-hot) → recurrent layers → dense output over the
 * vocabulary. It owns a {@link RecurrentNet} on one backend and is not thread-safe: training,
 * {@link Perplexity} and direct network use need one thread at a time ({@link Generator} serialises
 * itself on the model); for parallel work give each thread its own copy on its own backend
 * ({@link #copyOn(Backend)} with a backend from {@code Backends.create}): a {@link Backend} is used by
 * one thread at a time too, and the vector backend refuses a second thread with an
 * {@link IllegalStateException}.
 */
public final class LanguageModel {

    private final Vocabulary vocabulary;
    private final Tokenizer tokenizer;
    private final ModelConfig config;
    private final RecurrentNet net;

    /**
     * A new model with freshly initialised weights.
     *
     * @throws IllegalArgumentException if the tokenizer and vocabulary disagree, the cell is unknown, or the
     *     model is too large for a Java array or this JVM's heap (refused before anything of its size is
     *     allocated; the message names the largest tensor and its bytes)
     */
    public LanguageModel(Vocabulary vocabulary, Tokenizer tokenizer, ModelConfig config, Backend backend, long seed) {
        if (tokenizer.wordLevel() != vocabulary.words()) {
            throw new IllegalArgumentException("the " + tokenizer.id() + " tokenizer makes " + tokenizer.unit()
                    + "s, but the vocabulary holds " + vocabulary.unit() + "s");
        }
        requireFits(config, vocabulary.size(), backend);
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.config = config;
        int v = vocabulary.size();
        this.net = RecurrentNet.builder().setBackend(backend).setInputSize(v).setHiddenSize(config.hidden())
                .setOutputSize(v).optCell(config.cell()).optCellOptions(config.cellOptions()).optLayers(config.layers()).optInit(config.init())
                .optDropout(config.dropout()).optEmbedding(config.embedding())
                .optSeed(seed).build();
    }

    /**
     * Refuses a model of {@code config} over {@code vocabulary} tokens that no Java array or this JVM's heap
     * could hold, before anything of its size is allocated: sizes are multiplied in {@code long}, where
     * {@code --hidden 100000} would otherwise overflow an int deep in the network and {@code --hidden 30000}
     * die in an OutOfMemoryError after allocating gigabytes. The constructor calls it; so does anything that
     * builds a {@link RecurrentNet} of such a configuration itself.
     *
     * @throws IllegalArgumentException naming the largest tensor, its bytes and what to change
     */
    public static void requireFits(ModelConfig config, int vocabulary, Backend backend) {
        MemoryEstimate.model(ModelShape.of(config, vocabulary, backend)).require();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ModelConfig config() {
        return config;
    }

    public RecurrentNet net() {
        return net;
    }

    /** The same model (weights copied) on another backend. */
    public LanguageModel copyOn(Backend backend) {
        LanguageModel m = new LanguageModel(vocabulary, tokenizer, config, backend, 0);
        for (int i = 0; i < net.parameters().size(); i++) {
            float[] src = net.parameters().get(i).value();
            System.arraycopy(src, 0, m.net.parameters().get(i).value(), 0, src.length);
        }
        return m;
    }

    public List<State> newStates(int batch) {
        return net.newStates(batch);
    }

    /**
     * Time-major ids {@code [steps, batch]} from {@code ids[b][t0 .. t0+steps)} into {@code out}: the
     * layout of the network's token inputs and targets.
     */
    static int[] timeMajor(int[][] ids, int t0, int steps, int[] out) {
        int batch = ids.length;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                out[t * batch + b] = ids[b][t0 + t];
            }
        }
        return out;
    }
}
