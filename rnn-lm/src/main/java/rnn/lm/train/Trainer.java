package rnn.lm.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.cell.State;
import rnn.api.nn.RecurrentNet;
import rnn.api.optim.Clipping;
import rnn.api.optim.Optimizer;
import rnn.lm.text.Batches;
import rnn.lm.text.TokenIds;

/**
 * d2l's {@code train_ch8}: epochs of truncated BPTT over minibatches, gradient clipping, and the
 * configured optimizer and learning-rate schedule (d2l: global norm, SGD, constant). With sequential
 * sampling the state is carried from batch to batch and detached (gradients stop at the batch boundary);
 * with random sampling it is reset every batch. Batches are cut from the corpus as they are needed, so a
 * corpus costs its token ids and nothing per epoch.
 *
 * <p>A non-finite loss or gradient skips the update (and resets the state); {@code maxBadSteps} of them in
 * a row stop training with a {@link TrainingException}.
 *
 * <p><b>Position.</b> The trainer knows where it is inside an epoch: the batch, the running loss, the
 * carried state and the RNG the epoch was cut with. {@link #progress()} holds all of it, so a checkpoint
 * saved between any two updates (from {@link TrainingListener#onBatch}) resumes bit-identically.
 *
 * <p><b>Stopping.</b> A run stops at the next batch boundary when {@link #requestStop()} is called (from any
 * thread) or when its thread is interrupted ({@link Thread#interrupt()}, {@code Future.cancel(true)}).
 * {@link #run} then returns false and the listener's {@link TrainingListener#onStop} says which of the two
 * it was. By default the epoch in progress is rolled back to where the run entered it (weights, optimizer
 * state, RNGs, step count); with {@link #keepPartialEpochOnStop(boolean) keepPartialEpochOnStop(true)} the
 * updates done are kept and the trainer stays at that batch, for a checkpoint that loses no work. On an
 * interrupt the thread's interrupt flag is left set, as the Java convention asks, for the caller to see.
 *
 * <p><b>Running again.</b> A stopped trainer may {@link #run} again: it continues from where it stands
 * and gives the same bits as a run that was never stopped (same backend). A stop request is consumed by
 * the run it stops (a request made while no run is active stops the next run at its start); an interrupt
 * is the thread's, so clear it ({@link Thread#interrupted()}) before running again on that thread. A
 * trainer is not for concurrent use: one {@link #run} at a time.
 */
public final class Trainer {

    private final LanguageModel model;
    private final TrainingConfig config;
    private final TokenIds train;
    private final TokenIds validation;
    private final Optimizer optimizer;
    private final boolean optimizerFromConfig;
    private final Clipping clipping;
    private final Rng rng;
    private final List<EpochStats> history = new ArrayList<>();
    private final List<StepStats> steps = new ArrayList<>();
    private volatile boolean stopRequested;
    private boolean keepPartialEpoch;
    private int badInARow;
    private long globalStep;
    /** Where the epoch in progress stands; null between epochs. */
    private Cursor cursor;

    /** Trains with the optimizer the config names ({@link TrainingConfig#createOptimizer()}). */
    public Trainer(LanguageModel model, TrainingConfig config, int[] train, int[] validation) {
        this(model, config, TokenIds.of(train), TokenIds.of(validation));
    }

    /** Trains on token ids of any size with the optimizer the config names. */
    public Trainer(LanguageModel model, TrainingConfig config, TokenIds train, TokenIds validation) {
        this(model, config, train, validation, config.createOptimizer(), true);
    }

    /**
     * Trains with any optimizer, e.g. one built in code rather than found by name; the config's
     * optimizer name and hyperparameters are then not used (its schedule still sets the learning rate
     * from {@code config.learningRate()} before every step). A model file saved from this trainer
     * records the instance's class, and resuming needs the same instance again: {@link #restore} here.
     */
    public Trainer(LanguageModel model, TrainingConfig config, int[] train, int[] validation, Optimizer optimizer) {
        this(model, config, TokenIds.of(train), TokenIds.of(validation), Objects.requireNonNull(optimizer, "optimizer"),
                false);
    }

    /** Trains on token ids of any size with any optimizer (see above). */
    public Trainer(LanguageModel model, TrainingConfig config, TokenIds train, TokenIds validation, Optimizer optimizer) {
        this(model, config, train, validation, Objects.requireNonNull(optimizer, "optimizer"), false);
    }

