package rnn.api.cell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import rnn.api.Activation;

/**
 * One step of a {@link StepCell}, recorded once: the values ({@link Step.Var}s) and the operations that
 * make them, in order. {@link DerivedLayer} replays it forward over the steps and in reverse for
 * backward. Every operation makes a new value; slices are views of their parent.
 */
final class StepProgram implements Step {

    enum Kind { STATE, INPUT, SLICE, COMPUTED }

    /** The operations; each has its derivative in {@link DerivedLayer#backwardStep}. */
    enum Op { ADD, SUB, MUL, ONE_MINUS, ACTIVATION, RECURRENT, COPY }

    final int gates;
    final int stateParts;

    // Values, by id.
    final List<Kind> kinds = new ArrayList<>();
    final List<Integer> widths = new ArrayList<>();   // in gate blocks
    final List<Integer> parents = new ArrayList<>();  // SLICE: parent id; else -1
    final List<Integer> firsts = new ArrayList<>();   // SLICE: first block; STATE: part; else 0

    // Operations, in order; each makes value out[k] from a[k] (and b[k]).
    final List<Op> ops = new ArrayList<>();
    final List<Integer> outs = new ArrayList<>();
    final List<Integer> as = new ArrayList<>();
    final List<Integer> bs = new ArrayList<>();
    final List<Activation> activations = new ArrayList<>();
    final List<Integer> recFirst = new ArrayList<>(); // RECURRENT: first gate block of W_h

    final int[] outputs;
    private final Var[] states;
    private Var input;
    private boolean sealed;

    private StepProgram(int gates, int stateParts) {
        this.gates = gates;
        this.stateParts = stateParts;
        this.outputs = new int[stateParts];
        Arrays.fill(outputs, -1);
        this.states = new Var[stateParts];
    }

    /** Records {@code cell}'s step and checks it; every state part must be set once. */
    static StepProgram record(StepCell cell, int gates, int stateParts, String name) {
        if (gates < 1 || stateParts < 1) {
            throw new IllegalArgumentException("cell " + name + " needs at least one gate and one state part");
        }
        StepProgram p = new StepProgram(gates, stateParts);
        try {
            cell.step(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell " + name + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < stateParts; i++) {
            if (p.outputs[i] < 0) {
                throw new IllegalArgumentException("cell " + name + ": its step never sets state part " + i
                        + " (call output(" + i + ", value))");
            }
        }
        // An output must own its storage (it becomes the next step's state): copy views, inputs,
        // states and values that are already another part's output.
        boolean[] taken = new boolean[p.kinds.size()];
        for (int i = 0; i < stateParts; i++) {
            int v = p.outputs[i];
            if (p.kinds.get(v) != Kind.COMPUTED || taken[v]) {
                v = p.op(Op.COPY, v, -1, null, 0, 1).id;
                p.outputs[i] = v;
                taken = Arrays.copyOf(taken, p.kinds.size());
            }
            taken[v] = true;
        }
        p.sealed = true;
        return p;
    }

    int size() {
        return kinds.size();
    }

    private Var value(Kind kind, int width, int parent, int first) {
        kinds.add(kind);
        widths.add(width);
        parents.add(parent);
        firsts.add(first);
        return new Var(this, kinds.size() - 1, width);
    }

    private Var op(Op op, int a, int b, Activation f, int first, int width) {
        Var out = value(Kind.COMPUTED, width, -1, 0);
        ops.add(op);
        outs.add(out.id);
        as.add(a);
        bs.add(b);
        activations.add(f);
        recFirst.add(first);
        return out;
    }

    private Var own(Var v, String what) {
        if (sealed) {
            throw new IllegalStateException("the step was already recorded");
        }
        if (v == null || v.owner != this) {
            throw new IllegalArgumentException(what + ": a value of another step or null");
        }
        return v;
    }

    private Var same(Op op, Var a, Var b) {
        own(a, op.name().toLowerCase());
        own(b, op.name().toLowerCase());
        if (a.blocks != b.blocks) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " needs equal widths, got " + a + " and " + b);
        }
        return op(op, a.id, b.id, null, 0, a.blocks);
    }

    @Override
    public Var state(int part) {
        if (part < 0 || part >= stateParts) {
            throw new IllegalArgumentException("state part " + part + " is outside [0, " + stateParts + ")");
        }
        if (states[part] == null) {
            states[part] = value(Kind.STATE, 1, -1, part);
        }
        return states[part];
    }

    @Override
    public Var input() {
        if (input == null) {
            input = value(Kind.INPUT, gates, -1, 0);
        }
        return input;
    }

    @Override
    public Var recurrent(Var v, int first, int count) {
        own(v, "recurrent");
        if (v.blocks != 1) {
            throw new IllegalArgumentException("recurrent multiplies a one-block value by W_h, got " + v);
        }
        if (first < 0 || count < 1 || first + count > gates) {
            throw new IllegalArgumentException("recurrent blocks [" + first + ", " + (first + count)
                    + ") are outside the " + gates + " gates");
        }
        return op(Op.RECURRENT, v.id, -1, null, first, count);
    }

    @Override
    public Var blocks(Var v, int first, int count) {
        own(v, "blocks");
        if (first < 0 || count < 1 || first + count > v.blocks) {
            throw new IllegalArgumentException("blocks [" + first + ", " + (first + count) + ") are outside " + v);
        }
        if (first == 0 && count == v.blocks) {
            return v;
        }
        // A slice of a slice is a slice of the root value.
        int parent = v.id;
        int offset = first;
        if (kinds.get(parent) == Kind.SLICE) {
            offset += firsts.get(parent);
            parent = parents.get(parent);
        }
        return value(Kind.SLICE, count, parent, offset);
    }

    @Override
    public Var add(Var a, Var b) {
        return same(Op.ADD, a, b);
    }

    @Override
    public Var sub(Var a, Var b) {
        return same(Op.SUB, a, b);
    }

    @Override
    public Var mul(Var a, Var b) {
        return same(Op.MUL, a, b);
    }

    @Override
    public Var oneMinus(Var a) {
        own(a, "oneMinus");
        return op(Op.ONE_MINUS, a.id, -1, null, 0, a.blocks);
    }

    @Override
    public Var sigmoid(Var a) {
        return activation(Activation.SIGMOID, a);
    }

    @Override
    public Var tanh(Var a) {
        return activation(Activation.TANH, a);
    }

    @Override
    public Var relu(Var a) {
        return activation(Activation.RELU, a);
    }

    private Var activation(Activation f, Var a) {
        own(a, f.name().toLowerCase());
        return op(Op.ACTIVATION, a.id, -1, f, 0, a.blocks);
    }

    @Override
    public void output(int part, Var v) {
        own(v, "output");
        if (part < 0 || part >= stateParts) {
            throw new IllegalArgumentException("state part " + part + " is outside [0, " + stateParts + ")");
        }
        if (outputs[part] >= 0) {
            throw new IllegalArgumentException("state part " + part + " is set twice");
        }
        if (v.blocks != 1) {
            throw new IllegalArgumentException("a state part is one block wide, got " + v);
        }
        outputs[part] = v.id;
    }
}
