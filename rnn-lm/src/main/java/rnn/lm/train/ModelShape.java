package rnn.lm.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import rnn.api.Backend;
import rnn.api.Parameter;
import rnn.api.Rng;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.api.cell.LayerSpec;

/**
 * The parameter tensors a language model of a configuration has, names and shapes, worked out from the
 * sizes alone: nothing of the model's size is allocated, and every product is taken in {@code long}, so
 * that a size too large to build (or a model file's metadata that its tensors do not back) can be named and
 * refused before anything is made from it.
 *
 * <p>The shapes follow {@link CellProvider}'s contract for every layer, {@code W_x [in, G·H]},
 * {@code W_h [H, G·H]}, {@code b [G·H]}, in {@link rnn.api.nn.RecurrentNet}'s order: the embedding
 * {@code E [V, D]} if any, the layers (prefixed {@code l0.}, {@code l1.}, … when there are several), then
 * {@code W_hq [H, V]} and {@code b_q [V]}. A cell names its own three tensors (the RNN's are
 * {@code W_xh}, {@code W_hh}, {@code b_h}): they are read from a one-unit layer of the cell, a few floats.
 * A plug-in cell whose layer does not keep that layout is {@linkplain #conventional() marked}: its
 * tensors are then estimated by the layout and checked only once the model is built.
 */
final class ModelShape {

    /** One parameter tensor: its name and shape. */
    record Tensor(String name, long[] shape) {

        /** The number of elements, saturating at {@link Long#MAX_VALUE} (a product of two ints cannot overflow, three can). */
        long elements() {
            long n = 1;
            for (long d : shape) {
                n = saturatedProduct(n, d);
            }
            return n;
        }

        String describe() {
            return name + " " + Arrays.toString(shape);
        }
    }

    private final ModelConfig config;
    private final CellProvider cell;
    private final int vocabulary;
    private final String[] layerNames;
    private final boolean conventional;

    private ModelShape(ModelConfig config, CellProvider cell, int vocabulary, String[] layerNames, boolean conventional) {
        this.config = config;
        this.cell = cell;
        this.vocabulary = vocabulary;
        this.layerNames = layerNames;
        this.conventional = conventional;
    }

    /**
     * The shape of a model of {@code config} over {@code vocabulary} tokens.
     *
     * @param backend builds the one-unit layer that tells the cell's tensor names
     * @throws IllegalArgumentException for an unknown cell or a bad cell option (the message lists the valid ones)
     */
    static ModelShape of(ModelConfig config, int vocabulary, Backend backend) {
        if (vocabulary < 1) {
            throw new IllegalArgumentException("the vocabulary must hold at least one token, got " + vocabulary);
        }
        CellProvider cell = Cells.forName(config.cell());
        Map<String, Double> options = Cells.resolve(cell, config.cellOptions());
        int gates = cell.gates().size();
        List<Parameter> probe = Cells.layer(cell, options, new LayerSpec(backend, 1, 1, config.init(), new Rng(0), ""))
                .parameters();
        boolean conventional = probe.size() == 3
                && Arrays.equals(probe.get(0).shape(), new int[] {1, gates})
                && Arrays.equals(probe.get(1).shape(), new int[] {1, gates})
                && Arrays.equals(probe.get(2).shape(), new int[] {gates});
        String[] names = conventional ? probe.stream().map(Parameter::name).toArray(String[]::new)
                : new String[] {"W_x", "W_h", "b"};
        return new ModelShape(config, cell, vocabulary, names, conventional);
    }

    ModelConfig config() {
        return config;
    }

    CellProvider cell() {
        return cell;
    }

    int vocabulary() {
        return vocabulary;
    }

    /** G, the gate blocks of the fused weights. */
    int gates() {
        return cell.gates().size();
    }

    /** The state parts a layer carries (H, and C for an LSTM). */
    int stateParts() {
        return cell.stateParts().size();
    }

    /** Whether the cell's layers keep the fused layout, so that {@link #forEach} lists their tensors exactly. */
    boolean conventional() {
        return conventional;
    }

    /** The name prefix of layer {@code l}: none for a single layer, else {@code l0.}, {@code l1.}, … */
    String prefix(int layer) {
        return config.layers() == 1 ? "" : "l" + layer + ".";
    }

    /** The input width of layer {@code l}: the embedding (or the vocabulary, one-hot) for the first, H after. */
    long layerInput(int layer) {
        return layer > 0 ? config.hidden() : config.embedding() > 0 ? config.embedding() : vocabulary;
    }

    /** Tensor {@code k} (0: W_x, 1: W_h, 2: b) of layer {@code l}. */
    Tensor layerTensor(int layer, int k) {
        long width = (long) gates() * config.hidden();
        long[] shape = switch (k) {
            case 0 -> new long[] {layerInput(layer), width};
            case 1 -> new long[] {config.hidden(), width};
            case 2 -> new long[] {width};
            default -> throw new IllegalArgumentException("a layer has tensors 0 to 2, not " + k);
        };
        return new Tensor(prefix(layer) + layerNames[k], shape);
    }

    /** The embedding {@code E [V, D]}, or null without one. */
    Tensor embedding() {
        return config.embedding() > 0 ? new Tensor("E", new long[] {vocabulary, config.embedding()}) : null;
    }

    Tensor outputWeights() {
        return new Tensor("W_hq", new long[] {config.hidden(), vocabulary});
    }

    Tensor outputBias() {
        return new Tensor("b_q", new long[] {vocabulary});
    }

    /**
     * Every tensor, in the network's order. This makes three records per layer: call it only once the
     * layer count is known to be modest (checked against a file, or by {@link MemoryEstimate}).
     */
    void forEach(BiConsumer<String, long[]> action) {
        Tensor e = embedding();
        if (e != null) {
            action.accept(e.name(), e.shape());
        }
        for (int l = 0; l < config.layers(); l++) {
            for (int k = 0; k < 3; k++) {
                Tensor t = layerTensor(l, k);
                action.accept(t.name(), t.shape());
            }
        }
        action.accept("W_hq", outputWeights().shape());
        action.accept("b_q", outputBias().shape());
    }

    /** The number of parameters, saturating at {@link Long#MAX_VALUE}. */
    long parameters() {
        long n = 0;
        Tensor e = embedding();
        if (e != null) {
            n = saturatedSum(n, e.elements());
        }
        long first = 0;
        long other = 0;
        for (int k = 0; k < 3; k++) {
            first = saturatedSum(first, layerTensor(0, k).elements());
            other = saturatedSum(other, config.layers() > 1 ? layerTensor(1, k).elements() : 0);
        }
        n = saturatedSum(n, first);
        n = saturatedSum(n, saturatedProduct(other, config.layers() - 1L));
        n = saturatedSum(n, outputWeights().elements());
        return saturatedSum(n, outputBias().elements());
    }

    /** {@code a·b} for non-negative sizes, or {@link Long#MAX_VALUE} if that does not fit: "too large" either way. */
    static long saturatedProduct(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /** {@code a + b} for non-negative sizes, or {@link Long#MAX_VALUE} if that does not fit. */
    static long saturatedSum(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
