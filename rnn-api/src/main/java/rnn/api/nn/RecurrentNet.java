package rnn.api.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import rnn.api.Activation;
import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.api.cell.Init;
import rnn.api.cell.LayerSpec;
import rnn.api.cell.RecurrentLayer;
import rnn.api.cell.State;
import rnn.api.internal.OneHot;
import rnn.api.internal.Workspace;

/**
 * Stacked recurrent layers, a dense output layer {@code O_t = H_t W_hq + b_q} and softmax
 * cross-entropy averaged over batch × steps: the network of d2l's recurrent chapter, in one place.
 * Inputs are dense rows {@code [T, B, inputSize]} or, for one-hot input, token ids {@code [T, B]} (what
 * a language model passes: the input product is then a row lookup); targets are {@code [T, B]} class
 * indices. Not thread-safe: one net is driven by one thread at a time.
 *
 * <p>Options: an embedding {@code E [inputSize, dim]} applied as {@code X·E} before the first layer
 * ({@link Builder#optEmbedding(int)}; with token ids this is a lookup), and inverted dropout on the
 * outputs of every layer but the last ({@link Builder#optDropout(double)}, as PyTorch's
 * {@code nn.LSTM(dropout=p)}), active only in {@linkplain #setTraining(boolean) training mode}. Masks
 * are drawn from {@link #dropoutRng()}, seeded from the builder seed: restoring a snapshot of it before
 * a forward replays the same mask (gradient checks, exact resumption). With a single layer there is
 * no such output, so dropout has no effect: as PyTorch does, building such a net logs one warning
 * (logger {@code rnn.nn}).
 */
public final class RecurrentNet {

    private static final System.Logger LOG = System.getLogger("rnn.nn");

    private final Backend ops;
    private final CellProvider cell;
    private final Map<String, Double> cellOptions;
    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final List<RecurrentLayer> layers;
    private final Parameter whq;
    private final Parameter bq;
    private final List<Parameter> parameters;
    private final Parameter embedding;
    private final int embeddingSize;
    private final double dropout;
    private final Rng dropoutRng;
    private boolean training;
    private boolean maskedLast;
    /** Whether the last forward had targets and was no {@link #loss}: backward has a loss gradient to start from. */
    private boolean lossGradientReady;

    // Workspace slots: 0 logits, 1 dLogits, 2 dHidden, then these; masks and dropped outputs take
    // two slots per masked layer from SLOT_MASKS on.
    private static final int SLOT_EMBEDDED = 3;
    private static final int SLOT_DX = 4;
    private static final int SLOT_MASKS = 5;
    private final Workspace ws = new Workspace();
    private float[] lastInput;
    private int[] lastTokens;
    private float[] lastHidden;
    private int lastHiddenOff;
    private int steps;
    private int batch;

