package rnn.lm.train;

import java.util.ArrayList;
import java.util.List;

import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.nn.RecurrentNet;
import rnn.api.cell.State;
import rnn.api.optim.Clipping;
import rnn.api.optim.Optimizer;
import rnn.lm.text.Batch;
import rnn.lm.text.Sampling;

/**
 * d2l's {@code train_ch8}: epochs of truncated BPTT over minibatches, gradient clipping, and the
 * configured optimizer and learning-rate schedule (d2l: global norm, SGD, constant). With sequential sampling the state is carried from batch to batch and detached (gradients stop
 * at the batch boundary); with random sampling it is reset every batch.
 *
 * <p>A non-finite loss or gradient skips the update (and resets the state); {@code maxBadSteps} of them in
 * a row stop training with a {@link TrainingException}.
 *
 * <p><b>Stopping.</b> A run stops at the next batch boundary when {@link #requestStop()} is called (from any
 * thread) or when its thread is interrupted ({@link Thread#interrupt()}, {@code Future.cancel(true)}). Both
 * stop the same way: the epoch in progress is rolled back whole (weights, optimizer state, RNGs, step count),
 * so the trainer is left at the last completed epoch; {@link #run} returns false and the listener's
 * {@link TrainingListener#onStop} says which of the two it was. On an interrupt the thread's interrupt flag
 * is left set, as the Java convention asks, for the caller to see.
 *
 * <p><b>Running again.</b> A stopped trainer may {@link #run} again: it continues from the start of the
 * epoch that was stopped, and gives the same bits as a run that was never stopped (same backend). A stop
 * request is consumed by the run it stops (a request made while no run is active stops the next run at its
 * start); an interrupt is the thread's, so clear it ({@link Thread#interrupted()}) before running again on
 * that thread. A trainer is not for concurrent use: one {@link #run} at a time.
 */
public final class Trainer {

    private final LanguageModel model;
    private final TrainingConfig config;
    private final int[] train;
    private final int[] validation;
    private final Optimizer optimizer;
    private final boolean optimizerFromConfig;
    private final Clipping clipping;
    private final Rng rng;
    private final List<EpochStats> history = new ArrayList<>();
    private volatile boolean stopRequested;
    private int badInARow;
    private long globalStep;

    /** Trains with the optimizer the config names ({@link TrainingConfig#createOptimizer()}). */
    public Trainer(LanguageModel model, TrainingConfig config, int[] train, int[] validation) {
        this(model, config, train, validation, config.createOptimizer(), true);
    }

    /**
     * Trains with any optimizer, e.g. one built in code rather than found by name; the config's
     * optimizer name and hyperparameters are then not used (its schedule still sets the learning rate
     * from {@code config.learningRate()} before every step). A model file saved from this trainer
     * records the instance's class, and resuming needs the same instance again: {@link #restore} here.
     */
    public Trainer(LanguageModel model, TrainingConfig config, int[] train, int[] validation, Optimizer optimizer) {
        this(model, config, train, validation, java.util.Objects.requireNonNull(optimizer, "optimizer"), false);
    }

