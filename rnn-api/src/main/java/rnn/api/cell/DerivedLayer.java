package rnn.api.cell;

import java.util.Arrays;
import java.util.List;

import rnn.api.Activation;
import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.cell.StepProgram.Kind;
import rnn.api.cell.StepProgram.Op;
import rnn.api.internal.FusedWeights;
import rnn.api.internal.GradientGroups;
import rnn.api.internal.StationaryOperand;
import rnn.api.internal.Workspace;

/**
 * A layer of a {@link StepCell}: its recorded {@link StepProgram} replayed over the steps with the
 * backend's kernels, and backpropagation through time derived from it: the operations in reverse, each
 * with its derivative, state gradients carried back across steps, and the weight gradients of all
 * steps summed at the end in one GEMM per recurrent product (as the fused cells do).
 *
 * <p><b>Storage.</b> Every value of every step is kept for backward in a {@code [T, B, width]} buffer,
 * except state parts, which live in {@code [T+1, B, H]} buffers (slot 0 the initial state, slot t+1
 * the output of step t), and slices, which are views. Gradients of values live in one {@code [B, width]}
 * buffer reused at every step, except those the end-of-sequence GEMMs read (the input projection's and
 * the recurrent products'), which keep all steps. Buffers are reused across calls: a steady-state
 * training step allocates nothing.
 */
final class DerivedLayer implements RecurrentLayer {

    private static final int XP = 0;   // [T, B, G·H] X·W_x + b, all steps
    private static final int DXP = 1;  // [T, B, G·H] its gradient
    private static final int DX = 2;   // [T, B, in]
    private static final int FIRST_FREE = 3;

    private final FusedWeights w;
    private final Backend ops;
    private final Workspace ws = new Workspace();
    private final int hidden;
    private final int parts;

    // The program, as arrays (no boxing in the loops).
    private final Op[] op;
    private final Activation[] act;
    private final int[] out;
    private final int[] a;
    private final int[] b;
    private final int[] recFirst;
    private final int[] outputs;

    // Per value, in units of H columns where a width: where its values and its gradient live.
    private final int[] valSlot;
    private final int[] valLd;     // leading dimension, columns
    private final int[] valShift;  // 1 for state outputs (stored at slot t+1 of the state buffer)
    private final int[] valCol;    // column offset of a slice
    private final int[] cols;      // width, columns
    private final int[] gradSlot;
    private final int[] gradLd;
    private final boolean[] gradAllSteps;
    private final int[] gradCol;
    private final int[] computed;   // values an operation makes: own value buffer (unless a state output) and gradient buffer
    private final int[] stateSlot;
    private final int[] stateGradSlot;
    /** Per operation: its block of W_h when it is a recurrent product, else null. */
    private final StationaryOperand[] recurrent;

    private int steps;
    private int batch;

