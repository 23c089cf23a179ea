package rnn.api.optim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import rnn.api.Hyperparameter;
import rnn.api.NamedProviders;

/**
 * The optimizers found with {@link java.util.ServiceLoader} on the module path and class path, by
 * name: the seven built into {@code rnn.api} ({@code sgd}, {@code momentum}, {@code nesterov},
 * {@code adagrad}, {@code rmsprop}, {@code adam}, {@code adamw}) and any plug-in. Discovery runs once,
 * on first use; a broken provider or a second one of the same name is skipped with one warning.
 */
public final class Optimizers {

    private Optimizers() {
    }

    private static final class Loaded {
        static final NamedProviders<OptimizerProvider> PROVIDERS =
                NamedProviders.load("optimizer", OptimizerProvider.class, OptimizerProvider::name);
    }

    /** Every provider, by name. */
    public static List<OptimizerProvider> all() {
        return Loaded.PROVIDERS.all();
    }

    public static List<String> names() {
        return Loaded.PROVIDERS.names();
    }

    public static Optional<OptimizerProvider> find(String name) {
        return Loaded.PROVIDERS.find(name);
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the available names
     */
    public static OptimizerProvider forName(String name) {
        return Loaded.PROVIDERS.forName(name);
    }

    /**
     * Resolves {@code given} (numbers, or text as from a command line) against the provider's
     * hyperparameters and creates the optimizer; keys not given take their defaults.
     *
     * @throws IllegalArgumentException for an unknown name, an unknown key (the message lists the valid ones),
     *                                  a value that is not a number or out of range, or a bad learning rate
     */
    public static Optimizer create(String name, double learningRate, Map<String, ?> given) {
        OptimizerProvider p = forName(name);
        return p.create(learningRate, Hyperparameter.resolve(owner(p), p.hyperparameters(), given));
    }

    /** How messages name a provider's settings: {@code optimizer adam}. */
    public static String owner(OptimizerProvider provider) {
        return "optimizer " + provider.name();
    }
}
