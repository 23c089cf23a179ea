package rnn.lm.train;

/** How the next token is picked from the model's logits. */
public sealed interface Decoding {

    /** Always the most likely token (d2l's {@code predict_ch8}); among equally likely ones, the lowest id. */
    record Greedy() implements Decoding {
    }

    /**
     * Samples from {@code softmax(logits / temperature)} restricted to the {@code topK} most likely
     * tokens ({@link Integer#MAX_VALUE} for all). Exactly {@code min(topK, vocabulary size)} tokens are
     * candidates: when logits tie at the k-th place, the lower token ids are kept, so {@code topK = 1}
     * always picks what {@link Greedy} picks.
     */
    record Sample(double temperature, int topK) implements Decoding {
        public Sample {
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
            }
            if (topK < 1) {
                throw new IllegalArgumentException("top-k must be at least 1, got " + topK);
            }
        }
    }
}
