package rnn.lm.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import rnn.api.Rng;

/** How an epoch is cut into minibatches: d2l's two iterators of section 8.3. */
public enum Sampling {

    /**
     * {@code seq_data_iter_random}: non-overlapping subsequences from a random offset in
     * [0, steps-1], in shuffled order; neighbouring batches are not contiguous, so the hidden state
     * is reset for each batch.
     */
    RANDOM {
        @Override
        public Batches batches(TokenIds corpus, int batchSize, int numSteps, Rng rng) {
            check(corpus, batchSize, numSteps, rng);
            int offset = rng.nextInt(numSteps);
            int[] order = new int[RandomBatches.count(corpus.length(), numSteps, offset)];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            rng.shuffle(order);
            return RandomBatches.epoch(corpus, batchSize, numSteps, offset, order);
        }

        @Override
        public long minimumTokens(int batchSize, int numSteps) {
            // batch subsequences of steps+1 tokens after an offset of up to steps-1.
            return (long) batchSize * numSteps + numSteps;
        }

        @Override
        public boolean carriesState() {
            return false;
        }
    },

    /**
     * {@code seq_data_iter_sequential}: the corpus from a random offset in [0, steps] is cut into
     * {@code batchSize} parallel streams, and batch i+1 continues batch i row by row, so the hidden
     * state is carried across batches (and detached by the trainer).
     */
    SEQUENTIAL {
        @Override
        public Batches batches(TokenIds corpus, int batchSize, int numSteps, Rng rng) {
            check(corpus, batchSize, numSteps, rng);
            int offset = rng.nextInt(numSteps + 1);
            return SequentialBatches.epoch(corpus, batchSize, numSteps, offset);
        }

        @Override
        public long minimumTokens(int batchSize, int numSteps) {
            // batch rows of steps tokens plus the one target after them, after an offset of up to steps.
            return (long) batchSize * numSteps + numSteps + 1;
        }

        @Override
        public boolean carriesState() {
            return true;
        }
    };

    /**
     * The minibatches of one epoch, drawing the offset (and for {@link #RANDOM} the order) from
     * {@code rng}.
     *
     * @throws IllegalArgumentException if the corpus has fewer than {@link #minimumTokens} tokens,
     *     the least that gives at least one batch whatever the offset
     */
    public List<Batch> epoch(int[] corpus, int batchSize, int numSteps, Rng rng) {
        return batches(TokenIds.of(Objects.requireNonNull(corpus, "corpus")), batchSize, numSteps, rng);
    }

    /**
     * The minibatches of one epoch, made on demand from {@code corpus}, drawing the offset (and for
     * {@link #RANDOM} the order) from {@code rng}: the same batches as {@link #epoch}.
     */
    public abstract Batches batches(TokenIds corpus, int batchSize, int numSteps, Rng rng);

    /** The same as {@code sampling.epoch(corpus, batchSize, numSteps, rng)}. */
    public static List<Batch> epoch(Sampling sampling, int[] corpus, int batchSize, int numSteps, Rng rng) {
        return Objects.requireNonNull(sampling, "sampling").epoch(corpus, batchSize, numSteps, rng);
    }

    /** The fewest tokens that give at least one batch for every possible offset. */
    public abstract long minimumTokens(int batchSize, int numSteps);

    /** Whether batch i+1 continues batch i, so the hidden state is carried over (and detached). */
    public abstract boolean carriesState();

    /** The lower-case name used on the command line and in checkpoints. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    /** Parses {@code random} or {@code sequential} (any case). */
    public static Sampling parse(String name) {
        if (name != null) {
            for (Sampling s : values()) {
                if (s.id().equalsIgnoreCase(name.strip())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown sampling '" + name + "': choose random or sequential");
    }

    void check(TokenIds corpus, int batchSize, int numSteps, Rng rng) {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(rng, "rng");
        checkShape(batchSize, numSteps);
        long needed = minimumTokens(batchSize, numSteps);
        if (corpus.length() < needed) {
            throw new IllegalArgumentException("the corpus has " + corpus.length() + " tokens, too few for one " + id()
                    + " batch of " + batchSize + " x " + numSteps + ": at least " + needed + " are needed");
        }
    }

    static void checkShape(int batchSize, int numSteps) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be positive, got " + batchSize);
        }
        if (numSteps < 1) {
            throw new IllegalArgumentException("the number of steps must be positive, got " + numSteps);
        }
    }
}
