package rnn.cli;

import java.util.Locale;
import java.util.Map;

import picocli.CommandLine;
import rnn.api.Hyperparameter;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.lm.text.Tokenizer;
import rnn.lm.train.ModelConfig;
import rnn.lm.train.ModelFile;
import rnn.lm.train.Schedules;
import rnn.lm.train.TrainingConfig;

/**
 * {@code --resume}: the checkpoint's settings win, so the continued run is the run that was stopped.
 * A flag given explicitly with a different value is a mismatch and fails; {@code --epochs} alone may
 * change, to train further.
 */
final class Resume {

    private Resume() {
    }

    /**
     * @param optimizerOpts the {@code --optimizer-opt} values as given, checked against the checkpoint's optimizer
     * @param weightDecay   {@code --weight-decay} if given, else null
     */
    static TrainingConfig config(CommandLine.Model.CommandSpec spec, TrainingConfig flags, ModelFile.Loaded saved,
                                 Map<String, String> optimizerOpts, Double weightDecay) {
        TrainingConfig c = saved.config();
        String instance = saved.metadata().get("optimizer_class");
        if (instance != null) {
            throw new IllegalArgumentException("the checkpoint was trained with an optimizer built in code (" + instance
                    + "), not one found by name; resume it in code with new Trainer(model, config, train, validation, "
                    + "optimizer) and restore()");
        }
        check(spec, "--batch", flags.batch(), c.batch());
        check(spec, "--steps", flags.steps(), c.steps());
        check(spec, "--lr", flags.learningRate(), c.learningRate());
        check(spec, "--clip", flags.clip(), c.clip());
        check(spec, "--clip-mode", flags.clipMode(), c.clipMode());
        check(spec, "--sampling", flags.sampling(), c.sampling());
        check(spec, "--optimizer", flags.optimizer(), c.optimizer());
        OptimizerProvider provider = Optimizers.forName(c.optimizer());
        Map<String, Double> given = Hyperparameter.resolve(Optimizers.owner(provider), provider.hyperparameters(),
                optimizerOpts);
        for (String key : optimizerOpts.keySet()) {
            if (!given.get(key).equals(c.optimizerValues().get(key))) {
                throw new IllegalArgumentException("--optimizer-opt " + key + "=" + optimizerOpts.get(key)
                        + " does not match the checkpoint's " + key + "=" + c.optimizerValues().get(key));
            }
        }
        if (weightDecay != null && weightDecay != c.weightDecay()) {
            throw new IllegalArgumentException("--weight-decay " + weightDecay + " does not match the checkpoint's "
                    + c.weightDecay());
        }
        for (String o : new String[] {"--lr-schedule", "--lr-decay", "--lr-decay-after", "--warmup"}) {
            check(spec, o, Schedules.format(flags.schedule()), Schedules.format(c.schedule()));
        }
        check(spec, "--seed", flags.seed(), c.seed());
        check(spec, "--max-bad-steps", flags.maxBadSteps(), c.maxBadSteps());
        check(spec, "--val-every-steps", flags.valEverySteps(), c.valEverySteps());
        check(spec, "--val-max-tokens", flags.valMaxTokens(), c.valMaxTokens());
        int epochs = matched(spec, "--epochs") ? flags.epochs() : c.epochs();
        if (epochs < saved.history().size()) {
            throw new IllegalArgumentException("--epochs " + epochs + " is fewer than the " + saved.history().size()
                    + " epochs the checkpoint has already completed");
        }
        // Threads are the backend's (--threads), not the checkpoint's: any count resumes.
        return c.toBuilder().optEpochs(epochs).build();
    }

    /** {@code givenCellKeys}: the cell settings the command line gave, which must match the checkpoint's. */
    static ModelConfig modelConfig(CommandLine.Model.CommandSpec spec, ModelConfig flags, java.util.Set<String> givenCellKeys,
                                   ModelFile.Loaded saved) {
        ModelConfig m = saved.model().config();
        check(spec, "--cell", flags.cell(), m.cell());
        check(spec, "--hidden", flags.hidden(), m.hidden());
        check(spec, "--layers", flags.layers(), m.layers());
        check(spec, "--init", ModelConfig.formatInit(flags.init()), ModelConfig.formatInit(m.init()));
        check(spec, "--dropout", flags.dropout(), m.dropout());
        check(spec, "--embedding", flags.embedding(), m.embedding());
        // Settings given again must match; unset ones are the checkpoint's.
        flags.cellOptions().forEach((k, v) -> {
            if (givenCellKeys.contains(k) && !v.equals(m.cellOptions().get(k))) {
                throw new IllegalArgumentException("cell setting " + k + "=" + v + " does not match the checkpoint's "
                        + k + "=" + m.cellOptions().get(k));
            }
        });
        return m;
    }

    /** Reuses the saved input unless given again, in which case it must be the same. */
    static void input(CommandLine.Model.CommandSpec spec, InputOptions input, Map<String, String> meta) {
        String source = meta.getOrDefault("source", "");
        if (input.corpus == null && input.dataset == null) {
            if (source.equals("timemachine") || source.startsWith("markov:")) {
                input.dataset = source;
            } else {
                input.corpus = java.nio.file.Path.of(source);
            }
        } else if (!input.describe().equals(source)) {
            throw new IllegalArgumentException("the checkpoint was trained on " + source + ", not " + input.describe());
        }
        Tokenizer saved = Tokenizer.parse(meta.getOrDefault("tokenizer", "d2l"));
        check(spec, "--tokens", input.tokens.toLowerCase(Locale.ROOT), saved.id());
        input.tokens = saved.id();
        int savedMinFreq = Integer.parseInt(meta.getOrDefault("min_freq", "1"));
        check(spec, "--min-freq", input.minFreq, savedMinFreq);
        input.minFreq = savedMinFreq;
        String max = meta.getOrDefault("max_tokens", "");
        Integer savedMax = max.isEmpty() ? null : Integer.valueOf(max);
        if (matched(spec, "--max-tokens") && !java.util.Objects.equals(input.maxTokens, savedMax)) {
            throw new IllegalArgumentException("--max-tokens " + input.maxTokens + " does not match the checkpoint's " + savedMax);
        }
        input.maxTokens = savedMax;
        input.lenient = Boolean.parseBoolean(meta.getOrDefault("lenient", "false"));
    }

    static double valFraction(CommandLine.Model.CommandSpec spec, double flag, Map<String, String> meta) {
        double saved = Double.parseDouble(meta.getOrDefault("val_fraction", "0.1"));
        check(spec, "--val-fraction", flag, saved);
        return saved;
    }

    private static boolean matched(CommandLine.Model.CommandSpec spec, String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private static void check(CommandLine.Model.CommandSpec spec, String option, Object flag, Object saved) {
        if (matched(spec, option) && !flag.equals(saved)) {
            throw new IllegalArgumentException(option + " " + String.valueOf(flag).toLowerCase(Locale.ROOT)
                    + " does not match the checkpoint's " + String.valueOf(saved).toLowerCase(Locale.ROOT));
        }
    }
}
