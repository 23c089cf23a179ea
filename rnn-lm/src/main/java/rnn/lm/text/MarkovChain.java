package rnn.lm.text;

import java.util.concurrent.atomic.AtomicReference;
import rnn.api.Rng;

/**
 * The transition table of a {@link MarkovSource}. A context is the last {@code order} symbols as a
 * base-{@code vocab} number with the newest symbol least significant, so the context after symbol s
 * is {@code (context * vocab + s) mod contexts}.
 */
final class MarkovChain {

    /** Spread of the log-weights: peaked enough that the optimum is well below the vocabulary size. */
    static final double LOG_WEIGHT_SIGMA = 1.5;
    static final int BURN_IN = 1000;
    static final double TOLERANCE = 1e-12;
    static final int MAX_ITERATIONS = 1_000_000;

    /** The last chain built: tables can reach ~100 MB, and callers ask for one source at a time. */
    private static final AtomicReference<MarkovChain> LAST = new AtomicReference<>();

    private final MarkovSource source;
    final int order;
    final int vocab;
    final int contexts;
    /** Unnormalized weights in float to halve the memory; row c times {@code scale[c]} sums to 1. */
    private final float[] weights;
    private final double[] scale;
    private double entropyRate = Double.NaN;

    private MarkovChain(MarkovSource source, int order, int vocab, float[] weights) {
        this.source = source;
        this.order = order;
        this.vocab = vocab;
        this.contexts = (int) MarkovSource.contexts(order, vocab);
        if (weights.length != (long) contexts * vocab) {
            throw new IllegalArgumentException("a transition table of order " + order + " over " + vocab
                    + " symbols has " + (long) contexts * vocab + " entries, got " + weights.length);
        }
        this.weights = weights;
        this.scale = new double[contexts];
        for (int c = 0; c < contexts; c++) {
            double sum = 0;
            for (int s = 0; s < vocab; s++) {
                float w = weights[c * vocab + s];
                if (!(w > 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("transition weights must be positive and finite, got " + w);
                }
                sum += w;
            }
            scale[c] = 1 / sum;
        }
    }

    static MarkovChain of(MarkovSource source) {
        MarkovChain last = LAST.get();
        if (last != null && source.equals(last.source)) {
            return last;
        }
        MarkovChain chain = random(source);
        LAST.set(chain);
        return chain;
    }

    /** Every next-symbol distribution drawn as normalized {@code exp(sigma * gaussian)} weights. */
    static MarkovChain random(MarkovSource source) {
        int n = (int) MarkovSource.contexts(source.order(), source.vocab()) * source.vocab();
        float[] w = new float[n];
        Rng rng = new Rng(source.seed());
        for (int i = 0; i < n; i++) {
            w[i] = (float) Math.exp(LOG_WEIGHT_SIGMA * rng.nextGaussian());
        }
        return new MarkovChain(source, source.order(), source.vocab(), w);
    }

    /** A chain with given transition probabilities (row per context), for tests. */
    static MarkovChain explicit(int order, int vocab, double[] probabilities) {
        float[] w = new float[probabilities.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) probabilities[i];
        }
        return new MarkovChain(null, order, vocab, w);
    }

    double probability(int context, int symbol) {
        return weights[context * vocab + symbol] * scale[context];
    }

    int next(int context, int symbol) {
        return (int) (((long) context * vocab + symbol) % contexts);
    }

    static int symbolIndex(char c) {
        return MarkovSource.ALPHABET.indexOf(c);
    }

    String generate(int length) {
        // A stream of its own, hashed from the seed, so it does not overlap the table's stream.
        Rng rng = new Rng(new Rng(source.seed() ^ 0x6A09E667F3BCC909L).nextLong());
        int context = 0;
        for (int i = 0; i < BURN_IN; i++) {
            context = next(context, sample(context, rng));
        }
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int s = sample(context, rng);
            sb.append(MarkovSource.ALPHABET.charAt(s));
            context = next(context, s);
        }
        return sb.toString();
    }

    private int sample(int context, Rng rng) {
        double u = rng.nextDouble();
        double cum = 0;
        for (int s = 0; s < vocab - 1; s++) {
            cum += probability(context, s);
            if (u < cum) {
                return s;
            }
        }
        return vocab - 1;
    }

    /** The stationary distribution over contexts by power iteration until the L1 change is below 1e-12. */
    double[] stationary() {
        double[] pi = new double[contexts];
        double[] nextPi = new double[contexts];
        java.util.Arrays.fill(pi, 1.0 / contexts);
        int stride = contexts / vocab; // contexts that share their newest order-1 symbols
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            java.util.Arrays.fill(nextPi, 0);
            for (int c = 0; c < contexts; c++) {
                double mass = pi[c];
                int base = (c % stride) * vocab;
                for (int s = 0; s < vocab; s++) {
                    nextPi[base + s] += mass * probability(c, s);
                }
            }
            double total = 0;
            for (double p : nextPi) {
                total += p;
            }
            double change = 0;
            for (int c = 0; c < contexts; c++) {
                nextPi[c] /= total;
                change += Math.abs(nextPi[c] - pi[c]);
            }
            double[] t = pi;
            pi = nextPi;
            nextPi = t;
            if (change < TOLERANCE) {
                return pi;
            }
        }
        throw new IllegalStateException("the stationary distribution of " + source + " did not converge in "
                + MAX_ITERATIONS + " iterations");
    }

    /** Σ_context π(context) · H(next | context), in nats. */
    synchronized double entropyRate() {
        if (Double.isNaN(entropyRate)) {
            double[] pi = stationary();
            double h = 0;
            for (int c = 0; c < contexts; c++) {
                double hc = 0;
                for (int s = 0; s < vocab; s++) {
                    double p = probability(c, s);
                    hc -= p * Math.log(p);
                }
                h += pi[c] * hc;
            }
            entropyRate = h;
        }
        return entropyRate;
    }
}
