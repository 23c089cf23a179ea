package rnn.lm.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The memory a language model and its workspaces need, array by array, computed in {@code long} from the
 * sizes alone, so that sizes nothing could hold are refused before any work with the array and its size in
 * bytes ({@code W_hh [30000, 30000] would need 6.7 GiB}) rather than ending in an
 * {@link OutOfMemoryError}, a {@link NegativeArraySizeException} or "integer overflow" half-way.
 *
 * <p>Two limits: a Java array holds at most {@link #MAX_ARRAY} elements whatever the heap, and the
 * whole must fit in {@link Runtime#maxMemory()}. The estimate is a lower bound: the arrays named here are
 * the ones that grow with the model's and the batch's sizes (parameters with their gradients, logits,
 * gate activations); small buffers, an optimizer's state and the JVM's own use come on top. So it only
 * refuses what cannot fit; what it lets through may still run out, which the CLI reports in one line too.
 */
final class MemoryEstimate {

    /** The largest array a HotSpot JVM allocates ({@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * {@code count} arrays of {@code elements} values of {@code bytes} each, described as {@code what}
     * (e.g. {@code W_hh [512, 512] and its gradient}); {@code remedy} says which setting makes them smaller.
     */
    record Part(String what, long elements, int bytes, long count, String remedy) {

        long total() {
            return ModelShape.saturatedProduct(ModelShape.saturatedProduct(elements, bytes), count);
        }
    }

    private final String subject;
    private final List<Part> parts;

    private MemoryEstimate(String subject, List<Part> parts) {
        this.subject = subject;
        this.parts = List.copyOf(parts);
    }

    /** A model's parameters, each with its gradient (the network allocates both, also for inference). */
    static MemoryEstimate model(ModelShape shape) {
        List<Part> parts = new ArrayList<>();
        parameters(shape, 2, "and its gradient", parts);
        return new MemoryEstimate("the model", parts);
    }

    /**
     * Building a model from a file: {@link #model} and the {@code tensorBytes} read from the file, which stay
     * until the model holds its copy.
     */
    static MemoryEstimate loading(ModelShape shape, long tensorBytes) {
        List<Part> parts = new ArrayList<>();
        parameters(shape, 2, "and its gradient", parts);
        parts.add(new Part("the tensors read from the file", tensorBytes / Float.BYTES, Float.BYTES, 1, "a smaller model"));
        return new MemoryEstimate("loading the model", parts);
    }

    /**
     * A training run of {@code batch} × {@code steps}: the parameters with their gradients and the trainer's
     * copy of them at each epoch's start, and the buffers of one step's forward and backward.
     */
    static MemoryEstimate training(ModelShape shape, int batch, int steps) {
        List<Part> parts = new ArrayList<>();
        parameters(shape, 3, "with its gradient and the epoch-start copy", parts);
        workspaces(shape, batch, steps, parts);
        return new MemoryEstimate("training with batch " + batch + " × " + steps + " steps", parts);
    }

    /** {@link #training(ModelShape, int, int)} of an existing model; throws like {@link #require()}. */
    static void requireTraining(LanguageModel model, int batch, int steps) {
        training(ModelShape.of(model.config(), model.vocabulary().size(), model.net().backend()), batch, steps).require();
    }

    private static void parameters(ModelShape shape, int copies, String with, List<Part> parts) {
        ModelConfig c = shape.config();
        String hidden = c.layers() > 1 ? "a smaller --hidden or --layers" : "a smaller --hidden";
        ModelShape.Tensor e = shape.embedding();
        if (e != null) {
            parts.add(new Part(e.describe() + " " + with, e.elements(), Float.BYTES, copies, "a smaller --embedding"));
        }
        for (int k = 0; k < 3; k++) {
            ModelShape.Tensor t = shape.layerTensor(0, k);
            // Layer 0's W_x is [V or D, G·H]: with an embedding, D makes it large as much as H does.
            String remedy = k == 0 && c.embedding() > 0 ? "a smaller --embedding or --hidden" : hidden;
            parts.add(new Part(t.describe() + " " + with, t.elements(), Float.BYTES, copies, remedy));
        }
        if (c.layers() > 1) {
            // Layers 1 … L−1 have one shape: one part each, counted L−1 times, so a huge --layers costs nothing here.
            for (int k = 0; k < 3; k++) {
                ModelShape.Tensor t = shape.layerTensor(1, k);
                String name = t.name().substring(shape.prefix(1).length());
                String what = (c.layers() == 2 ? "l1." + name : "l1." + name + " … l" + (c.layers() - 1) + "." + name)
                        + " " + Arrays.toString(t.shape()) + " " + with;
                parts.add(new Part(what, t.elements(), Float.BYTES, ModelShape.saturatedProduct(copies, c.layers() - 1L),
                        hidden));
            }
        }
        for (ModelShape.Tensor t : List.of(shape.outputWeights(), shape.outputBias())) {
            parts.add(new Part(t.describe() + " " + with, t.elements(), Float.BYTES, copies, "a smaller --hidden"));
        }
    }

    /**
     * The buffers whose size grows with {@code rows = steps·batch}: the network's logits and their gradient
     * {@code [rows, V]}, the hidden gradient {@code [rows, H]}, each layer's gate pre-activations and their
     * gradient {@code [rows, G·H]} (the RNN's states and their gradient, for G = 1), the embedded input, the
     * dropout masks, and the trainer's time-major input and target ids. Each layer's states are
     * {@code [batch, H]}, negligible beside these. (Generation and evaluation run batches of one row or of
     * a validation split's rows, which these bound too.)
     */
    private static void workspaces(ModelShape shape, int batch, int steps, List<Part> parts) {
        ModelConfig c = shape.config();
        long rows = ModelShape.saturatedProduct(batch, steps);
        String dims = "[" + rows + ", ";
        String smaller = "a smaller --batch or --steps";
        parts.add(new Part("input and target ids [" + rows + "]", rows, Integer.BYTES, 2, smaller));
        parts.add(new Part("logits " + dims + shape.vocabulary() + "] and their gradient",
                ModelShape.saturatedProduct(rows, shape.vocabulary()), Float.BYTES, 2, smaller));
        parts.add(new Part("hidden gradient " + dims + c.hidden() + "]", ModelShape.saturatedProduct(rows, c.hidden()),
                Float.BYTES, 1, smaller));
        long width = (long) shape.gates() * c.hidden();
        parts.add(new Part("gate activations " + dims + width + "] and their gradient" + perLayer(c.layers()),
                ModelShape.saturatedProduct(rows, width), Float.BYTES, ModelShape.saturatedProduct(2, c.layers()), smaller));
        if (c.embedding() > 0) {
            parts.add(new Part("embedded input " + dims + c.embedding() + "]", ModelShape.saturatedProduct(rows, c.embedding()),
                    Float.BYTES, 1, smaller));
        }
        if (c.dropout() > 0 && c.layers() > 1) {
            parts.add(new Part("dropout mask and dropped output " + dims + c.hidden() + "]" + perLayer(c.layers() - 1),
                    ModelShape.saturatedProduct(rows, c.hidden()), Float.BYTES,
                    ModelShape.saturatedProduct(2, c.layers() - 1L), smaller));
        }
    }

    /** For a part counted once per layer: the count, so that its bytes (all layers') read right. */
    private static String perLayer(int layers) {
        return layers == 1 ? "" : ", in each of " + layers + " layers";
    }

    /** The parts, largest total first. */
    List<Part> parts() {
        return parts.stream().sorted(Comparator.comparingLong(Part::total).reversed()).toList();
    }

    /** The bytes of every part together, saturating at {@link Long#MAX_VALUE}. */
    long bytes() {
        long sum = 0;
        for (Part p : parts) {
            sum = ModelShape.saturatedSum(sum, p.total());
        }
        return sum;
    }

    /** {@link #require(long)} against this JVM's heap limit. */
    void require() {
        require(Runtime.getRuntime().maxMemory());
    }

    /**
     * Refuses, naming the array, if one array would exceed {@link #MAX_ARRAY} elements or the whole would
     * exceed {@code heap} bytes.
     *
     * @throws IllegalArgumentException with one line: the array, its size in bytes, and what to change
     */
    void require(long heap) {
        for (Part p : parts()) {
            if (p.elements() > MAX_ARRAY) {
                throw new IllegalArgumentException(p.what() + " would need " + size(p.total()) + ", and one array of "
                        + String.format(Locale.ROOT, "%,d", p.elements()) + " elements is more than a Java array holds ("
                        + String.format(Locale.ROOT, "%,d", MAX_ARRAY) + "): use " + p.remedy());
            }
        }
        long total = bytes();
        if (total > heap) {
            Part largest = parts().getFirst();
            throw new IllegalArgumentException(subject + " would need at least " + size(total) + ", more than this JVM's heap "
                    + "of at most " + size(heap) + "; the largest part, " + largest.what() + ", would need "
                    + size(largest.total()) + ": use " + largest.remedy()
                    + (total <= PLAUSIBLE_HEAP ? ", or raise the heap with " + heapOption(total) : ""));
        }
    }

    /** Beyond this, suggesting a larger heap would be no help: no machine this runs on has that much memory. */
    static final long PLAUSIBLE_HEAP = 1L << 40;

    /** The launchers' knob for JVM options ({@code ./rnn} and the image's {@code bin/rnn}), with room to spare. */
    static String heapOption(long bytes) {
        double gib = bytes * 1.5 / (1L << 30);
        return "RNN_JAVA_OPTS=-Xmx" + (gib >= 1 ? (long) Math.ceil(gib) + "g" : (long) Math.ceil(gib * 1024) + "m");
    }

    /** Bytes for people: binary units to one decimal, then the exact count ({@code 6.7 GiB (7,200,000,000 bytes)}). */
    static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        String exact = bytes == Long.MAX_VALUE ? "more than " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE) + " bytes"
                : String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes < 1024) {
            return exact;
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%s)", v, units[u], exact);
    }
}
