package rnn.api.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import rnn.api.Activation;
import rnn.api.Backend;
import rnn.api.Rng;

/**
 * Stacked recurrent layers, a dense output layer {@code O_t = H_t W_hq + b_q} and softmax
 * cross-entropy averaged over batch × steps: the network of d2l's recurrent chapter, in one place.
 * Inputs are dense {@code [T, B, inputSize]} (a language model passes one-hot rows); targets are
 * {@code [T, B]} class indices. Not thread-safe: one net is driven by one thread at a time.
 */
public final class RecurrentNet {

    private final Backend ops;
    private final CellType cell;
    private final int inputSize;
    private final int hiddenSize;
    private final int outputSize;
    private final List<RecurrentLayer> layers;
    private final Parameter whq;
    private final Parameter bq;
    private final List<Parameter> parameters;

    private final Workspace ws = new Workspace();
    private float[] lastHidden;
    private int lastHiddenOff;
    private int steps;
    private int batch;

    private RecurrentNet(Builder b) {
        this.ops = b.backend;
        this.cell = b.cell;
        this.inputSize = b.inputSize;
        this.hiddenSize = b.hiddenSize;
        this.outputSize = b.outputSize;
        Rng rng = new Rng(b.seed);
        List<RecurrentLayer> ls = new ArrayList<>();
        for (int l = 0; l < b.layers; l++) {
            int in = l == 0 ? inputSize : hiddenSize;
            String prefix = b.layers == 1 ? "" : "l" + l + ".";
            ls.add(switch (cell) {
                case RNN -> new RnnLayer(ops, in, hiddenSize, b.init, rng, prefix);
            });
        }
        this.layers = List.copyOf(ls);
        this.whq = Parameter.zeros("W_hq", hiddenSize, outputSize);
        this.bq = Parameter.zeros("b_q", outputSize);
        b.init.fill(whq.value(), hiddenSize, outputSize, rng);
        List<Parameter> ps = new ArrayList<>();
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

    public CellType cell() {
        return cell;
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

    /** Every parameter, layer by layer, then W_hq and b_q; names are unique. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Zero states, one per layer. */
    public List<State> newStates(int batch) {
        return layers.stream().map(l -> l.newState(batch)).toList();
    }

    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    /**
     * Forward over {@code steps} steps; states advance in place. Returns the summed cross-entropy over
     * the {@code steps × batch} targets (divide by that count for the mean), or, with null targets, 0
     * (logits only, e.g. for sampling).
     */
    public double forward(float[] xs, int[] targets, int steps, List<State> states) {
        if (states.size() != layers.size()) {
            throw new IllegalArgumentException("need " + layers.size() + " states, got " + states.size());
        }
        int b = states.get(0).batch();
        if (xs.length < steps * b * inputSize) {
            throw new IllegalArgumentException("inputs hold " + xs.length + " floats, need " + steps * b * inputSize);
        }
        this.steps = steps;
        this.batch = b;
        float[] in = xs;
        int inOff = 0;
        for (int l = 0; l < layers.size(); l++) {
            RecurrentLayer layer = layers.get(l);
            in = layer.forward(in, inOff, steps, states.get(l));
            inOff = layer.outputOffset();
        }
        lastHidden = in;
        lastHiddenOff = inOff;
        int rows = steps * b;
        float[] logits = ws.floats(0, rows * outputSize);
        ops.gemm(false, false, rows, outputSize, hiddenSize, in, inOff, hiddenSize, whq.value(), 0, outputSize,
                0f, logits, 0, outputSize);
        ops.biasActivation(Activation.IDENTITY, rows, outputSize, bq.value(), 0, logits, 0, outputSize);
        if (targets == null) {
            return 0;
        }
        if (targets.length < rows) {
            throw new IllegalArgumentException("targets hold " + targets.length + " labels, need " + rows);
        }
        float[] dLogits = ws.floats(1, rows * outputSize);
        return ops.softmaxCrossEntropy(rows, outputSize, logits, 0, targets, 0, 1f / rows, dLogits, 0);
    }

    /** Logits {@code [T, B, outputSize]} of the last forward (valid until the next). */
    public float[] logits() {
        return ws.floats(0, 0);
    }

    /**
     * BPTT through the last forward, which must have had targets: accumulates into every parameter's
     * gradient (call {@link #zeroGrad()} first for a fresh step) and returns dL/dX {@code [T, B, inputSize]}
     * of the mean loss. With {@code dStates} null the gradient stops at the batch's initial state (the d2l
     * detach); otherwise each entry receives dL/d(initial state) of its layer, starting from its value
     * as the gradient with respect to the final state.
     */
    public float[] backward(List<State> dStates) {
        int rows = steps * batch;
        float[] dLogits = ws.floats(1, 0);
        float[] dHidden = ws.floats(2, rows * hiddenSize);
        ops.gemm(true, false, hiddenSize, outputSize, rows, lastHidden, lastHiddenOff, hiddenSize,
                dLogits, 0, outputSize, 1f, whq.grad(), 0, outputSize);
        ops.sumRows(rows, outputSize, dLogits, 0, outputSize, bq.grad(), 0);
        ops.gemm(false, true, rows, hiddenSize, outputSize, dLogits, 0, outputSize, whq.value(), 0, outputSize,
                0f, dHidden, 0, hiddenSize);
        float[] d = dHidden;
        for (int l = layers.size() - 1; l >= 0; l--) {
            d = layers.get(l).backward(d, dStates == null ? null : dStates.get(l));
        }
        return d;
    }

    /** Builder: {@code set*} are required, {@code opt*} have d2l's defaults; {@link #build()} validates. */
    public static final class Builder {
        private Backend backend;
        private int inputSize;
        private int hiddenSize;
        private int outputSize;
        private CellType cell = CellType.RNN;
        private int layers = 1;
        private Init init = Init.d2l();
        private long seed = 0;

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

        public Builder optCell(CellType cell) {
            this.cell = cell;
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

        public RecurrentNet build() {
            Objects.requireNonNull(backend, "setBackend is required");
            Objects.requireNonNull(cell, "cell");
            Objects.requireNonNull(init, "init");
            for (var e : new Object[][] {{"input size", inputSize}, {"hidden size", hiddenSize},
                    {"output size", outputSize}, {"layers", layers}}) {
                if ((int) e[1] < 1) {
                    throw new IllegalArgumentException(e[0] + " must be at least 1, got " + e[1]);
                }
            }
            return new RecurrentNet(this);
        }
    }

    @Override
    public String toString() {
        return cell + " " + Arrays.toString(new int[] {inputSize, hiddenSize, outputSize}) + " × " + layers.size();
    }
}
