package rnn.lm.train;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import rnn.api.NamedProviders;
import rnn.api.cell.Init;

/**
 * The shape of a language model.
 *
 * @param cell        recurrent cell, by provider name ({@link rnn.api.cell.Cells#forName})
 * @param cellOptions the cell's hyperparameters (unset ones take the cell's defaults)
 * @param hidden     hidden units per layer
 * @param layers     stacked recurrent layers
 * @param init       weight initialisation (d2l: normal, std 0.01)
 * @param dropout    inverted dropout between stacked layers during training, in [0, 1)
 * @param embedding  width of a learned input embedding, or 0 for one-hot input straight into the cell
 */
public record ModelConfig(String cell, Map<String, Double> cellOptions, int hidden, int layers, Init init,
                          double dropout, int embedding) {

    public ModelConfig {
        NamedProviders.checkName("cell", cell);
        if (cellOptions == null || init == null) {
            throw new IllegalArgumentException("cell options and init must be given");
        }
        cellOptions = Collections.unmodifiableMap(new TreeMap<>(cellOptions));
        positive("hidden", hidden);
        positive("layers", layers);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (embedding < 0) {
            throw new IllegalArgumentException("embedding must be ≥ 0 (0 = none), got " + embedding);
        }
    }

    /** d2l's from-scratch model: one tanh RNN layer, normal(0, 0.01). */
    public static ModelConfig d2l(int hidden) {
        return new ModelConfig("rnn", Map.of(), hidden, 1, new Init.Normal(0.01), 0, 0);
    }

    public ModelConfig withCell(String c, Map<String, Double> options) {
        return new ModelConfig(c, options, hidden, layers, init, dropout, embedding);
    }

    /** {@code normal:STD}, {@code uniform:A} or {@code xavier}: the form {@link #parseInit} reads. */
    public static String formatInit(Init init) {
        return switch (init) {
            case Init.Normal n -> "normal:" + n.std();
            case Init.Uniform u -> "uniform:" + u.a();
            case Init.Xavier x -> "xavier";
        };
    }

    public static Init parseInit(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("xavier")) {
                return new Init.Xavier();
            }
            if (s.startsWith("normal:")) {
                return new Init.Normal(Double.parseDouble(s.substring(7)));
            }
            if (s.startsWith("uniform:")) {
                return new Init.Uniform(Double.parseDouble(s.substring(8)));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown init '" + spec + "'; use normal:STD (d2l: normal:0.01), "
                + "uniform:A (char-rnn: uniform:0.08) or xavier");
    }

    static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }
}