    DerivedLayer(StepCell cell, String name, int gates, int stateParts, LayerSpec spec) {
        StepProgram p = StepProgram.record(cell, gates, stateParts, name);
        this.w = new FusedWeights(spec, gates, new String[] {"W_x", "W_h", "b"});
        cell.initBias(w.b.value(), spec.hiddenSize());
        this.ops = spec.backend();
        this.hidden = spec.hiddenSize();
        this.parts = stateParts;
        int nOps = p.ops.size();
        op = p.ops.toArray(new Op[0]);
        act = p.activations.toArray(new Activation[0]);
        out = ints(p.outs);
        a = ints(p.as);
        b = ints(p.bs);
        recFirst = ints(p.recFirst);
        outputs = p.outputs.clone();

        int n = p.size();
        valSlot = new int[n];
        valLd = new int[n];
        valShift = new int[n];
        valCol = new int[n];
        cols = new int[n];
        gradSlot = new int[n];
        gradLd = new int[n];
        gradAllSteps = new boolean[n];
        gradCol = new int[n];
        int slot = FIRST_FREE;
        stateSlot = new int[parts];
        stateGradSlot = new int[parts];
        for (int i = 0; i < parts; i++) {
            stateSlot[i] = slot++;
            stateGradSlot[i] = slot++;
        }
        boolean[] recurrentOut = new boolean[n];
        for (int k = 0; k < nOps; k++) {
            recurrentOut[out[k]] = op[k] == Op.RECURRENT;
        }
        int[] outputPart = new int[n];
        Arrays.fill(outputPart, -1);
        for (int i = 0; i < parts; i++) {
            outputPart[outputs[i]] = i;
        }
        int[] roots = new int[n];
        int nRoots = 0;
        int gh = gates * hidden;
        for (int v = 0; v < n; v++) { // a slice's parent always comes before it
            cols[v] = p.widths.get(v) * hidden;
            switch (p.kinds.get(v)) {
                case STATE -> {
                    int part = p.firsts.get(v);
                    set(v, stateSlot[part], hidden, 0, stateGradSlot[part], false);
                }
                case INPUT -> set(v, XP, gh, 0, DXP, true);
                case SLICE -> {
                    int parent = p.parents.get(v);
                    int col = p.firsts.get(v) * hidden;
                    set(v, valSlot[parent], valLd[parent], valShift[parent], gradSlot[parent], gradAllSteps[parent]);
                    valCol[v] = col;
                    gradCol[v] = col;
                }
                case COMPUTED -> {
                    int part = outputPart[v];
                    int vs = part >= 0 ? stateSlot[part] : slot++;
                    set(v, vs, cols[v], part >= 0 ? 1 : 0, slot++, recurrentOut[v]);
                    roots[nRoots++] = v;
                }
            }
        }
        computed = Arrays.copyOf(roots, nRoots);
        recurrent = new StationaryOperand[nOps];
        for (int k = 0; k < nOps; k++) {
            if (op[k] == Op.RECURRENT) {
                recurrent[k] = new StationaryOperand(ops, ws, slot++);
            }
        }
    }

