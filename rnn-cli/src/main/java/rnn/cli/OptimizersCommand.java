package rnn.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import rnn.api.Hyperparameter;
import rnn.api.NamedProviders;
import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;

/** {@code rnn optimizers}: every optimizer discovery found, with its module and hyperparameters. */
@Command(name = "optimizers", mixinStandardHelpOptions = true,
        description = "List the optimizers found (built in and plug-ins) with their hyperparameters and defaults.")
final class OptimizersCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (OptimizerProvider p : Optimizers.all()) {
            out.printf("%s (%s): %s%n", p.name(), NamedProviders.describe(p), p.description());
            for (Hyperparameter h : p.hyperparameters()) {
                out.printf("    %-13s %-8s %-24s %s%n", h.name(), format(h.defaultValue()), h.range(), h.description());
            }
        }
        out.println("set with: rnn train --optimizer NAME --optimizer-opt KEY=VALUE ...");
        return 0;
    }

    /** 0, 0.9, 1e-8: the shortest decimal that reads back as the default. */
    static String format(double x) {
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toString().toLowerCase(Locale.ROOT).replace("e+", "e");
    }
}
