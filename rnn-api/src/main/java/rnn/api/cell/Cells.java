package rnn.api.cell;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;
import rnn.api.NamedProviders;

/**
 * The cells on the module path (or class path), by name, and the one way to make a layer of any of
 * them. An unknown name fails with the list of known ones.
 */
public final class Cells {

    private static final class Loaded { // loaded on first use, once
        static final NamedProviders<CellProvider> ALL =
                NamedProviders.load("cell", CellProvider.class, CellProvider::name);
    }

    private Cells() {
    }

    /** Every cell provider found, by name. */
    public static List<CellProvider> all() {
        return Loaded.ALL.all();
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the available cells
     */
    public static CellProvider forName(String name) {
        return Loaded.ALL.forName(name);
    }

    /** {@code given} checked against the provider's hyperparameters, defaults filled in. */
    public static Map<String, Double> resolve(CellProvider provider, Map<String, ?> given) {
        return Hyperparameter.resolve("cell " + provider.name(), provider.hyperparameters(), given);
    }

    /** A layer of the provider's cell for these (resolved or partial) hyperparameter values. */
    public static RecurrentLayer layer(CellProvider provider, Map<String, ?> values, LayerSpec spec) {
        Map<String, Double> resolved = resolve(provider, values);
        Cell cell = provider.create(resolved);
        return switch (cell) {
            case StepCell s -> stepLayer(provider, s, spec);
            case FusedCell f -> {
                RecurrentLayer l = f.layer(spec);
                if (l.stateParts() != provider.stateParts().size() || l.hiddenSize() != spec.hiddenSize()
                        || l.inputSize() != spec.inputSize()) {
                    throw new IllegalStateException("cell " + provider.name() + " made a layer of another shape than asked");
                }
                yield l;
            }
        };
    }

    /**
     * A layer of {@code cell}, written in the step language, with the provider's gates and state parts:
     * the framework replays its step and derives its backward. How a fused cell's step form is run.
     */
    public static RecurrentLayer stepLayer(CellProvider provider, StepCell cell, LayerSpec spec) {
        return new DerivedLayer(cell, provider.name(), provider.gates().size(), provider.stateParts().size(), spec);
    }

    /**
     * A hand-written cell seen through its {@linkplain CellProvider#stepForm step form}: the same name,
     * gates, state parts and settings, with the backward derived. For checking one against the other,
     * and timing them side by side.
     *
     * @throws IllegalArgumentException if the cell has no step form
     */
    public static CellProvider stepFormOf(CellProvider fused) {
        Map<String, Double> defaults = resolve(fused, Map.of());
        if (fused.stepForm(defaults).isEmpty()) {
            throw new IllegalArgumentException("cell " + fused.name() + " has no step form");
        }
        return new StepFormOf(fused);
    }

    private record StepFormOf(CellProvider fused) implements CellProvider {
        @Override
        public String name() {
            return fused.name();
        }

        @Override
        public String description() {
            return "the step form of " + fused.name() + ", backward derived";
        }

        @Override
        public List<String> gates() {
            return fused.gates();
        }

        @Override
        public List<String> stateParts() {
            return fused.stateParts();
        }

        @Override
        public List<Hyperparameter> hyperparameters() {
            return fused.hyperparameters();
        }

        @Override
        public Cell create(Map<String, Double> values) {
            return fused.stepForm(values).orElseThrow();
        }
    }
}
