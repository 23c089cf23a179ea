package rnn.lm.train;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import rnn.api.Rng;
import rnn.api.cell.State;
import rnn.lm.text.Vocabulary;

/**
 * d2l's {@code predict_ch8}: warm the state up on the prefix, then generate one token at a time,
 * feeding each back in.
 *
 * <p>Thread safety: a generator may be shared; calls on generators of the same model are serialised on
 * that model, because they use its network's workspaces. Do not generate from a model that is
 * training. For parallel generation give each thread its own copy on its own backend
 * ({@link LanguageModel#copyOn}): models on one backend share it, and a backend is used by one thread
 * at a time (the vector backend throws an {@link IllegalStateException} at a second one).
 */
public final class Generator {

    private final LanguageModel model;

    public Generator(LanguageModel model) {
        this.model = model;
    }

    /**
     * Continues {@code prefix} (token ids, at least one) by {@code length} tokens.
     *
     * @return the prefix followed by the generated tokens
     * @throws IllegalStateException if the model's logits at a step are not usable numbers (a NaN, a
     *                               +∞, or −∞ everywhere): its weights are broken, and no token can be
     *                               picked honestly
     */
    public int[] continueIds(int[] prefix, int length, Decoding decoding, Rng rng) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be ≥ 0, got " + length);
        }
        if ((long) prefix.length + length > MemoryEstimate.MAX_ARRAY) {
            throw new IllegalArgumentException("a prefix of " + prefix.length + " and " + length + " more tokens do not fit "
                    + "one array; stream them with continueText(…, Appendable) instead");
        }
        int[] out = Arrays.copyOf(prefix, prefix.length + length);
        int[] at = {prefix.length};
        synchronized (model) {
            generate(prefix, length, decoding, rng, id -> out[at[0]++] = id);
        }
        return out;
    }

    /** Receives each generated token id as soon as it is picked; may stop generation by throwing. */
    @FunctionalInterface
    interface TokenSink<E extends Exception> {
        void accept(int id) throws E;
    }

    /**
     * d2l's loop, keeping nothing but the last token: the prefix warms the state up (each token but the
     * last is fed without a pick), then each step feeds the last token and picks the next. Memory stays
     * constant however long it runs.
     */
    private <E extends Exception> void generate(int[] prefix, int length, Decoding decoding, Rng rng, TokenSink<E> sink)
            throws E {
        if (prefix.length == 0) {
            throw new IllegalArgumentException("the prefix must hold at least one token");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be ≥ 0, got " + length);
        }
        int v = model.vocabulary().size();
        model.net().setTraining(false);
        List<State> states = model.newStates(1);
        int[] token = new int[1];
        float[] probs = new float[v];
        for (int i = 0; i < prefix.length - 1; i++) {
            token[0] = prefix[i];
            model.net().forward(token, null, 1, states); // warm-up: the next token is given
        }
        int last = prefix[prefix.length - 1];
        for (int step = 1; step <= length; step++) {
            token[0] = last;
            model.net().forward(token, null, 1, states);
            float[] logits = model.net().logits();
            requireFinite(logits, v, step);
            last = switch (decoding) {
                case Decoding.Greedy g -> argmax(logits, v);
                case Decoding.Sample s -> sample(logits, v, s, rng, probs);
            };
            sink.accept(last);
        }
    }

    /**
     * Text in, text out: the prefix is tokenized like the training text; unknown tokens (characters or
     * words) become {@code <unk>}, with one warning. The output is the decoded prefix and continuation:
     * characters concatenated, words joined by single spaces.
     *
     * @throws IllegalArgumentException if the prefix has no token, or no token the model knows
     */
    public String continueText(String prefix, int length, Decoding decoding, Rng rng) {
        int[] ids = continueIds(encode(prefix), length, decoding, rng);
        return model.vocabulary().decode(ids, 0, ids.length);
    }

    /**
     * {@link #continueText(String, int, Decoding, Rng)} written to {@code out} as it is produced: the decoded
     * prefix first, then each token as soon as it is picked, so that memory stays constant however long
     * the text (the same text, character for character, as the string form gives for the same seed). An
     * {@link IOException} from {@code out} ends generation and is thrown; that is how a consumer stops it
     * early. Other generation from this model waits until this one ends.
     *
     * @throws IllegalArgumentException if the prefix has no token, or no token the model knows
     */
    public void continueText(String prefix, int length, Decoding decoding, Rng rng, Appendable out) throws IOException {
        int[] ids = encode(prefix);
        Vocabulary vocab = model.vocabulary();
        boolean words = vocab.words();
        synchronized (model) {
            out.append(vocab.decode(ids, 0, ids.length));
            generate(ids, length, decoding, rng, id -> {
                if (words) {
                    out.append(' ').append(vocab.token(id)); // the prefix has a word, so a separator always goes first
                } else {
                    int cp = vocab.codePoint(id);
                    if (Character.isBmpCodePoint(cp)) {
                        out.append((char) cp);
                    } else {
                        out.append(Character.highSurrogate(cp)).append(Character.lowSurrogate(cp));
                    }
                }
            });
        }
    }

    /** The prefix's token ids, unknown ones as {@code <unk>}. */
    private int[] encode(String prefix) {
        Vocabulary vocab = model.vocabulary();
        String unit = model.tokenizer().unit();
        Vocabulary.Encoded enc = vocab.encodePrefix(prefix, model.tokenizer());
        if (enc.ids().length == 0) {
            throw new IllegalArgumentException("the prefix '" + prefix + "' is empty after " + model.tokenizer().id()
                    + " tokenization; give at least one " + unit + " the model knows");
        }
        if (enc.unknownCount() == enc.ids().length) {
            throw new IllegalArgumentException("the prefix '" + prefix + "' has no " + unit + " the model knows ("
                    + String.join(vocab.words() ? ", " : "", enc.unknownTokens()) + (enc.unknownTokens().size() == 1 ? " is" : " are")
                    + " not in its vocabulary of " + vocab.size() + ")");
        }
        return enc.ids();
    }

    /**
     * Logits a token can be picked from: no NaN, no +∞ (softmax would divide ∞ by ∞), and at least one
     * finite value (−∞ alone is a zero probability; −∞ everywhere leaves nothing to pick). Anything else
     * comes from broken weights (a NaN, or an overflow), and picking a token from it would silently write
     * {@code <unk>} or garbage.
     *
     * @param step the generated token's number, from 1
     */
    static void requireFinite(float[] logits, int v, int step) {
        boolean anyFinite = false;
        for (int j = 0; j < v; j++) {
            float x = logits[j];
            if (Float.isNaN(x) || x == Float.POSITIVE_INFINITY) {
                throw brokenLogits(step, x + " at token id " + j);
            }
            anyFinite |= x != Float.NEGATIVE_INFINITY;
        }
        if (!anyFinite) {
            throw brokenLogits(step, "every logit is -Infinity");
        }
    }

    private static IllegalStateException brokenLogits(int step, String what) {
        return new IllegalStateException("the model's logits at step " + step + " are not finite (" + what
                + "): its weights are broken; retrain or load another model");
    }

    /** The index of the largest logit; among equal ones the lowest. Logits must be {@linkplain #requireFinite usable}. */
    static int argmax(float[] logits, int v) {
        int best = 0;
        for (int j = 1; j < v; j++) {
            if (logits[j] > logits[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Samples from {@code softmax(logits / T)} over exactly {@code min(topK, v)} candidates: the ids of
     * the largest logits, where a tie at the k-th place goes to the lower ids (so top-1 is
     * {@link #argmax}). Logits must be {@linkplain #requireFinite usable}.
     */
    static int sample(float[] logits, int v, Decoding.Sample s, Rng rng, float[] probs) {
        float threshold = Float.NEGATIVE_INFINITY;
        int tiesKept = v; // how many logits equal to the threshold are candidates, lowest ids first
        if (s.topK() < v) {
            // The k-th largest logit; sorting a copy is cheap even for word vocabularies of thousands.
            float[] copy = Arrays.copyOf(logits, v);
            Arrays.sort(copy);
            threshold = copy[v - s.topK()];
            int above = 0;
            for (int j = 0; j < v; j++) {
                if (logits[j] > threshold) {
                    above++;
                }
            }
            tiesKept = s.topK() - above;
        }
        float max = logits[argmax(logits, v)];
        double sum = 0;
        for (int j = 0; j < v; j++) {
            boolean candidate = logits[j] > threshold || (logits[j] == threshold && tiesKept-- > 0);
            double p = candidate ? Math.exp((logits[j] - max) / s.temperature()) : 0;
            probs[j] = (float) p;
            sum += p;
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        int last = 0;
        for (int j = 0; j < v; j++) {
            if (probs[j] > 0) {
                acc += probs[j];
                last = j;
                if (u < acc) {
                    return j;
                }
            }
        }
        return last;
    }
}
