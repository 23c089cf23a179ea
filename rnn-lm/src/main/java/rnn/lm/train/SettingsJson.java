package rnn.lm.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import rnn.lm.checkpoint.CheckpointException;

/**
 * A plug-in's hyperparameters in a model file's metadata (the cell's {@code cell_options}, the
 * optimizer's {@code optimizer_hyperparameters}): one flat JSON object of names and numbers, e.g.
 * {@code {"beta1":0.9,"weight_decay":0.0}}, written with {@link Double#toString} so it reads back exactly.
 */
final class SettingsJson {

    private static final Pattern ENTRY = Pattern.compile(
            "\\s*\"([a-z][a-z0-9_]*)\"\\s*:\\s*(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*");

    private SettingsJson() {
    }

    /** {@code {"key":value,...}} with {@link Double#toString}, which reads back exactly. */
    static String write(Map<String, Double> values) {
        StringBuilder b = new StringBuilder("{");
        values.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    static Map<String, Double> read(Path file, String key, String json) throws CheckpointException {
        String s = json.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new CheckpointException(file + ": model metadata '" + key + "' is not a JSON object: " + shorten(json));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        String inner = s.substring(1, s.length() - 1);
        if (inner.isBlank()) {
            return values;
        }
        for (String entry : inner.split(",", -1)) {
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new CheckpointException(file + ": model metadata '" + key
                        + "' is not a JSON object of hyperparameter names and numbers: " + shorten(json));
            }
            if (values.put(m.group(1), Double.parseDouble(m.group(2))) != null) {
                throw new CheckpointException(file + ": model metadata '" + key + "' repeats " + m.group(1));
            }
        }
        return values;
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
