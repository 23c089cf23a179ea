package rnn.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named, numeric setting of a plug-in (a cell's forget-gate bias, an optimizer's β₁) with its default
 * and its valid range. Plug-ins declare theirs; {@link #resolve} checks what a user gave against them.
 *
 * @param name         lower-case ASCII letters, digits and {@code _}, e.g. {@code beta1}
 * @param defaultValue used when the user gives none; inside the range
 * @param range        the values that make sense
 * @param description  one line, for listings
 */
public record Hyperparameter(String name, double defaultValue, Range range, String description) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** The ranges hyperparameters here need; each check rejects NaN. */
    public enum Range {
        /** Any finite number. */
        FINITE("a finite number"),
        /** {@code x ≥ 0}, finite. */
        NON_NEGATIVE("non-negative and finite"),
        /** {@code x > 0}, finite. */
        POSITIVE("positive and finite"),
        /** {@code 0 ≤ x < 1} (momentum, decay rates, betas). */
        FRACTION("in [0, 1)");

        private final String text;

        Range(String text) {
            this.text = text;
        }

        public boolean contains(double x) {
            return switch (this) {
                case FINITE -> Double.isFinite(x);
                case NON_NEGATIVE -> x >= 0 && Double.isFinite(x);
                case POSITIVE -> x > 0 && Double.isFinite(x);
                case FRACTION -> x >= 0 && x < 1;
            };
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public Hyperparameter {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("hyperparameter names are lower-case letters, digits and _, got '"
                    + name + "'");
        }
        if (range == null || description == null) {
            throw new IllegalArgumentException(name + ": range and description must be given");
        }
        if (!range.contains(defaultValue)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is not " + range);
        }
    }

    /** {@code value} if it is in range, else an exception that names the owner, the setting and the range. */
    public double check(String owner, double value) {
        if (!range.contains(value)) {
            throw new IllegalArgumentException(owner + " " + name + " must be " + range + ", got " + value);
        }
        return value;
    }

    /**
     * Every declared hyperparameter with its value: the one {@code given} (as text, e.g. from a command
     * line) or the default. The result keeps the declaration order.
     *
     * @param owner what the settings are for, for messages, e.g. {@code cell lstm}
     * @throws IllegalArgumentException for an unknown key (the message lists the valid ones), a value
     *                                  that is not a number, or one out of range
     */
    public static Map<String, Double> resolve(String owner, List<Hyperparameter> declared, Map<String, ?> given) {
        Set<String> known = declared.stream().map(Hyperparameter::name).collect(Collectors.toSet());
        for (String key : given.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + " has no hyperparameter '" + key + "'; "
                        + (declared.isEmpty() ? "it takes none"
                        : "valid: " + declared.stream().map(Hyperparameter::name).collect(Collectors.joining(", "))));
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Hyperparameter h : declared) {
            Object v = given.get(h.name());
            double x;
            if (v == null) {
                x = h.defaultValue();
            } else if (v instanceof Number n) {
                x = n.doubleValue();
            } else {
                try {
                    x = Double.parseDouble(v.toString().strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(owner + " " + h.name() + " must be a number, got '" + v + "'");
                }
            }
            values.put(h.name(), h.check(owner, x));
        }
        return Collections.unmodifiableMap(values);
    }

    /** Values as one line for people, {@code key=value,key=value} in the map's order. */
    public static String format(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
