package rnn.api.optim;

import java.util.List;
import java.util.Map;

import rnn.api.Hyperparameter;

/**
 * An optimizer plug-in, found by name the way Lucene finds codecs ({@link Optimizers#forName}): a
 * module declares {@code provides rnn.api.optim.OptimizerProvider with its.Provider} (and ships
 * {@code META-INF/services/rnn.api.optim.OptimizerProvider} for the class path). The name is written
 * into model files, so resuming finds the same plug-in again. The provider is the descriptor; the
 * {@link Optimizer} it creates does the work.
 *
 * <p>A provider's test implements {@code rnn.testkit.OptimizerContract} and inherits the whole suite.
 * Providers must be stateless and safe to share between threads.
 */
public interface OptimizerProvider {

    /** What users type ({@code --optimizer NAME}) and model files store: ASCII letters, digits, {@code -} and {@code _}. */
    String name();

    /** One line for listings, e.g. {@code Adam (Kingma and Ba), L2 weight decay on the gradient}. */
    String description();

    /** The settings it takes, in the order listings show them; each with its default and range. May be empty. */
    List<Hyperparameter> hyperparameters();

    /**
     * A new optimizer.
     *
     * @param learningRate the initial rate, positive and finite (a schedule may change it later)
     * @param values       already resolved with {@link Hyperparameter#resolve}: every declared key present, each in
     *                     range
     * @throws IllegalArgumentException for a rate that is not positive and finite, or a combination of values
     *                                  the rule cannot take
     */
    Optimizer create(double learningRate, Map<String, Double> values);

    /** A worked example of the update rule, computed by hand, that the test kit holds {@link #create} to. */
    OptimizerExample example();
}