    private Trainer(LanguageModel model, TrainingConfig config, int[] train, int[] validation, Optimizer optimizer,
                    boolean optimizerFromConfig) {
        this.model = model;
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.optimizer = optimizer;
        this.optimizerFromConfig = optimizerFromConfig;
        this.clipping = config.clipMode().create(config.clip());
        this.rng = new Rng(config.seed() ^ 0x6A09E667F3BCC908L);
        // Fail now, not after the first epoch, if the corpus cannot fill one batch.
        int needed = config.sampling().minimumTokens(config.batch(), config.steps());
        if (train.length < needed) {
            throw new IllegalArgumentException("the training text has " + train.length + " tokens, but " + needed
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

    /** What a checkpoint must hold to continue exactly where a run stopped. */
    public record Progress(List<EpochStats> history, long[] rng, long[] dropoutRng, long globalStep,
                           java.util.Map<String, float[]> optimizerState) {
    }

    public Progress progress() {
        return new Progress(List.copyOf(history), rng.snapshot(), model.net().dropoutRng().snapshot(), globalStep,
                optimizer.state());
    }

    /** Continues from a checkpoint's progress. */
    public void restore(Progress p) {
        history.clear();
        history.addAll(p.history());
        rng.restore(p.rng());
        model.net().dropoutRng().restore(p.dropoutRng());
        globalStep = p.globalStep();
        optimizer.restore(p.optimizerState());
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
     * {@link TrainingListener#onStop} has been told why). An epoch cut short by a stop is discarded whole,
     * so running again, or resuming from a checkpoint saved now, repeats it from the same state; the
     * interrupt flag of an interrupted thread stays set. A stop request pending when this returns or
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

    private boolean train(TrainingListener listener) {
        RecurrentNet net = model.net();
        Backend ops = net.backend();
        int b = config.batch();
        int steps = config.steps();
        int[] inputs = new int[b * steps];
        int[] targets = new int[b * steps];
        while (history.size() < config.epochs()) {
            StopReason stop = pendingStop();
            if (stop != null) {
                listener.onStop(stop, history.size());
                return false;
            }
            int epoch = history.size() + 1;
            Progress atStart = progress();
            int badAtStart = badInARow;
            List<float[]> weightsAtStart = snapshotWeights(net);
            List<Batch> batches = Sampling.epoch(config.sampling(), train, b, steps, rng);
            List<State> states = null;
            double lossSum = 0;
            long tokens = 0;
            int skipped = 0;
            long nanos = 0;
            for (int i = 0; i < batches.size(); i++) {
                stop = pendingStop();
                if (stop != null) {
                    restore(atStart);
                    restoreWeights(net, weightsAtStart);
                    badInARow = badAtStart;
                    net.setTraining(false);
                    listener.onStop(stop, history.size());
                    return false;
                }
                long t0 = System.nanoTime();
                Batch batch = batches.get(i);
                if (states == null || !config.sampling().carriesState()) {
                    states = model.newStates(b);
                }
                LanguageModel.timeMajor(batch.x(), 0, steps, inputs);
                LanguageModel.timeMajor(batch.y(), 0, steps, targets);
                net.setTraining(true);
                net.zeroGrad();
                double loss = net.forward(inputs, targets, steps, states) / (b * steps);
                net.backward(null);
                double norm = clipping.apply(ops, net.parameters());
                optimizer.setLearningRate(config.schedule().learningRate(config.learningRate(), epoch - 1, globalStep));
                globalStep++;
                if (Double.isFinite(loss) && Double.isFinite(norm)) {
                    optimizer.step(ops, net.parameters());
                    badInARow = 0;
                    lossSum += loss * b * steps;
                    tokens += (long) b * steps;
                } else {
                    skipped++;
                    states = null;
                    if (++badInARow >= config.maxBadSteps()) {
                        throw new TrainingException(badInARow + " non-finite losses or gradients in a row (epoch "
                                + epoch + ", batch " + (i + 1) + "); the last loss was " + loss + ", gradient norm "
                                + norm + ". Lower the learning rate (now " + config.learningRate()
                                + ") or the clipping threshold (now " + config.clip() + ").");
                    }
                }
                nanos += System.nanoTime() - t0;
                listener.onBatch(epoch, i + 1, batches.size(), Math.exp(lossSum / Math.max(1, tokens)),
                        tokens / (nanos / 1e9));
            }
            net.setTraining(false);
            double val = validation.length >= 2 ? Perplexity.of(model, validation, b, steps) : Double.NaN;
            EpochStats stats = new EpochStats(epoch, Math.exp(lossSum / Math.max(1, tokens)), val,
                    tokens / Math.max(1e-9, nanos / 1e9), skipped);
            history.add(stats);
            listener.onEpoch(stats);
        }
        return true;
    }

    // Weights at the start of the epoch, so a stop mid-epoch can roll back to an exact epoch boundary.
    // Copying costs one pass over the parameters per epoch: negligible next to an epoch of BPTT.
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
