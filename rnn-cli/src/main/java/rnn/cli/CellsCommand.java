package rnn.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import rnn.api.Hyperparameter;
import rnn.api.NamedProviders;
import rnn.api.cell.CellProvider;
import rnn.api.cell.Cells;
import rnn.api.cell.FusedCell;

/** {@code rnn cells}: every cell provider found, where it comes from and what it takes. */
@Command(name = "cells", mixinStandardHelpOptions = true,
        description = "List the cells on the module path: name, module, kind, gates, state, hyperparameters.")
final class CellsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (CellProvider p : Cells.all()) {
            boolean fused = p.create(Cells.resolve(p, java.util.Map.of())) instanceof FusedCell;
            out.printf("%s (%s): %s%n", p.name(), NamedProviders.describe(p), p.description());
            out.printf("    %s; gates %s; state %s%n", fused ? "hand-written backward" : "step language, backward derived",
                    String.join("|", p.gates()), String.join(", ", p.stateParts()));
            for (Hyperparameter h : p.hyperparameters()) {
                out.printf("    %-13s %-8s %-24s %s%n", h.name(), OptimizersCommand.format(h.defaultValue()), h.range(),
                        h.description());
            }
        }
        out.println("set with: rnn train --cell NAME --cell-opt KEY=VALUE ...");
        return 0;
    }
}
