package rnn.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rnn.api.BackendInfo;
import rnn.api.BackendSelection;
import rnn.api.Backends;

/** {@code rnn backends}: what discovery found and what would be chosen. */
@Command(name = "backends", mixinStandardHelpOptions = true, description = "List discovered backends and the one that would be chosen.")
final class BackendsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "Show what this explicit choice would give.")
    String backend;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackendSelection s = Backends.select(backend);
        out.printf("%-8s %8s  %-6s  %s%n", "NAME", "PRIORITY", "USABLE", "DETAILS");
        for (BackendInfo i : s.available()) {
            out.printf("%-8s %8d  %-6s  %s%n", i.name(), i.priority(), i.usable() ? "yes" : "no",
                    i.description().orElseGet(() -> i.unusableReason().orElse("")));
        }
        for (String p : s.problems()) {
            out.println("broken provider: " + p);
        }
        out.println("chosen: " + s.chosen().name() + " (" + s.reason() + ")");
        return 0;
    }
}
