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
        out.println(row("NAME", "PRIORITY", "USABLE", "DETAILS"));
        for (BackendInfo i : s.available()) {
            out.println(row(i.name(), Integer.toString(i.priority()), i.usable() ? "yes" : "no",
                    i.description().orElseGet(() -> i.unusableReason().orElse(""))));
        }
        for (String p : s.problems()) {
            out.println("broken provider: " + p);
        }
        out.println("chosen: " + s.chosen().name() + " (" + s.reason() + ")");
        return 0;
    }

    /**
     * One line of the table, as {@code printf("%-8s %8s  %-6s  %s")} would print it. Not printf: its first
     * call sets up java.util.Formatter and the locale's number symbols, about 15% of this command's start-up
     * in a profile.
     */
    private static String row(String name, String priority, String usable, String details) {
        return pad(name, 8, false) + " " + pad(priority, 8, true) + "  " + pad(usable, 6, false) + "  " + details;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
