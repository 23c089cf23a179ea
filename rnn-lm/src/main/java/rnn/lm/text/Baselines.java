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

    public static Baselines measure(int[] train, int[] eval, int vocabSize) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(eval, "eval");
        if (vocabSize < 1) {
            throw new IllegalArgumentException("the vocabulary size must be positive, got " + vocabSize);
        }
        if (eval.length == 0) {
            throw new IllegalArgumentException("baselines need at least one evaluation token");
        }
        check(train, vocabSize, "training");
        check(eval, vocabSize, "evaluation");

        long[] unigram = new long[vocabSize];
        long[] predecessor = new long[vocabSize];
        PairCounts pairs = (long) vocabSize * vocabSize <= DENSE_PAIRS ? new DensePairs(vocabSize) : new SparsePairs(vocabSize);
        for (int i = 0; i < train.length; i++) {
            unigram[train[i]]++;
            if (i + 1 < train.length) {
                predecessor[train[i]]++;
                pairs.add(train[i], train[i + 1]);
            }
        }
        double n = train.length;
        double unigramNll = 0;
        double bigramNll = 0;
        for (int i = 0; i < eval.length; i++) {
            double pUni = (unigram[eval[i]] + 1.0) / (n + vocabSize);
            unigramNll -= Math.log(pUni);
            if (i == 0) {
                bigramNll -= Math.log(pUni);
            } else {
                int a = eval[i - 1];
                bigramNll -= Math.log((pairs.get(a, eval[i]) + 1.0) / (predecessor[a] + (double) vocabSize));
            }
        }
        return new Baselines(vocabSize, Math.exp(unigramNll / eval.length), Math.exp(bigramNll / eval.length));
    }

    private static void check(int[] ids, int vocabSize, String what) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(what + " token id " + id + " is outside the vocabulary [0, "
                        + vocabSize + ")");
            }
        }
    }

    private sealed interface PairCounts permits DensePairs, SparsePairs {
        void add(int a, int b);

        long get(int a, int b);
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
    }
}
