package rnn.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rnn}: character-level recurrent language models on the JVM. Usage errors exit 2, runtime
 * errors exit 1 with one line on stderr (a stack trace only with {@code --verbose}), running out of memory
 * among them, an interrupted training run exits 130.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true, version = "rnn 0.1.0",
        description = "Character- and word-level recurrent language models (d2l's RNN chapter) on pluggable backends.")
public final class Main implements Runnable {

    /** The subcommands, in the order help lists them. */
    static final String[] COMMANDS = {"train", "generate", "eval", "diagnose", "backends", "cells", "optimizers", "help"};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Outcome outcome = execute(args, out, err);
        out.flush();
        err.flush();
        if (outcome.outOfMemory()) {
            // Its one line is printed. Shutdown hooks would now run after an OutOfMemoryError that may have
            // struck any thread half-way, and training's interruption hook would take this exit for a signal
            // and wait for a checkpoint that never comes. Files need no hook: each is written atomically.
            Runtime.getRuntime().halt(outcome.code());
        }
        System.exit(outcome.code());
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err).code();
    }

    /** How a command line ended: its exit code, and whether it ran out of memory. */
    private record Outcome(int code, boolean outOfMemory) {
    }

    private static Outcome execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean[] outOfMemory = {false};
        CommandLine cl = new CommandLine(new Main());
        // picocli reads every option of every subcommand it is given, reflectively, before it parses: the
        // largest part of a short command's start-up. A command line that starts with a subcommand's name
        // gets only that one; anything else (no arguments, options, help, a misspelt name) gets all of them,
        // for the usage and the suggestions.
        Object only = args.length > 0 && !args[0].equals("help") ? command(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(only);
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(command(name));
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.subcommand() != null
                    && parseResult.subcommand().hasMatchedOption("--verbose");
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            OutOfMemoryError oom = OutOfMemory.in(ex);
            outOfMemory[0] = oom != null;
            if (!verbose) {
                commandLine.getErr().println("error: " + (oom != null ? OutOfMemory.message(name(parseResult), oom,
                        Runtime.getRuntime().maxMemory()) : message(ex)));
            }
            commandLine.getErr().flush();
            return ex instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
        try {
            return new Outcome(cl.execute(args), outOfMemory[0]);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above; an Error leaves execute as it is. By now the
            // command's frames are gone, and with them what filled the heap, so there is room for one line.
            if (Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            } else {
                err.println("error: " + OutOfMemory.message(only == null ? null : args[0], e, Runtime.getRuntime().maxMemory()));
            }
            err.flush();
            return new Outcome(CommandLine.ExitCode.SOFTWARE, true);
        }
    }

    /** The subcommand's name, or null. */
    private static String name(CommandLine.ParseResult parseResult) {
        return parseResult.subcommand() == null ? null : parseResult.subcommand().commandSpec().name();
    }

    /** A new instance of the subcommand called {@code name}, or null. */
    private static Object command(String name) {
        return switch (name) {
            case "train" -> new TrainCommand();
            case "generate" -> new GenerateCommand();
            case "eval" -> new EvalCommand();
            case "diagnose" -> new DiagnoseCommand();
            case "backends" -> new BackendsCommand();
            case "cells" -> new CellsCommand();
            case "optimizers" -> new OptimizersCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
