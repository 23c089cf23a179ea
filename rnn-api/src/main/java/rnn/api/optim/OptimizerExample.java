package rnn.api.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A worked example of an update rule, computed by hand (written out in the provider's javadoc), that
 * the test kit holds the provider's optimizer to on every backend: start one parameter at
 * {@code theta0}, take one step per gradient in {@code gradients} at {@code learningRate}, and expect
 * {@code expectedTheta} within {@code tolerance} (absolute, per element).
 *
 * <p>Take at least two steps, so that state (momentum, moments, step counts) is exercised, and
 * hyperparameter values that are not the defaults where they change the result, so that a value
 * that does not reach the rule is caught. The tolerance covers float32 rounding (a few ulps of the
 * values involved), not a different formula.
 *
 * @param learningRate  the rate of every step
 * @param values        hyperparameters the example sets; the others take their defaults
 * @param theta0        the parameter before the first step
 * @param gradients     one gradient per step, each as long as {@code theta0}
 * @param expectedTheta the parameter after the last step
 * @param tolerance     largest accepted |actual − expected| per element
 */
public record OptimizerExample(double learningRate, Map<String, Double> values, float[] theta0, List<float[]> gradients,
                               float[] expectedTheta, double tolerance) {

    public OptimizerExample {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("example learning rate must be positive and finite, got " + learningRate);
        }
        if (theta0 == null || gradients == null || expectedTheta == null || values == null) {
            throw new IllegalArgumentException("an example needs values, theta0, gradients and the expected theta");
        }
        if (gradients.isEmpty()) {
            throw new IllegalArgumentException("an example needs at least one gradient");
        }
        for (float[] g : gradients) {
            if (g.length != theta0.length) {
                throw new IllegalArgumentException("every gradient must have theta0's " + theta0.length + " elements");
            }
        }
        if (expectedTheta.length != theta0.length) {
            throw new IllegalArgumentException("the expected theta must have theta0's " + theta0.length + " elements");
        }
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("example tolerance must be positive and finite, got " + tolerance);
        }
        values = Map.copyOf(values);
        theta0 = theta0.clone();
        gradients = gradients.stream().map(float[]::clone).toList();
        expectedTheta = expectedTheta.clone();
    }

    @Override
    public float[] theta0() {
        return theta0.clone();
    }

    @Override
    public List<float[]> gradients() {
        return gradients.stream().map(float[]::clone).toList();
    }

    @Override
    public float[] expectedTheta() {
        return expectedTheta.clone();
    }

    @Override
    public String toString() {
        return "OptimizerExample[lr=" + learningRate + ", values=" + values + ", theta0=" + Arrays.toString(theta0)
                + ", " + gradients.size() + " step(s), expected=" + Arrays.toString(expectedTheta)
                + ", tolerance=" + tolerance + "]";
    }
}
