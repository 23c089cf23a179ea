package rnn.api.cell;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import rnn.api.Hyperparameter;

/**
 * A recurrent cell as {@link java.util.ServiceLoader} finds it: a descriptor with a name, separate
 * from the layers it makes. A module adds a cell with {@code provides rnn.api.cell.CellProvider with …}
 * (and a {@code META-INF/services} entry for the class path); {@link Cells#forName} finds it again,
 * for example when a model file names it.
 *
 * <p>Every cell keeps its weights fused, gate blocks side by side along the columns:
 * {@code W_x [in, G·H]}, {@code W_h [H, G·H]}, {@code b [G·H]}, with {@code G = gates().size()}.
 */
public interface CellProvider {

    /** Unique; ASCII letters, digits, {@code -} and {@code _}, e.g. {@code lstm}. */
    String name();

    /** One line, for listings. */
    String description();

    /** The gate blocks of the fused weights, in column order, e.g. {@code [i, f, o, c]}. */
    List<String> gates();

    /** The state parts the cell carries; part 0 is H, the layer's output. */
    List<String> stateParts();

    /** Settings with their defaults; empty for none. */
    default List<Hyperparameter> hyperparameters() {
        return List.of();
    }

    /**
     * The cell for these hyperparameter values, already {@linkplain Hyperparameter#resolve resolved}:
     * every declared name is present. Either a {@link StepCell}, whose backward the framework derives,
     * or a {@link FusedCell} with hand-written forward and backward.
     */
    Cell create(Map<String, Double> values);

    /**
     * The same cell written in the step language, if a {@link FusedCell} also has that form. The
     * conformance kit checks the hand-written backward against the derived one.
     */
    default Optional<StepCell> stepForm(Map<String, Double> values) {
        return Optional.empty();
    }
}
