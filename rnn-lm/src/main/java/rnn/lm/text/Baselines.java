package rnn.lm.text;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Perplexities that a trained model should beat, of n-gram models fit on the training ids and
 * scored on held-out ids. Add-one smoothing keeps unseen tokens and pairs finite.
 *
 * @param uniform every token equally likely: exactly the vocabulary size
 * @param unigram {@code P(t) = (c(t) + 1) / (N + V)}
 * @param bigram {@code P(b | a) = (c(a, b) + 1) / (c(a) + V)}, with c(a) counting a as the first
 *     of a training pair; the first evaluated token is scored by the unigram model
 */
public record Baselines(double uniform, double unigram, double bigram) {

    /** Above this many pairs, bigram counts go in a map instead of a dense table. */
    private static final long DENSE_PAIRS = 1 << 22;

    /** Ids read at a time from {@link TokenIds}, so that a split is never copied whole. */
    private static final int CHUNK = 1 << 16;

    /** {@link #measure(TokenIds, TokenIds, int)} over arrays. */
    public static Baselines measure(int[] train, int[] eval, int vocabSize) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(eval, "eval");
        return measure(TokenIds.of(train), TokenIds.of(eval), vocabSize);
    }

    /**
     * Fits the models on {@code train} and scores them on {@code eval}, reading both in place, a chunk at a
     * time: memory is the counts, whatever the length.
     */
    public static Baselines measure(TokenIds train, TokenIds eval, int vocabSize) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(eval, "eval");
        if (vocabSize < 1) {
            throw new IllegalArgumentException("the vocabulary size must be positive, got " + vocabSize);
        }
        if (eval.length() == 0) {
            throw new IllegalArgumentException("baselines need at least one evaluation token");
        }
        check(train, vocabSize, "training");
        check(eval, vocabSize, "evaluation");

        long[] unigram = new long[vocabSize];
        long[] predecessor = new long[vocabSize];
        PairCounts pairs = (long) vocabSize * vocabSize <= DENSE_PAIRS ? new DensePairs(vocabSize) : new SparsePairs(vocabSize);
        int[] buf = new int[CHUNK];
        // Only the pairs are counted per token: every token but the first ends one pair and every token but
        // the last starts one, so the unigram and predecessor counts are the pairs' margins.
        int previous = -1; // the token before this one; -1 before the first
        for (long at = 0, n = train.length(); at < n; at += CHUNK) {
            int k = (int) Math.min(CHUNK, n - at);
            train.copyTo(at, buf, 0, k);
            int i = 0;
            if (previous < 0 && k > 0) {
                unigram[buf[0]]++;
                previous = buf[i++];
            }
            for (; i < k; i++) {
                int t = buf[i];
                pairs.add(previous, t);
                previous = t;
            }
        }
        pairs.addMargins(predecessor, unigram);
        double n = train.length();
        // Each token's and, with a dense table, each pair's log-probability once, not once per token:
        // the same doubles in the same order of summation.
        double[] unigramLog = new double[vocabSize];
        for (int t = 0; t < vocabSize; t++) {
            unigramLog[t] = Math.log((unigram[t] + 1.0) / (n + vocabSize));
        }
        double[] bigramLog = pairs instanceof DensePairs d ? d.logProbabilities(predecessor) : null;
        double unigramNll = 0;
        double bigramNll = 0;
        previous = -1;
        for (long at = 0, m = eval.length(); at < m; at += CHUNK) {
            int k = (int) Math.min(CHUNK, m - at);
            eval.copyTo(at, buf, 0, k);
            for (int i = 0; i < k; i++) {
                int t = buf[i];
                unigramNll -= unigramLog[t];
                if (previous < 0) {
                    bigramNll -= unigramLog[t];
                } else if (bigramLog != null) {
                    bigramNll -= bigramLog[previous * vocabSize + t];
                } else {
                    bigramNll -= Math.log((pairs.get(previous, t) + 1.0) / (predecessor[previous] + (double) vocabSize));
                }
                previous = t;
            }
        }
        double count = eval.length();
        return new Baselines(vocabSize, Math.exp(unigramNll / count), Math.exp(bigramNll / count));
    }

    private static void check(TokenIds ids, int vocabSize, String what) {
        long bad = ids.firstOutside(vocabSize);
        if (bad >= 0) {
            throw new IllegalArgumentException(what + " token id " + ids.get(bad) + " is outside the vocabulary [0, "
                    + vocabSize + ")");
        }
    }

    private sealed interface PairCounts permits DensePairs, SparsePairs {
        void add(int a, int b);

        long get(int a, int b);

        /** Adds each pair (a, b) to {@code firsts[a]} and {@code seconds[b]}. */
        void addMargins(long[] firsts, long[] seconds);
    }

    private static final class DensePairs implements PairCounts {
        private final int v;
        private final long[] counts;

        DensePairs(int v) {
            this.v = v;
            this.counts = new long[v * v];
        }

        @Override
        public void add(int a, int b) {
            counts[a * v + b]++;
        }

        @Override
        public long get(int a, int b) {
            return counts[a * v + b];
        }

        /** {@code log P(b | a)} at {@code a * v + b}. */
        double[] logProbabilities(long[] predecessor) {
            double[] out = new double[counts.length];
            for (int a = 0; a < v; a++) {
                for (int b = 0; b < v; b++) {
                    out[a * v + b] = Math.log((counts[a * v + b] + 1.0) / (predecessor[a] + (double) v));
                }
            }
            return out;
        }

        @Override
        public void addMargins(long[] firsts, long[] seconds) {
            for (int a = 0; a < v; a++) {
                for (int b = 0; b < v; b++) {
                    firsts[a] += counts[a * v + b];
                    seconds[b] += counts[a * v + b];
                }
            }
        }
    }

    private static final class SparsePairs implements PairCounts {
        private final long v;
        private final Map<Long, long[]> counts = new HashMap<>();

        SparsePairs(int v) {
            this.v = v;
        }

        @Override
        public void add(int a, int b) {
            counts.computeIfAbsent(a * v + b, k -> new long[1])[0]++;
        }

        @Override
        public long get(int a, int b) {
            long[] c = counts.get(a * v + b);
            return c == null ? 0 : c[0];
        }

        @Override
        public void addMargins(long[] firsts, long[] seconds) {
            for (Map.Entry<Long, long[]> e : counts.entrySet()) {
                firsts[(int) (e.getKey() / v)] += e.getValue()[0];
                seconds[(int) (e.getKey() % v)] += e.getValue()[0];
            }
        }
    }
}
