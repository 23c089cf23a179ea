package rnn.lm;

import rnn.lm.train.Decoding;

/**
 * How {@link CharModel#generate} picks each next character, as {@code rnn generate} does: greedily (the
 * most likely one, d2l's choice and the default), or by sampling at a temperature, optionally among the
 * {@code k} most likely only. Sampling is seeded, so the same call gives the same text; change the seed
 * for another. Immutable.
 */
public final class Decode {

    private static final Decode GREEDY = new Decode(new Decoding.Greedy(), 0);

    private final Decoding rule;
    private final long seed;

    private Decode(Decoding rule, long seed) {
        this.rule = rule;
        this.seed = seed;
    }

    /** Always the most likely character, like {@code rnn generate} without options. */
    public static Decode greedy() {
        return GREEDY;
    }

    /**
     * Samples from the softmax of the logits divided by {@code temperature} (below 1 more conservative,
     * above 1 more adventurous), like {@code --temperature T}; seed 0.
     *
     * @throws IllegalArgumentException unless the temperature is positive and finite
     */
    public static Decode sample(double temperature) {
        return new Decode(new Decoding.Sample(temperature, Integer.MAX_VALUE), 0);
    }

    /**
     * Samples at {@code temperature} among the {@code topK} most likely characters, like
     * {@code --temperature T --top-k K}; seed 0.
     *
     * @throws IllegalArgumentException unless the temperature is positive and finite and {@code topK ≥ 1}
     */
    public static Decode sample(double temperature, int topK) {
        return new Decode(new Decoding.Sample(temperature, topK), 0);
    }

    /** The same decoding with another sampling seed, like {@code --seed S}; greedy decoding ignores it. */
    public Decode withSeed(long value) {
        return new Decode(rule, value);
    }

    Decoding rule() {
        return rule;
    }

    long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return switch (rule) {
            case Decoding.Greedy g -> "greedy";
            case Decoding.Sample s -> "sample(temperature " + s.temperature()
                    + (s.topK() == Integer.MAX_VALUE ? "" : ", top-k " + s.topK()) + ", seed " + seed + ")";
        };
    }
}
