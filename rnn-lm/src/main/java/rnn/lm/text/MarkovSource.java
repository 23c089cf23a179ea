package rnn.lm.text;

import java.util.HashSet;
import java.util.Set;

/**
 * A synthetic corpus with a known optimum: a random {@code order}-th order Markov chain over
 * {@code vocab} symbols, whose exact entropy rate bounds what any model can reach. Symbols are
 * {@code a-z}, then {@code A-Z}, {@code 0-9}, {@code +} and {@code /}; train on it with
 * {@link Tokenizer#RAW}, since the d2l tokenizer would fold and drop symbols.
 */
public record MarkovSource(int order, int vocab, long seed) {

    public static final String PREFIX = "markov";
    /** The symbols, in order; a chain uses the first {@code vocab}. */
    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
    static final int MAX_CONTEXTS = 1_000_000;

    public MarkovSource {
        if (order < 1 || order > 6) {
            throw new IllegalArgumentException("a Markov order must be in [1, 6], got " + order);
        }
        if (vocab < 2 || vocab > ALPHABET.length()) {
            throw new IllegalArgumentException("a Markov vocabulary must be in [2, 64], got " + vocab);
        }
        if (contexts(order, vocab) > MAX_CONTEXTS) {
            throw new IllegalArgumentException("a Markov chain of order " + order + " over " + vocab
                    + " symbols has " + contexts(order, vocab) + " contexts; at most " + MAX_CONTEXTS
                    + " (vocab^order) are allowed");
        }
    }

    /** Whether a corpus name is a Markov spec rather than a dataset or a file. */
    public static boolean isSpec(String s) {
        return s != null && (s.equals(PREFIX) || s.startsWith(PREFIX + ":"));
    }

    /**
     * Parses {@code markov:order=K,vocab=V,seed=S}; missing keys default to order 2, vocab 8, seed 1,
     * and plain {@code markov} takes all defaults.
     */
    public static MarkovSource parse(String spec) {
        String usage = "expected markov:order=K,vocab=V,seed=S";
        if (!isSpec(spec)) {
            throw new IllegalArgumentException("not a Markov spec '" + spec + "': " + usage);
        }
        int order = 2;
        int vocab = 8;
        long seed = 1;
        String body = spec.length() > PREFIX.length() ? spec.substring(PREFIX.length() + 1) : "";
        Set<String> seen = new HashSet<>();
        if (!body.isBlank()) {
            for (String part : body.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("bad Markov spec '" + spec + "': '" + part + "' is not key=value; "
                            + usage);
                }
                String key = part.substring(0, eq).strip();
                String value = part.substring(eq + 1).strip();
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("bad Markov spec '" + spec + "': " + key + " is given twice");
                }
                try {
                    switch (key) {
                        case "order" -> order = Integer.parseInt(value);
                        case "vocab" -> vocab = Integer.parseInt(value);
                        case "seed" -> seed = Long.parseLong(value);
                        default -> throw new IllegalArgumentException("bad Markov spec '" + spec + "': unknown key '"
                                + key + "'; " + usage);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad Markov spec '" + spec + "': " + key + " must be an integer, got '"
                            + value + "'", e);
                }
            }
        }
        return new MarkovSource(order, vocab, seed);
    }

    /** The canonical spec, which {@link #parse} reads back. */
    public String spec() {
        return PREFIX + ":order=" + order + ",vocab=" + vocab + ",seed=" + seed;
    }

    /** {@code length} symbols of the chain, after a burn-in of 1000 symbols from context 0. */
    public String generate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a length is not negative, got " + length);
        }
        return MarkovChain.of(this).generate(length);
    }

    /** A corpus of {@code length} generated symbols, tokenized with {@link Tokenizer#RAW}. */
    public Corpus corpus(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a Markov corpus needs at least one symbol, got " + length);
        }
        return Corpus.fromText(spec(), generate(length), Tokenizer.RAW, 0);
    }

    /** The exact entropy rate of the chain in nats per symbol: the best possible mean log-loss. */
    public double entropyRate() {
        return MarkovChain.of(this).entropyRate();
    }

    /** The best possible perplexity, {@code exp(entropyRate())}. */
    public double optimumPerplexity() {
        return Math.exp(entropyRate());
    }

    static long contexts(int order, int vocab) {
        long n = 1;
        for (int i = 0; i < order; i++) {
            n *= vocab;
        }
        return n;
    }
}