    private Trainer(LanguageModel model, TrainingConfig config, TokenIds train, TokenIds validation, Optimizer optimizer,
                    boolean optimizerFromConfig) {
        this.model = model;
        this.config = config;
        this.train = Objects.requireNonNull(train, "train");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.optimizer = optimizer;
        this.optimizerFromConfig = optimizerFromConfig;
        this.clipping = config.clipMode().create(config.clip());
        this.rng = new Rng(config.seed() ^ 0x6A09E667F3BCC908L);
        // Refuse sizes the heap cannot hold before allocating any of them, naming the largest.
        MemoryEstimate.requireTraining(model, config.batch(), config.steps());
        // Fail now, not after the first epoch, if the corpus cannot fill one batch.
        long needed = config.sampling().minimumTokens(config.batch(), config.steps());
        if (train.length() < needed) {
            throw new IllegalArgumentException("the training text has " + train.length() + " tokens, but " + needed
                    + " are needed for one batch of " + config.batch() + " × " + config.steps() + " steps with "
                    + config.sampling().id() + " sampling; use a longer text or a smaller --batch or --steps");
        }
    }

    public LanguageModel model() {
        return model;
    }

    /** Epochs completed so far, in order. */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /** Validations inside epochs so far ({@link TrainingConfig#valEverySteps()}), in order. */
    public List<StepStats> stepHistory() {
        return List.copyOf(steps);
    }

    /** The batching RNG, whose state a checkpoint saves to resume exactly. */
    public Rng rng() {
        return rng;
    }

    /** The optimizer, whose state a checkpoint saves. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Whether {@link #optimizer()} is the one the config names, rather than an instance given in code. */
    public boolean optimizerFromConfig() {
        return optimizerFromConfig;
    }

    /** Updates attempted so far (the schedule's step count). */
    public long globalStep() {
        return globalStep;
    }

    /**
     * Whether a stop keeps the updates of the epoch in progress (true) or rolls them back to where the run
     * entered the epoch (false, the default). Keeping them is what a long epoch wants: a checkpoint saved
     * after the stop then resumes at the very next batch.
     */
    public void keepPartialEpochOnStop(boolean keep) {
        keepPartialEpoch = keep;
    }

    /**
     * Where training stands inside an epoch, all that resuming there needs.
     *
     * @param epoch     the 1-based epoch in progress
     * @param epochRng  the batching RNG as it was before the epoch was cut, to cut it again the same way
     * @param nextBatch batches of the epoch already done (the 0-based index of the next one)
     * @param lossSum   summed training loss of those batches, for the epoch's perplexity
     * @param tokens    tokens of those batches that counted (skipped updates do not)
     * @param skipped   updates skipped in the epoch so far
     * @param nanos     training time of the epoch so far, for its tokens per second
     * @param badInARow non-finite steps in a row just before the next batch
     * @param state     the carried hidden state (sequential sampling), layer by layer and part by part; empty
     *                  when the next batch starts from zeros
     */
    public record Position(int epoch, long[] epochRng, int nextBatch, double lossSum, long tokens, int skipped,
                           long nanos, int badInARow, List<float[]> state) {
        public Position {
            Objects.requireNonNull(epochRng, "epochRng");
            state = List.copyOf(state);
            if (epoch < 1 || nextBatch < 0 || tokens < 0 || skipped < 0 || nanos < 0 || badInARow < 0) {
                throw new IllegalArgumentException("a position inside an epoch has no negative counts and epoch ≥ 1");
            }
        }
    }

    /**
     * What a checkpoint must hold to continue exactly where a run stopped.
     *
     * @param rng      the batching RNG at the start of the epoch in progress, or of the next one
     * @param steps    validations inside epochs so far
     * @param position where the epoch in progress stands, or null at an epoch boundary
     */
    public record Progress(List<EpochStats> history, long[] rng, long[] dropoutRng, long globalStep,
                           Map<String, float[]> optimizerState, List<StepStats> steps, Position position) {

        public Progress {
            history = List.copyOf(history);
            steps = List.copyOf(steps);
            if (position != null && position.epoch() != history.size() + 1) {
                throw new IllegalArgumentException("a position in epoch " + position.epoch() + " after "
                        + history.size() + " completed epochs");
            }
        }

        /** Progress at an epoch boundary, with no validations inside epochs. */
        public Progress(List<EpochStats> history, long[] rng, long[] dropoutRng, long globalStep,
                        Map<String, float[]> optimizerState) {
            this(history, rng, dropoutRng, globalStep, optimizerState, List.of(), null);
        }
    }