    private void set(int v, int vSlot, int ld, int shift, int gSlot, boolean allSteps) {
        valSlot[v] = vSlot;
        valLd[v] = ld;
        valShift[v] = shift;
        gradSlot[v] = gSlot;
        gradLd[v] = ld;
        gradAllSteps[v] = allSteps;
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ forward

    @Override
    public float[] forward(float[] xs, int xOff, int steps, State state) {
        w.remember(xs, xOff);
        return run(steps, state);
    }

    @Override
    public float[] forward(int[] tokens, int off, int steps, State state) {
        w.remember(tokens, off, steps * state.batch());
        return run(steps, state);
    }

    private float[] run(int steps, State state) {
        if (state.partCount() != parts || state.hidden() != hidden) {
            throw new IllegalArgumentException("state has " + state.partCount() + " parts of width " + state.hidden()
                    + ", the layer needs " + parts + " of width " + hidden);
        }
        this.steps = steps;
        int bt = state.batch();
        this.batch = bt;
        int bh = bt * hidden;
        int rows = steps * bt;
        for (int i = 0; i < parts; i++) {
            float[] s = ws.floats(stateSlot[i], (steps + 1) * bh);
            System.arraycopy(state.part(i), 0, s, 0, bh);
        }
        for (int v : computed) {
            if (valShift[v] == 0) {
                ws.floats(valSlot[v], rows * cols[v]);
            }
        }
        float[] xp = ws.floats(XP, rows * w.width);
        w.projectInput(rows, xp, 0);
        ops.biasActivation(Activation.IDENTITY, rows, w.width, w.b.value(), 0, xp, 0, w.width);
        for (int k = 0; k < op.length; k++) {
            if (recurrent[k] != null) {
                recurrent[k].prepare(false, hidden, cols[out[k]], w.wh.value(), recFirst[k] * hidden, w.width, steps);
            }
        }
        for (int t = 0; t < steps; t++) {
            forwardStep(t);
        }
        for (int i = 0; i < parts; i++) {
            System.arraycopy(ws.floats(stateSlot[i], 0), steps * bh, state.part(i), 0, bh);
        }
        return ws.floats(stateSlot[0], 0);
    }

    private int valOff(int v, int t) {
        return (t + valShift[v]) * batch * valLd[v] + valCol[v];
    }

    private float[] val(int v) {
        return ws.floats(valSlot[v], 0);
    }

    private void forwardStep(int t) {
        int bt = batch;
        for (int k = 0; k < op.length; k++) {
            int o = out[k];
            int x = a[k];
            float[] ov = val(o);
            int oo = valOff(o, t);
            float[] xv = val(x);
            int xo = valOff(x, t);
            int c = cols[o];
            switch (op[k]) {
                case ADD, SUB -> ops.addBlock(bt, c, 1f, xv, xo, valLd[x], op[k] == Op.ADD ? 1f : -1f,
                        val(b[k]), valOff(b[k], t), valLd[b[k]], ov, oo, valLd[o]);
                case MUL -> ops.mulBlock(bt, c, xv, xo, valLd[x], val(b[k]), valOff(b[k], t), valLd[b[k]],
                        0f, ov, oo, valLd[o]);
                case ONE_MINUS -> ops.affineBlock(bt, c, -1f, xv, xo, valLd[x], 1f, ov, oo, valLd[o]);
                case COPY -> ops.affineBlock(bt, c, 1f, xv, xo, valLd[x], 0f, ov, oo, valLd[o]);
                case ACTIVATION -> ops.activationBlock(act[k], bt, c, xv, xo, valLd[x], ov, oo, valLd[o]);
                case RECURRENT -> recurrent[k].multiply(bt, xv, xo, valLd[x], 0f, ov, oo, valLd[o]);
            }
        }
    }

    // ------------------------------------------------------------------ backward

    @Override
    public float[] backward(float[] dOutputs, State dState) {
        int bt = batch;
        int bh = bt * hidden;
        int rows = steps * bt;
        for (int k = 0; k < op.length; k++) {
            if (recurrent[k] != null) {
                recurrent[k].prepare(true, cols[out[k]], hidden, w.wh.value(), recFirst[k] * hidden, w.width, steps);
            }
        }
        for (int i = 0; i < parts; i++) {
            float[] g = ws.floats(stateGradSlot[i], bh);
            if (dState == null) {
                Arrays.fill(g, 0, bh, 0f);
            } else {
                System.arraycopy(dState.part(i), 0, g, 0, bh);
            }
        }
        float[] dxp = ws.floats(DXP, rows * w.width);
        for (int v : computed) {
            ws.floats(gradSlot[v], (gradAllSteps[v] ? rows : bt) * cols[v]);
        }
        for (int t = steps - 1; t >= 0; t--) {
            Arrays.fill(dxp, t * bt * w.width, (t + 1) * bt * w.width, 0f);
            for (int v : computed) {
                int off = gradAllSteps[v] ? t * bt * cols[v] : 0;
                Arrays.fill(grad(v), off, off + bt * cols[v], 0f);
            }
            // The gradient reaching each new state part: carried from step t+1, plus dOut_t for H.
            for (int i = 0; i < parts; i++) {
                int o = outputs[i];
                float[] carried = ws.floats(stateGradSlot[i], 0);
                if (i == 0) {
                    ops.addBlock(bt, hidden, 1f, carried, 0, hidden, 1f, dOutputs, t * bh, hidden,
                            grad(o), gradOff(o, t), gradLd[o]);
                } else {
                    ops.affineBlock(bt, hidden, 1f, carried, 0, hidden, 0f, grad(o), gradOff(o, t), gradLd[o]);
                }
                Arrays.fill(carried, 0, bh, 0f);
            }
            for (int k = op.length - 1; k >= 0; k--) {
                backwardStep(k, t);
            }
            if (GradientGroups.queuedAt(t + 1, steps)) {
                recurrentGradients(t, GradientGroups.STEPS, true);
            }
        }
        ops.sumRows(rows, w.width, dxp, 0, w.width, w.b.grad(), 0);
        float[] dxs = w.inputBackward(rows, dxp, ws, DX);
        ops.awaitBackground();
        recurrentGradients(0, GradientGroups.last(steps), false);
        if (dState != null) {
            for (int i = 0; i < parts; i++) {
                System.arraycopy(ws.floats(stateGradSlot[i], 0), 0, dState.part(i), 0, bh);
            }
        }
        return dxs;
    }

    private float[] grad(int v) {
        return ws.floats(gradSlot[v], 0);
    }

    private int gradOff(int v, int t) {
        return (gradAllSteps[v] ? t * batch * gradLd[v] : 0) + gradCol[v];
    }

    /**
     * The recurrent weight gradients of steps [t0, t0 + count) (0-based), dW_h += Aᵀ·dOut for each
     * recurrent product, queued beside the steps still to go or computed at once; see {@link GradientGroups}.
     */
    private void recurrentGradients(int t0, int count, boolean queued) {
        int rows = count * batch;
        for (int k = 0; k < op.length; k++) {
            if (op[k] == Op.RECURRENT) {
                int x = a[k];
                int o = out[k];
                if (queued) {
                    ops.gemmBackground(true, false, hidden, cols[o], rows, val(x), valOff(x, t0), valLd[x],
                            grad(o), gradOff(o, t0), gradLd[o], w.wh.grad(), recFirst[k] * hidden, w.width);
                } else {
                    ops.gemm(true, false, hidden, cols[o], rows, val(x), valOff(x, t0), valLd[x],
                            grad(o), gradOff(o, t0), gradLd[o], 1f, w.wh.grad(), recFirst[k] * hidden, w.width);
                }
            }
        }
    }

    /** The derivative of operation {@code k} at step {@code t}: adds its output's gradient into its operands'. */
    private void backwardStep(int k, int t) {
        int bt = batch;
        int o = out[k];
        int x = a[k];
        int c = cols[o];
        float[] go = grad(o);
        int goOff = gradOff(o, t);
        int ldo = gradLd[o];
        float[] gx = grad(x);
        int gxOff = gradOff(x, t);
        int ldx = gradLd[x];
        switch (op[k]) {
            case ADD, SUB, COPY, ONE_MINUS -> {
                // d(a ± b) = da ± db; d(1 − a) = −da
                ops.addBlock(bt, c, op[k] == Op.ONE_MINUS ? -1f : 1f, go, goOff, ldo, 1f, gx, gxOff, ldx, gx, gxOff, ldx);
                if (op[k] == Op.ADD || op[k] == Op.SUB) {
                    int y = b[k];
                    ops.addBlock(bt, c, op[k] == Op.ADD ? 1f : -1f, go, goOff, ldo, 1f,
                            grad(y), gradOff(y, t), gradLd[y], grad(y), gradOff(y, t), gradLd[y]);
                }
            }
            case MUL -> {
                // d(a ⊙ b) = da ⊙ b + a ⊙ db
                int y = b[k];
                ops.mulBlock(bt, c, go, goOff, ldo, val(y), valOff(y, t), valLd[y], 1f, gx, gxOff, ldx);
                ops.mulBlock(bt, c, go, goOff, ldo, val(x), valOff(x, t), valLd[x], 1f,
                        grad(y), gradOff(y, t), gradLd[y]);
            }
            case ACTIVATION -> // dz = dy ⊙ f'(z), from the output y = f(z)
                    ops.activationBackwardBlock(act[k], bt, c, val(o), valOff(o, t), valLd[o], go, goOff, ldo,
                            1f, gx, gxOff, ldx);
            case RECURRENT -> // d(v·W) = dOut·Wᵀ for v; W's gradient is summed over all steps after the loop
                    recurrent[k].multiply(bt, go, goOff, ldo, 1f, gx, gxOff, ldx);
        }
    }

    // ------------------------------------------------------------------ shape

    @Override
    public int stateParts() {
        return parts;
    }

    @Override
    public int inputSize() {
        return w.in;
    }

    @Override
    public int hiddenSize() {
        return hidden;
    }

    @Override
    public List<Parameter> parameters() {
        return w.parameters();
    }

    @Override
    public int outputOffset() {
        return batch * hidden;
    }
}
