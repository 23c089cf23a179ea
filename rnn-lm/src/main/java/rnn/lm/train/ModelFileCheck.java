package rnn.lm.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;

/**
 * A model file's metadata checked against the tensors the file actually holds, before a model is built
 * from the metadata: the model's arrays are sized by {@code hidden}, {@code layers}, {@code embedding} and
 * the vocabulary, so a small file whose metadata says {@code layers: 100000} or {@code hidden: 2000000000}
 * must be refused here, not after allocating for it. Once every size is backed by a tensor of that size,
 * building the model allocates no more than the file's tensors twice over (values and gradients).
 *
 * <p>Also refuses weights that are not finite: {@link ModelFile#save} never writes them, so a NaN or an
 * infinity comes from a damaged file or another tool, and would otherwise only show as garbage text.
 */
final class ModelFileCheck {

    private ModelFileCheck() {
    }

    /**
     * The model's weights in {@code weights} (optimizer state taken out), checked against {@code shape}.
     *
     * @throws CheckpointException naming the first size or tensor that disagrees
     */
    static void tensorsMatch(Path file, ModelShape shape, Map<String, Safetensors.Tensor> weights)
            throws CheckpointException {
        ModelConfig c = shape.config();
        int[] bq = require(file, weights, "b_q", 1);
        if (bq[0] != shape.vocabulary()) {
            throw new CheckpointException(file + ": its vocabulary has " + shape.vocabulary() + " tokens, but its output bias b_q "
                    + "holds " + bq[0] + " values");
        }
        int[] whq = require(file, weights, "W_hq", 2);
        if (whq[0] != c.hidden() || whq[1] != shape.vocabulary()) {
            throw new CheckpointException(file + ": model metadata says hidden " + c.hidden() + " and a vocabulary of "
                    + shape.vocabulary() + ", but the output weights W_hq have shape " + Arrays.toString(whq)
                    + " (hidden " + whq[0] + ")");
        }
        if (c.embedding() > 0) {
            int[] e = require(file, weights, "E", 2);
            if (e[0] != shape.vocabulary() || e[1] != c.embedding()) {
                throw new CheckpointException(file + ": model metadata says embedding " + c.embedding()
                        + ", but the embedding E has shape " + Arrays.toString(e) + ", expected [" + shape.vocabulary()
                        + ", " + c.embedding() + "]");
            }
        } else if (weights.containsKey("E")) {
            throw new CheckpointException(file + ": model metadata says embedding 0 (none), but the file holds an embedding E "
                    + "of shape " + Arrays.toString(weights.get("E").shape()));
        }
        layersMatch(file, c.layers(), weights);
        // Only now is the layer count bounded by the tensors present, so listing the expected ones is cheap.
        if (shape.conventional()) {
            Map<String, long[]> expected = new LinkedHashMap<>();
            shape.forEach(expected::put);
            for (Map.Entry<String, long[]> x : expected.entrySet()) {
                Safetensors.Tensor t = weights.get(x.getKey());
                if (t == null) {
                    throw new CheckpointException(file + ": missing tensor " + x.getKey() + " (expected shape "
                            + Arrays.toString(x.getValue()) + " for the " + c.cell() + " cell, hidden " + c.hidden() + ")");
                }
                if (!Arrays.equals(Arrays.stream(t.shape()).asLongStream().toArray(), x.getValue())) {
                    throw new CheckpointException(file + ": tensor " + x.getKey() + " has shape " + Arrays.toString(t.shape())
                            + ", but model metadata (" + c.cell() + " cell, hidden " + c.hidden() + ", vocabulary "
                            + shape.vocabulary() + ") says " + Arrays.toString(x.getValue()));
                }
            }
            for (String name : weights.keySet()) {
                if (!expected.containsKey(name)) {
                    throw new CheckpointException(file + ": unexpected tensor " + name + " with shape "
                            + Arrays.toString(weights.get(name).shape()) + " (a " + c.cell() + " model of this metadata has "
                            + "no parameter of that name)");
                }
            }
        }
    }

    /** The shape of tensor {@code name}, which must be there with {@code rank} dimensions. */
    private static int[] require(Path file, Map<String, Safetensors.Tensor> weights, String name, int rank)
            throws CheckpointException {
        Safetensors.Tensor t = weights.get(name);
        if (t == null) {
            throw new CheckpointException(file + ": missing tensor " + name + ", which every model file holds");
        }
        int[] shape = t.shape();
        if (shape.length != rank) {
            throw new CheckpointException(file + ": tensor " + name + " has shape " + Arrays.toString(shape) + "; it must have "
                    + rank + " dimension" + (rank == 1 ? "" : "s"));
        }
        return shape;
    }

    /**
     * The layers present: a single layer's tensors have no prefix, a stack's are {@code l0.}, {@code l1.}, …;
     * the metadata's count must be exactly the layers present.
     */
    private static void layersMatch(Path file, int layers, Map<String, Safetensors.Tensor> weights)
            throws CheckpointException {
        TreeSet<Integer> present = new TreeSet<>();
        boolean unprefixed = false;
        for (String name : weights.keySet()) {
            int layer = layerOf(name);
            if (layer >= 0) {
                present.add(layer);
            } else if (!name.equals("E") && !name.equals("W_hq") && !name.equals("b_q")) {
                unprefixed = true;
            }
        }
        boolean matches = layers == 1 ? present.isEmpty() && unprefixed
                : !unprefixed && present.size() == layers && present.first() == 0 && present.last() == layers - 1;
        if (!matches) {
            String found = !present.isEmpty() ? (unprefixed ? "tensors of a single layer and of layers " : "tensors of layers ")
                    + summary(present) : unprefixed ? "the tensors of 1 layer" : "no layer tensors";
            throw new CheckpointException(file + ": model metadata says " + layers + " layer" + (layers == 1 ? "" : "s")
                    + ", but the file holds " + found);
        }
    }

    /** {@code 3} for a name {@code l3.W_x}; -1 for a name without a layer prefix (or an index beyond an int). */
    static int layerOf(String name) {
        int dot = name.indexOf('.');
        if (dot < 2 || name.charAt(0) != 'l' || dot > 11) {
            return -1;
        }
        long n = 0;
        for (int i = 1; i < dot; i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        // "l01." is not a name the network makes; it would alias l1.
        return n > Integer.MAX_VALUE || (dot > 2 && name.charAt(1) == '0') ? -1 : (int) n;
    }

    private static String summary(TreeSet<Integer> layers) {
        return layers.size() <= 4 ? layers.toString() : layers.size() + " indices from " + layers.first() + " to " + layers.last();
    }

    /**
     * Every value of every tensor (weights and optimizer state) is finite.
     *
     * @throws CheckpointException naming the tensor, the value and where it is
     */
    static void finite(Path file, Map<String, Safetensors.Tensor> tensors) throws CheckpointException {
        for (Map.Entry<String, Safetensors.Tensor> e : tensors.entrySet()) {
            float[] values = e.getValue().data();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    int[] shape = e.getValue().shape();
                    String at = shape.length == 2 ? "row " + i / shape[1] + ", column " + i % shape[1] : "index " + i;
                    throw new CheckpointException(file + ": tensor " + e.getKey() + " holds " + values[i] + " at " + at
                            + " of " + Arrays.toString(shape) + "; a model's weights must be finite (the file is damaged "
                            + "or was written by a diverged run): retrain, or load another model");
                }
            }
        }
    }
}
