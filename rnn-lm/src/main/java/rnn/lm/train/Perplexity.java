package rnn.lm.train;

import java.util.List;

import rnn.api.cell.State;

/** Perplexity {@code exp(mean cross-entropy)} of a model over a token stream. */
public final class Perplexity {

    private Perplexity() {
    }

    /**
     * Evaluates next-token prediction on {@code ids} the way training sees text: the stream is cut into
     * {@code batch} contiguous rows read in chunks of {@code steps}, with the state carried across chunks.
     * Every token but the first of each row is predicted once. Returns NaN for fewer than 2 tokens.
     */
    public static double of(LanguageModel model, int[] ids, int batch, int steps) {
        if (ids.length < 2) {
            return Double.NaN;
        }
        int rows = Math.max(1, Math.min(batch, (ids.length - 1) / Math.max(1, steps)));
        int len = (ids.length - 1) / rows;
        int[][] x = new int[rows][len];
        int[][] y = new int[rows][len];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ids, r * len, x[r], 0, len);
            System.arraycopy(ids, r * len + 1, y[r], 0, len);
        }
        model.net().setTraining(false);
        List<State> states = model.newStates(rows);
        int[] inputs = new int[steps * rows];
        int[] targets = new int[steps * rows];
        double sum = 0;
        long count = 0;
        for (int t0 = 0; t0 < len; t0 += steps) {
            int s = Math.min(steps, len - t0);
            LanguageModel.timeMajor(x, t0, s, inputs);
            LanguageModel.timeMajor(y, t0, s, targets);
            sum += model.net().forward(inputs, targets, s, states);
            count += (long) s * rows;
        }
        return Math.exp(sum / count);
    }
}