    public Progress progress() {
        Position position = position();
        return new Progress(history, position != null ? position.epochRng() : rng.snapshot(),
                model.net().dropoutRng().snapshot(), globalStep, optimizer.state(), steps, position);
    }

    /** Where the epoch in progress stands, or null between epochs: {@code progress().position()} without the rest. */
    public Position position() {
        if (cursor == null) {
            return null;
        }
        List<float[]> state = new ArrayList<>();
        if (cursor.states != null && config.sampling().carriesState()) { // random sampling starts each batch at zeros
            for (State s : cursor.states) {
                for (int i = 0; i < s.partCount(); i++) {
                    state.add(s.part(i).clone());
                }
            }
        }
        return new Position(cursor.epoch, cursor.epochRng.clone(), cursor.nextBatch, cursor.lossSum, cursor.tokens,
                cursor.skipped, cursor.nanos, badInARow, state);
    }

    /** Continues from a checkpoint's progress, at an epoch boundary or inside an epoch. */
    public void restore(Progress p) {
        Position at = p.position();
        List<State> states = at == null ? null : restoreStates(at);
        history.clear();
        history.addAll(p.history());
        steps.clear();
        steps.addAll(p.steps());
        rng.restore(p.rng());
        model.net().dropoutRng().restore(p.dropoutRng());
        globalStep = p.globalStep();
        optimizer.restore(p.optimizerState());
        if (at == null) {
            cursor = null;
        } else {
            cursor = new Cursor(at.epoch(), at.epochRng().clone());
            cursor.nextBatch = at.nextBatch();
            cursor.lossSum = at.lossSum();
            cursor.tokens = at.tokens();
            cursor.skipped = at.skipped();
            cursor.nanos = at.nanos();
            cursor.states = states;
            badInARow = at.badInARow();
        }
    }

    private List<State> restoreStates(Position at) {
        if (at.state().isEmpty()) {
            return null;
        }
        List<State> states = model.newStates(config.batch());
        int parts = states.stream().mapToInt(State::partCount).sum();
        if (parts != at.state().size()) {
            throw new IllegalArgumentException("the carried state has " + at.state().size() + " parts; this model has "
                    + parts);
        }
        int k = 0;
        for (State s : states) {
            for (int i = 0; i < s.partCount(); i++, k++) {
                float[] saved = at.state().get(k);
                if (saved.length != s.part(i).length) {
                    throw new IllegalArgumentException("carried state part " + k + " has " + saved.length
                            + " values; this model's has " + s.part(i).length);
                }
                System.arraycopy(saved, 0, s.part(i), 0, saved.length);
            }
        }
        return states;
    }

    /**
     * Asks the current run to stop after its current batch, or, if none is running, the next run to stop
     * before its first; safe from any thread (e.g. a signal handler). The run that stops consumes the request.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether a stop has been requested and no run has consumed it yet. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Trains until {@code config.epochs()} epochs are complete, a stop is requested or the thread is
     * interrupted. Returns true if all epochs completed, false if it stopped (then the listener's
     * {@link TrainingListener#onStop} has been told why). See the class comment for what a stop keeps;
     * the interrupt flag of an interrupted thread stays set. A stop request pending when this returns or
     * throws is cleared: it applied to this run.
     */
    public boolean run(TrainingListener listener) {
        try {
            return train(listener);
        } finally {
            stopRequested = false;
        }
    }

    /** Why the run should stop at this batch boundary, or null to go on. */
    private StopReason pendingStop() {
        if (Thread.currentThread().isInterrupted()) { // not Thread.interrupted(): the flag stays for the caller
            return StopReason.INTERRUPTED;
        }
        return stopRequested ? StopReason.REQUESTED : null;
    }

    /** The epoch in progress: its batches and the sums so far. */
    private static final class Cursor {
        final int epoch;
        final long[] epochRng;
        int nextBatch;
        double lossSum;
        long tokens;
        int skipped;
        long nanos;
        /** Carried into the next batch; null to start it from zeros. */
        List<State> states;

        Cursor(int epoch, long[] epochRng) {
            this.epoch = epoch;
            this.epochRng = epochRng;
        }
    }

