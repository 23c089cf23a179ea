package rnn.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rnn}: character-level recurrent language models on the JVM. Usage errors exit 2, runtime
 * errors exit 1 with one line on stderr (a stack trace only with {@code --verbose}), an interrupted
 * training run exits 130.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true, version = "rnn 0.1.0",
        description = "Character- and word-level recurrent language models (d2l's RNN chapter) on pluggable backends.")
public final class Main implements Runnable {

    /** The subcommands, in the order help lists them. */
    static final String[] COMMANDS = {"train", "generate", "eval", "diagnose", "backends", "cells", "optimizers", "help"};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
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
            } else {
                commandLine.getErr().println("error: " + message(ex));
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
        return cl.execute(args);
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
