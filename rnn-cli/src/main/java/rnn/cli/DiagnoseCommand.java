package rnn.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.api.Rng;
import rnn.api.cell.Init;
import rnn.api.nn.RecurrentNet;
import rnn.lm.checkpoint.AtomicFiles;
import rnn.lm.text.Corpus;
import rnn.lm.train.GradientDiagnosis;
import rnn.lm.train.LanguageModel;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.ModelFile;

/**
 * {@code rnn diagnose}: how the gradient of the last step's loss fades (or grows) with distance back in
 * time, the product of Jacobians of d2l §9.7, for a saved model or fresh ones; {@code --compare} puts the
 * tanh RNN, GRU and LSTM side by side on the same windows.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure how BPTT gradients vanish or explode with distance back in time (d2l 9.7): "
                + "‖∂ℓ_T/∂h_t‖ and ‖∂h_T/∂h_t‖_F by distance, their decay rate per step, an SVG plot.")
final class DiagnoseCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "A model.safetensors written by 'rnn train' (else a fresh model).")
    Path model;

    @Mixin
    InputOptions input = new InputOptions();

    @Option(names = "--cell", defaultValue = "rnn", paramLabel = "rnn|gru|lstm", description = "Cell of a fresh model. Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--hidden", defaultValue = "256", paramLabel = "N", description = "Hidden units of a fresh model. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N", description = "Layers of a fresh model. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--init-std", defaultValue = "0.01", paramLabel = "S",
            description = "A fresh model's weights are normal(0, S), d2l's init. Default: ${DEFAULT-VALUE}.")
    double initStd;

    @Option(names = "--forget-bias", defaultValue = "0", paramLabel = "B",
            description = "Initial LSTM forget-gate bias of a fresh LSTM (d2l 0; 1 is often advised). Default: ${DEFAULT-VALUE}.")
    float forgetBias;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seeds the fresh weights, the windows and the probes. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--steps", defaultValue = "100", paramLabel = "T", description = "Steps back in time measured. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N",
            description = "Sequences (random windows of the text) averaged over. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--probes", defaultValue = "8", paramLabel = "K",
            description = "Random unit probes for the Frobenius-norm estimate. Default: ${DEFAULT-VALUE}.")
    int probes;

    @Option(names = "--compare", description = "Fresh tanh RNN, GRU and LSTM (same size, init, seed and windows) side by side.")
    boolean compare;

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--out", defaultValue = "diagnose", paramLabel = "DIR",
            description = "Writes gradient-decay.svg and gradient-decay.json here. Default: ${DEFAULT-VALUE}.")
    Path out;

    /** One measured model. */
    record Measured(String name, String description, GradientDiagnosis.Curve curve) {
    }

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter stdout = spec.commandLine().getOut();
        try (Backend backend = run.createBackend()) {
            List<RecurrentNet> nets = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> descriptions = new ArrayList<>();
            Corpus text;
            if (model != null) {
                ModelFile.Loaded loaded = ModelFile.load(model, backend);
                LanguageModel lm = loaded.model();
                input.tokens = lm.tokenizer().id();
                input.minFreq = 1; // every token of the text, then the model's vocabulary decides
                // Re-encoded with the model's vocabulary: tokens it never saw (or saw too rarely) become <unk>.
                text = input.load().corpus().withVocabulary(lm.vocabulary());
                RecurrentNet net = lm.net();
                nets.add(net);
                names.add(net.cell().name());
                descriptions.add(String.format(Locale.ROOT, "%s: %s hidden %d × %d layer(s), trained %d epoch(s)",
                        model, names.get(0), net.hiddenSize(), net.layerCount(), loaded.history().size()));
            } else {
                text = input.load().corpus();
                int v = text.vocabulary().size();
                List<String> cells = compare ? List.of("rnn", "gru", "lstm") : List.of(cell);
                for (String name : cells) {
                    boolean lstm = name.equals("lstm");
                    Map<String, Double> options = lstm ? Map.of("forget_bias", (double) forgetBias) : Map.of();
                    LanguageModel.requireFits(new ModelConfig(name, options, hidden, layers, new Init.Normal(initStd), 0, 0), v,
                            backend);
                    RecurrentNet net = RecurrentNet.builder().setBackend(backend).setInputSize(v).setHiddenSize(hidden)
                            .setOutputSize(v).optCell(name).optLayers(layers).optInit(new Init.Normal(initStd))
                            .optCellOptions(options).optSeed(seed).build();
                    nets.add(net);
                    names.add(name);
                    descriptions.add(String.format(Locale.ROOT, "fresh %s hidden %d × %d layer(s), normal(0, %s)%s, seed %d",
                            name, hidden, layers, initStd, lstm ? ", forget bias " + forgetBias : "", seed));
                }
            }
            if (text.length() < steps + 1) {
                throw new IllegalArgumentException("--steps " + steps + " needs a text of at least " + (steps + 1)
                        + " tokens; " + input.describe() + " has " + text.length());
            }
            // GradientDiagnosis.windows takes an array: the one copy of the ids left here.
            int[][] windows = GradientDiagnosis.windows(text.tokens(), batch, steps, new Rng(seed));

            stdout.printf(Locale.ROOT, "text %s: %,d tokens (%s tokens); %d random windows of %d steps (seed %d); "
                            + "backend %s, %d thread(s)%n", input.describe(), text.length(), text.tokenizer().id(), batch,
                    steps, seed, backend.name(), backend.threads());
            for (String d : descriptions) {
                stdout.println("model " + d);
            }
            stdout.printf(Locale.ROOT, "g(d) = ‖∂ℓ_T/∂h_t‖, d = T − t: the loss at the last step only, w.r.t. the top layer's "
                    + "hidden state H d steps back; norm per sequence, then the mean over %d%n", batch);
            stdout.printf(Locale.ROOT, "J(d) = ‖∂h_T/∂h_t‖_F, estimated from %d random unit probes per sequence "
                    + "(‖J‖_F² = H·E‖Jᵀu‖²)%s%n", probes,
                    nets.stream().anyMatch(n -> n.cell().name().equals("lstm"))
                            ? "; LSTM: w.r.t. H (part 0), the path through the memory C included" : "");
            stdout.flush();

            List<Measured> results = new ArrayList<>();
            for (int i = 0; i < nets.size(); i++) {
                results.add(new Measured(names.get(i), descriptions.get(i),
                        GradientDiagnosis.measure(nets.get(i), windows, probes, seed)));
            }
            printTable(stdout, results);
            printRates(stdout, results);

            Files.createDirectories(out);
            Path svg = out.resolve("gradient-decay.svg");
            Path json = out.resolve("gradient-decay.json");
            AtomicFiles.write(svg, DecayPlot.svg(results));
            AtomicFiles.write(json, Json.write(json(results, windows.length)));
            stdout.println("wrote " + svg + ", " + json);
            return 0;
        }
    }

    private void validate() {
        for (var e : new Object[][] {{"--steps", steps}, {"--batch", batch}, {"--hidden", hidden},
                {"--layers", layers}, {"--probes", probes}}) {
            if ((int) e[1] < 1) {
                throw new IllegalArgumentException(e[0] + " must be at least 1, got " + e[1]);
            }
        }
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new IllegalArgumentException("--init-std must be positive and finite, got " + initStd);
        }
        if (!Float.isFinite(forgetBias)) {
            throw new IllegalArgumentException("--forget-bias must be finite, got " + forgetBias);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        List<String> fresh = List.of("--cell", "--hidden", "--layers", "--init-std", "--forget-bias");
        if (model != null) {
            for (String o : fresh) {
                if (matched(o)) {
                    throw new IllegalArgumentException("--model takes its cell and size from the file; drop " + o);
                }
            }
            if (compare) {
                throw new IllegalArgumentException("--compare runs fresh rnn, gru and lstm models; it does not take --model");
            }
        } else if (compare && matched("--cell")) {
            throw new IllegalArgumentException("--compare runs rnn, gru and lstm; drop --cell");
        } else if (!compare) {
            rnn.api.cell.Cells.forName(cell);
            if (forgetBias != 0f && !cell.equals("lstm")) {
                throw new IllegalArgumentException("--forget-bias needs --cell lstm, not " + cell);
            }
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Distances 1, 10, 20, … T (every step when T < 10). */
    static List<Integer> tableDistances(int steps) {
        List<Integer> ds = new ArrayList<>();
        int every = steps < 10 ? 1 : 10;
        ds.add(1);
        for (int d = every; d <= steps; d += every) {
            if (d != 1) {
                ds.add(d);
            }
        }
        if (ds.get(ds.size() - 1) != steps) {
            ds.add(steps);
        }
        return ds;
    }

    private static void printTable(PrintWriter out, List<Measured> results) {
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%5s", "d"));
        for (Measured m : results) {
            head.append(String.format(Locale.ROOT, "  %10s  %10s", m.name() + " g", m.name() + " J"));
        }
        out.println(head);
        for (int d : tableDistances(results.get(0).curve().steps())) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d", d));
            for (Measured m : results) {
                row.append(String.format(Locale.ROOT, "  %10s  %10s", sci(m.curve().logGradient()[d - 1]),
                        sci(m.curve().logJacobian()[d - 1])));
            }
            out.println(row);
        }
    }

    private static void printRates(PrintWriter out, List<Measured> results) {
        int steps = results.get(0).curve().steps();
        out.printf(Locale.ROOT, "rates: least-squares slope of ln value against d over d = 1 … %d%n", steps);
        int width = results.stream().mapToInt(m -> m.name().length()).max().orElse(4);
        for (Measured m : results) {
            out.printf(Locale.ROOT, "  %-" + width + "s  gradient %s;  jacobian %s%n", m.name(),
                    describe(m.curve().gradientRate()), describe(m.curve().jacobianRate()));
        }
        if (results.size() > 1) {
            Measured fastest = results.get(0), slowest = results.get(0);
            for (Measured m : results) {
                if (m.curve().gradientRate().slope() < fastest.curve().gradientRate().slope()) {
                    fastest = m;
                }
                if (m.curve().gradientRate().slope() > slowest.curve().gradientRate().slope()) {
                    slowest = m;
                }
            }
            double ff = fastest.curve().gradientRate().factor(), sf = slowest.curve().gradientRate().factor();
            double fRatio = fastest.curve().logGradient()[steps - 1] - fastest.curve().logGradient()[0];
            double sRatio = slowest.curve().logGradient()[steps - 1] - slowest.curve().logGradient()[0];
            String first = label(fastest.name()), last = label(slowest.name());
            out.printf(Locale.ROOT, "%s's gradient %s fastest (×%s per step back) and %s's %s (×%s): from d = 1 to d = %d, "
                            + "g(d) %s %s of its value for %s and %s for %s.%n",
                    capitalise(first), ff < 1 ? "vanishes" : "grows least", factor(ff), last,
                    sf < 1 ? "slowest" : "grows", factor(sf), steps,
                    fRatio <= 0 && sRatio <= 0 ? "falls to" : "changes to", sci(fRatio), first, sci(sRatio), last);
            for (Measured m : results) {
                double f = m.curve().gradientRate().factor();
                if (m != slowest && m != fastest && Math.abs(f - sf) <= 0.01 * sf) {
                    out.printf(Locale.ROOT, "%s's is about as slow (×%s).%n", capitalise(label(m.name())), factor(f));
                }
            }
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String label(String name) {
        return switch (name) {
            case "rnn" -> "the tanh RNN";
            case "gru" -> "the GRU";
            case "lstm" -> "the LSTM";
            default -> name;
        };
    }

    static String describe(GradientDiagnosis.Rate rate) {
        double f = rate.factor();
        if (Double.isNaN(f)) {
            return "no fit (fewer than two finite points)";
        }
        if (rate.slope() == 0) {
            return "×1 per step back (no trend)";
        }
        return String.format(Locale.ROOT, "×%s per step back (%s %s steps)", factor(f),
                f < 1 ? "half-life" : "doubling every", fixed(rate.halfLife()));
    }

    private static String factor(double f) {
        return f >= 0.01 && f < 100 ? String.format(Locale.ROOT, "%.3g", f) : String.format(Locale.ROOT, "%.2e", f);
    }

    private static String fixed(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    /** A value given by its natural log, in scientific notation even beyond a double's range. */
    static String sci(double ln) {
        if (ln == Double.NEGATIVE_INFINITY) {
            return "0";
        }
        if (!Double.isFinite(ln)) {
            return String.valueOf(Math.exp(ln));
        }
        double l10 = ln / Math.log(10);
        long e = (long) Math.floor(l10);
        double m = Math.pow(10, l10 - e);
        if (m >= 9.995) {
            m /= 10;
            e++;
        }
        return String.format(Locale.ROOT, "%.2fe%s%02d", m, e < 0 ? "-" : "+", Math.abs(e));
    }

    private Map<String, Object> json(List<Measured> results, int sequences) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", "rnn-jvm/gradient-decay/1");
        root.put("source", input.describe());
        root.put("steps", steps);
        root.put("sequences", sequences);
        root.put("probes", probes);
        root.put("seed", seed);
        root.put("state", "top layer H; LSTM: w.r.t. H, the path through C included");
        List<Object> models = new ArrayList<>();
        for (Measured m : results) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.name());
            e.put("model", m.description());
            GradientDiagnosis.Rate g = m.curve().gradientRate(), j = m.curve().jacobianRate();
            e.put("gradient_factor_per_step", g.factor());
            e.put("gradient_half_life", g.halfLife());
            e.put("jacobian_factor_per_step", j.factor());
            e.put("jacobian_half_life", j.halfLife());
            List<Object> points = new ArrayList<>();
            for (int d = 1; d <= m.curve().steps(); d++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("d", d);
                p.put("g", m.curve().gradient(d));
                p.put("J", m.curve().jacobian(d));
                p.put("log10_g", m.curve().logGradient()[d - 1] / Math.log(10));
                p.put("log10_J", m.curve().logJacobian()[d - 1] / Math.log(10));
                points.add(p);
            }
            e.put("points", points);
            models.add(e);
        }
        root.put("models", models);
        return root;
    }
}