    private boolean train(TrainingListener listener) {
        RecurrentNet net = model.net();
        Backend ops = net.backend();
        int b = config.batch();
        int numSteps = config.steps();
        int[] inputs = new int[b * numSteps];
        int[] targets = new int[b * numSteps];
        while (history.size() < config.epochs()) {
            if (cursor == null) {
                cursor = new Cursor(history.size() + 1, rng.snapshot());
            }
            // Cut (or cut again, when resuming inside it) the epoch from the RNG as it was at its start.
            rng.restore(cursor.epochRng);
            Batches batches = config.sampling().batches(train, b, numSteps, rng);
            int epoch = cursor.epoch;
            // What a stop rolls back to; nothing to keep when a stop keeps the partial epoch.
            Progress atEntry = keepPartialEpoch ? null : progress();
            List<float[]> weightsAtEntry = keepPartialEpoch ? null : snapshotWeights(net);
            for (int i = cursor.nextBatch; i < batches.size(); i++) {
                StopReason stop = pendingStop();
                if (stop != null) {
                    if (!keepPartialEpoch) {
                        restore(atEntry);
                        restoreWeights(net, weightsAtEntry);
                        if (cursor.nextBatch == 0) {
                            cursor = null; // nothing of this epoch was done before the run: an epoch boundary
                        }
                    }
                    net.setTraining(false);
                    listener.onStop(stop, history.size());
                    return false;
                }
                long t0 = System.nanoTime();
                if (cursor.states == null || !config.sampling().carriesState()) {
                    cursor.states = model.newStates(b);
                }
                batches.fillTimeMajor(i, inputs, targets);
                net.setTraining(true);
                net.zeroGrad();
                double loss = net.forward(inputs, targets, numSteps, cursor.states) / (b * numSteps);
                net.backward(null);
                double norm = clipping.apply(ops, net.parameters());
                optimizer.setLearningRate(config.schedule().learningRate(config.learningRate(), epoch - 1, globalStep));
                globalStep++;
                if (Double.isFinite(loss) && Double.isFinite(norm)) {
                    optimizer.step(ops, net.parameters());
                    badInARow = 0;
                    cursor.lossSum += loss * b * numSteps;
                    cursor.tokens += (long) b * numSteps;
                } else {
                    cursor.skipped++;
                    cursor.states = null;
                    if (++badInARow >= config.maxBadSteps()) {
                        throw new TrainingException(badInARow + " non-finite losses or gradients in a row (epoch "
                                + epoch + ", batch " + (i + 1) + "); the last loss was " + loss + ", gradient norm "
                                + norm + ". Lower the learning rate (now " + config.learningRate()
                                + ") or the clipping threshold (now " + config.clip() + ").");
                    }
                }
                cursor.nanos += System.nanoTime() - t0;
                cursor.nextBatch = i + 1;
                double running = Math.exp(cursor.lossSum / Math.max(1, cursor.tokens));
                double tps = cursor.tokens / Math.max(1e-9, cursor.nanos / 1e9);
                if (config.valEverySteps() > 0 && globalStep % config.valEverySteps() == 0 && i + 1 < batches.size()) {
                    StepStats s = new StepStats(globalStep, epoch, i + 1, running, validate(), tps);
                    steps.add(s);
                    listener.onValidation(s);
                }
                listener.onBatch(epoch, i + 1, batches.size(), running, tps);
            }
            net.setTraining(false);
            EpochStats stats = new EpochStats(epoch, Math.exp(cursor.lossSum / Math.max(1, cursor.tokens)), validate(),
                    cursor.tokens / Math.max(1e-9, cursor.nanos / 1e9), cursor.skipped);
            cursor = null;
            history.add(stats);
            listener.onEpoch(stats);
        }
        return true;
    }

    /** Perplexity on the validation split's fixed prefix of at most {@code valMaxTokens}; NaN without one. */
    private double validate() {
        TokenIds evaluated = config.evaluatedPrefix(validation);
        return evaluated.length() >= 2 ? Perplexity.of(model, evaluated, config.batch(), config.steps()) : Double.NaN;
    }

    // Weights where the run entered the epoch, so a stop can roll back to exactly there. Copying costs one
    // pass over the parameters per epoch: negligible next to an epoch of BPTT.
    private static List<float[]> snapshotWeights(RecurrentNet net) {
        return net.parameters().stream().map(p -> p.value().clone()).toList();
    }

    private static void restoreWeights(RecurrentNet net, List<float[]> weights) {
        for (int i = 0; i < weights.size(); i++) {
            float[] w = weights.get(i);
            System.arraycopy(w, 0, net.parameters().get(i).value(), 0, w.length);
        }
    }
}