    private RecurrentNet(Builder b) {
        this.ops = b.backend;
        this.cell = b.cell;
        this.cellOptions = Cells.resolve(b.cell, b.cellOptions);
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.outputSize = b.outputSize;
        this.dropout = b.dropout;
        this.dropoutRng = new Rng(b.seed ^ 0x6A09E667F3BCC909L);
        Rng rng = new Rng(b.seed);
        this.embeddingSize = b.embedding;
        if (b.embedding > 0) {
            // nn.Embedding's N(0, 1), whatever the init of the weights: with one-hot rows each row of E
            // is a token's vector, and N(0, 0.01) vectors would start the first layer near zero input.
            this.embedding = Parameter.zeros("E", inputSize, b.embedding);
            float[] e = embedding.value();
            for (int i = 0; i < e.length; i++) {
                e[i] = (float) rng.nextGaussian();
            }
        } else {
            this.embedding = null;
        }
        List<RecurrentLayer> ls = new ArrayList<>();
        for (int l = 0; l < b.layers; l++) {
            int in = l == 0 ? (embedding == null ? inputSize : b.embedding) : hiddenSize;
            String prefix = b.layers == 1 ? "" : "l" + l + ".";
            ls.add(Cells.layer(cell, cellOptions, new LayerSpec(ops, in, hiddenSize, b.init, rng, prefix)));
        }
        this.layers = List.copyOf(ls);
        this.whq = Parameter.zeros("W_hq", hiddenSize, outputSize);
        this.bq = Parameter.zeros("b_q", outputSize);
        b.init.fill(whq.value(), hiddenSize, outputSize, rng);
        List<Parameter> ps = new ArrayList<>();
        if (embedding != null) {
            ps.add(embedding);
        }
        layers.forEach(l -> ps.addAll(l.parameters()));
        ps.add(whq);
        ps.add(bq);
        this.parameters = List.copyOf(ps);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Backend backend() {
        return ops;
    }

    /** The cell's provider. */
    public CellProvider cell() {
        return cell;
    }

    /** The cell's hyperparameters, every declared one with its value. */
    public Map<String, Double> cellOptions() {
        return cellOptions;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int outputSize() {
        return outputSize;
    }

    public int layerCount() {
        return layers.size();
    }

    /** The embedding width, or 0 when inputs feed the first layer directly. */
    public int embeddingSize() {
        return embeddingSize;
    }

    /** The dropout probability between layers (0: none). */
    public double dropout() {
        return dropout;
    }

    /** Training mode applies dropout; evaluation mode (the default) does not. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * The generator dropout masks are drawn from (in training mode with dropout, one draw per element
     * of each masked layer output, in forward). {@link Rng#snapshot()} and {@link Rng#restore(long[])}
     * on it replay a mask (finite-difference checks run the same mask on every forward) or resume a
     * checkpoint exactly.
     */
    public Rng dropoutRng() {
        return dropoutRng;
    }

    /** Every parameter: the embedding E if any, then layer by layer, then W_hq and b_q; names are unique. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Zero states, one per layer. */
    public List<State> newStates(int batch) {
        return layers.stream().map(l -> l.newState(batch)).toList();
    }

    public void zeroGrad() {
        for (int i = 0; i < parameters.size(); i++) { // no iterator: a training step allocates nothing
            parameters.get(i).zeroGrad();
        }
    }

    /**
     * Forward over {@code steps} steps; states advance in place. Returns the summed cross-entropy over
     * the {@code steps × batch} targets (divide by that count for the mean), or, with null targets, 0
     * (logits only, e.g. for sampling). With targets it also leaves the loss gradient for
     * {@link #backward}; to evaluate without it, see {@link #loss(float[], int[], int, List)}.
     */
    public double forward(float[] xs, int[] targets, int steps, List<State> states) {
        return dense(xs, targets, steps, states, true);
    }

    /**
     * {@link #forward(float[], int[], int, List)} for one-hot inputs given as token ids {@code [T, B]} in
     * {@code [0, inputSize)}: the same result without the one-hot matrix, as the first product becomes a
     * row lookup. {@link #backward} then returns null (token ids have no gradient).
     *
     * @throws IllegalArgumentException if an id is out of range or there are fewer than {@code T·B}
     */
    public double forward(int[] tokens, int[] targets, int steps, List<State> states) {
        return ids(tokens, targets, steps, states, true);
    }

    /**
     * For evaluation: returns the summed cross-entropy over the {@code steps × batch} targets (divide
     * by that count for the mean) that {@link #forward(float[], int[], int, List)} returns for the same
     * inputs and states, bit for bit, from the same forward (states advance in place, dropout only in
     * {@linkplain #setTraining(boolean) training mode}, {@link #logits()} filled), but does no gradient
     * work: the loss's gradient with respect to the logits, {@code (softmax − onehot) / (T·B)} for every
     * logit, is neither computed nor stored. So {@link #backward} after it throws
     * {@link IllegalStateException}, as after a forward without targets.
     *
     * @throws NullPointerException     if {@code targets} is null (for logits only, call {@code forward}
     *                                  with null targets)
     * @throws IllegalArgumentException as {@code forward} does, before anything runs
     */
    public double loss(float[] xs, int[] targets, int steps, List<State> states) {
        return dense(xs, Objects.requireNonNull(targets, "targets"), steps, states, false);
    }

    /**
     * {@link #loss(float[], int[], int, List)} for one-hot inputs given as token ids {@code [T, B]}: the
     * summed cross-entropy that {@link #forward(int[], int[], int, List)} returns, bit for bit, without
     * its gradient work; {@link #backward} after it throws {@link IllegalStateException}. What
     * validation and perplexity call.
     *
     * @throws NullPointerException     if {@code targets} is null
     * @throws IllegalArgumentException if an id or a target is out of range, or there are fewer than
     *                                  {@code T·B}, before anything runs
     */
    public double loss(int[] tokens, int[] targets, int steps, List<State> states) {
        return ids(tokens, Objects.requireNonNull(targets, "targets"), steps, states, false);
    }

    private double dense(float[] xs, int[] targets, int steps, List<State> states, boolean gradient) {
        int b = checkStates(states);
        if (xs.length < steps * b * inputSize) {
            throw new IllegalArgumentException("inputs hold " + xs.length + " floats, need " + steps * b * inputSize);
        }
        checkTargets(targets, steps * b);
        return forward(xs, null, targets, steps, b, states, gradient);
    }

    private double ids(int[] tokens, int[] targets, int steps, List<State> states, boolean gradient) {
        int b = checkStates(states);
        OneHot.check(tokens, 0, steps * b, inputSize);
        checkTargets(targets, steps * b);
        return forward(null, tokens, targets, steps, b, states, gradient);
    }

    private int checkStates(List<State> states) {
        if (states.size() != layers.size()) {
            throw new IllegalArgumentException("need " + layers.size() + " states, got " + states.size());
        }
        return states.get(0).batch();
    }

    /**
     * Targets are class indices in [0, outputSize): one outside would read another row's logit and lose
     * the gradient's −1 term. Checked before anything runs, so that states are left as they were.
     */
    private void checkTargets(int[] targets, int rows) {
        if (targets == null) {
            return;
        }
        if (targets.length < rows) {
            throw new IllegalArgumentException("targets hold " + targets.length + " labels, need " + rows);
        }
        OneHot.checkRange("target", targets, 0, rows, outputSize);
    }

    /**
     * The forward both public forms share. With targets, returns their summed cross-entropy; with
     * {@code gradient} also the loss gradient dLogits (in slot 1) that {@link #backward} starts from.
     */
    private double forward(float[] xs, int[] tokens, int[] targets, int steps, int b, List<State> states,
                           boolean gradient) {
        this.lossGradientReady = false;
        this.steps = steps;
        this.batch = b;
        this.lastInput = xs;
        this.lastTokens = tokens;
        int rows = steps * b;
        float[] in = xs;
        int inOff = 0;
        if (embedding != null) {
            int dim = embeddingSize;
            in = ws.floats(SLOT_EMBEDDED, rows * dim);
            if (tokens != null) {
                OneHot.lookup(tokens, 0, rows, embedding.value(), dim, in, 0);
            } else {
                ops.gemm(false, false, rows, dim, inputSize, xs, 0, inputSize, embedding.value(), 0, dim, 0f, in, 0, dim);
            }
        }
        boolean drop = training && dropout > 0 && layers.size() > 1;
        this.maskedLast = drop;
        for (int l = 0; l < layers.size(); l++) {
            RecurrentLayer layer = layers.get(l);
            in = l == 0 && tokens != null && embedding == null ? layer.forward(tokens, 0, steps, states.get(l))
                    : layer.forward(in, inOff, steps, states.get(l));
            inOff = layer.outputOffset();
            if (drop && l < layers.size() - 1) {
                // The layer keeps its outputs for its backward: the dropped copy goes to a net buffer.
                int n = rows * hiddenSize;
                float[] mask = ws.floats(SLOT_MASKS + 2 * l, n);
                float[] dropped = ws.floats(SLOT_MASKS + 2 * l + 1, n);
                drawMask(mask, n);
                ops.mul(n, in, inOff, mask, 0, dropped, 0);
                in = dropped;
                inOff = 0;
            }
        }
        lastHidden = in;
        lastHiddenOff = inOff;
        float[] logits = ws.floats(0, rows * outputSize);
        ops.gemm(false, false, rows, outputSize, hiddenSize, in, inOff, hiddenSize, whq.value(), 0, outputSize,
                0f, logits, 0, outputSize);
        ops.biasActivation(Activation.IDENTITY, rows, outputSize, bq.value(), 0, logits, 0, outputSize);
        if (targets == null) {
            return 0;
        }
        float[] dLogits = gradient ? ws.floats(1, rows * outputSize) : null;
        double loss = ops.softmaxCrossEntropy(rows, outputSize, logits, 0, targets, 0, 1f / rows, dLogits, 0);
        lossGradientReady = gradient;
        return loss;
    }

    /** Logits {@code [T, B, outputSize]} of the last forward or {@link #loss} (valid until the next). */
    public float[] logits() {
        return ws.floats(0, 0);
    }

    /**
     * BPTT through the last forward, which must have had targets (a {@link #loss} leaves no gradient to
     * start from): accumulates into every parameter's gradient (call {@link #zeroGrad()} first for a
     * fresh step) and returns dL/dX {@code [T, B, inputSize]} of the mean loss (null after a forward from
     * token ids). With {@code dStates} null the gradient stops at the batch's initial state (the d2l
     * detach); otherwise each entry receives dL/d(initial state) of its layer, starting from its value as
     * the gradient with respect to the final state.
     *
     * @throws IllegalStateException if the last forward had no targets, or was a {@link #loss} (or there
     *                               was none): there is no loss gradient to start from, and an earlier
     *                               forward's would be stale
     */
    public float[] backward(List<State> dStates) {
        if (!lossGradientReady) {
            throw new IllegalStateException("backward needs a forward with targets just before it; the last call was "
                    + "a forward without targets (logits only) or a loss (evaluation), so there is no loss gradient "
                    + "to start from");
        }
        int rows = steps * batch;
        float[] dLogits = ws.floats(1, 0);
        float[] dHidden = ws.floats(2, rows * hiddenSize);
        ops.gemm(true, false, hiddenSize, outputSize, rows, lastHidden, lastHiddenOff, hiddenSize,
                dLogits, 0, outputSize, 1f, whq.grad(), 0, outputSize);
        ops.sumRows(rows, outputSize, dLogits, 0, outputSize, bq.grad(), 0);
        ops.gemm(false, true, rows, hiddenSize, outputSize, dLogits, 0, outputSize, whq.value(), 0, outputSize,
                0f, dHidden, 0, hiddenSize);
        float[] d = dHidden;
        boolean drop = maskedLast;
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (drop && l < layers.size() - 1) {
                // d flows into the dropped copy of layer l's outputs: scale by the same mask.
                ops.mul(rows * hiddenSize, d, 0, ws.floats(SLOT_MASKS + 2 * l, 0), 0, d, 0);
            }
            d = layers.get(l).backward(d, dStates == null ? null : dStates.get(l));
        }
        if (embedding != null && lastTokens != null) {
            OneHot.scatterAdd(ops, lastTokens, 0, rows, d, embeddingSize, embedding.grad());
            d = null;
        } else if (embedding != null) {
            int dim = embeddingSize;
            ops.gemm(true, false, inputSize, dim, rows, lastInput, 0, inputSize, d, 0, dim, 1f,
                    embedding.grad(), 0, dim);
            float[] dx = ws.floats(SLOT_DX, rows * inputSize);
            ops.gemm(false, true, rows, inputSize, dim, d, 0, dim, embedding.value(), 0, dim, 0f, dx, 0, inputSize);
            d = dx;
        }
        return d;
    }

    /**
     * Inverted dropout: each element is kept with probability 1 − p and then scaled by 1/(1 − p), so
     * evaluation needs no rescaling. Drawing random numbers has no kernel, hence the plain loop.
     */
    private void drawMask(float[] mask, int n) {
        float keep = (float) (1 / (1 - dropout));
        for (int i = 0; i < n; i++) {
            mask[i] = dropoutRng.nextDouble() < dropout ? 0f : keep;
        }
    }

    /** Builder: {@code set*} are required, {@code opt*} have d2l's defaults; {@link #build()} validates. */
    public static final class Builder {
        private Backend backend;
        private int inputSize;
        private int hiddenSize;
        private int outputSize;
        private CellProvider cell;
        private Map<String, ?> cellOptions = Map.of();
        private int layers = 1;
        private Init init = Init.d2l();
        private long seed = 0;
        private double dropout = 0;
        private int embedding = 0;

        private Builder() {
        }

        public Builder setBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder setHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder setOutputSize(int outputSize) {
            this.outputSize = outputSize;
            return this;
        }

        /** The cell by name (default {@code rnn}, d2l's); see {@link Cells#forName}. */
        public Builder optCell(String name) {
            return optCell(Cells.forName(name));
        }

        /** The cell, e.g. one a test or an application defines without registering it. */
        public Builder optCell(CellProvider cell) {
            this.cell = Objects.requireNonNull(cell, "cell");
            return this;
        }

        /** The cell's hyperparameters by name (values as numbers or text); unset ones take their defaults. */
        public Builder optCellOptions(Map<String, ?> options) {
            this.cellOptions = Map.copyOf(options);
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optInit(Init init) {
            this.init = init;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Inverted dropout with probability {@code p} in [0, 1) on the outputs of every recurrent layer
         * but the last, in training mode only. Default 0. With one layer it has no effect, and
         * {@link #build()} logs a warning saying so.
         */
        public Builder optDropout(double p) {
            this.dropout = p;
            return this;
        }

        /** A learned embedding {@code E [inputSize, dim]} before the first layer; 0 (the default) for none. */
        public Builder optEmbedding(int dim) {
            this.embedding = dim;
            return this;
        }

        public RecurrentNet build() {
            Objects.requireNonNull(backend, "setBackend is required");
            if (cell == null) {
                cell = Cells.forName("rnn");
            }
            Objects.requireNonNull(init, "init");
            for (var e : new Object[][] {{"input size", inputSize}, {"hidden size", hiddenSize},
                    {"output size", outputSize}, {"layers", layers}}) {
                if ((int) e[1] < 1) {
                    throw new IllegalArgumentException(e[0] + " must be at least 1, got " + e[1]);
                }
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            if (embedding < 0) {
                throw new IllegalArgumentException("embedding size must be 0 (none) or positive, got " + embedding);
            }
            Cells.resolve(cell, cellOptions); // fails early on an unknown or bad hyperparameter
            if (dropout > 0 && layers == 1) {
                LOG.log(System.Logger.Level.WARNING, "dropout " + dropout + " has no effect: it acts on the outputs "
                        + "of every recurrent layer but the last, so it needs at least two layers, and this net has one");
            }
            return new RecurrentNet(this);
        }
    }

    @Override
    public String toString() {
        return cell.name() + (cellOptions.isEmpty() ? "" : " " + cellOptions) + " " + Arrays.toString(new int[] {inputSize, hiddenSize, outputSize}) + " × " + layers.size()
                + (embedding == null ? "" : " embedding " + embeddingSize())
                + (dropout > 0 ? " dropout " + dropout : "");
    }
}
