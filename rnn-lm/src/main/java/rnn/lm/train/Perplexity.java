package rnn.lm.train;

import java.util.List;

import rnn.api.cell.State;
import rnn.lm.text.TokenIds;

/** Perplexity {@code exp(mean cross-entropy)} of a model over a token stream. */
public final class Perplexity {

    private Perplexity() {
    }

    /** {@link #of(LanguageModel, TokenIds, int, int)} over an array. */
    public static double of(LanguageModel model, int[] ids, int batch, int steps) {
        return of(model, TokenIds.of(ids), batch, steps);
    }

    /**
     * Evaluates next-token prediction on {@code ids} the way training sees text: the stream is cut into
     * {@code batch} contiguous rows read in chunks of {@code steps}, with the state carried across chunks.
     * Every token but the first of each row is predicted once. Returns NaN for fewer than 2 tokens. Reads
     * the ids in place: memory is one chunk, whatever the length. Each chunk goes through
     * {@link rnn.api.nn.RecurrentNet#loss(int[], int[], int, java.util.List)}: no gradient work, so a
     * {@code backward} right after it throws.
     */
    public static double of(LanguageModel model, TokenIds ids, int batch, int steps) {
        long n = ids.length();
        if (n < 2) {
            return Double.NaN;
        }
        int rows = (int) Math.max(1, Math.min(batch, (n - 1) / Math.max(1, steps)));
        long len = (n - 1) / rows;
        model.net().setTraining(false);
        List<State> states = model.newStates(rows);
        int[] inputs = new int[steps * rows];
        int[] targets = new int[steps * rows];
        double sum = 0;
        long count = 0;
        for (long t0 = 0; t0 < len; t0 += steps) {
            int s = (int) Math.min(steps, len - t0);
            for (int r = 0; r < rows; r++) {
                long from = r * len + t0;
                for (int t = 0; t < s; t++) {
                    inputs[t * rows + r] = ids.get(from + t);
                    targets[t * rows + r] = ids.get(from + t + 1);
                }
            }
            sum += model.net().loss(inputs, targets, s, states);
            count += (long) s * rows;
        }
        return Math.exp(sum / count);
    }
}
