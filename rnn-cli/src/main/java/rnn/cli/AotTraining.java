package rnn.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run of the jlink images' archives: the lite image's AOT cache (JDK 25: JEP 483, 514, 515), the
 * full image's CDS archive from its class list. Either records one JVM's run, so this runs several
 * {@code rnn} command lines in one: {@code java -XX:AOTCacheOutput=lib/rnn.aot (or -XX:DumpLoadedClassList=FILE)
 * -m rnn.cli/rnn.cli.AotTraining backends ";" train ... ";" generate ...}. Command lines are separated by
 * {@code ;} arguments; the first that fails ends the run with its exit code. Not a user command: rnn-image
 * runs it when it builds an image.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command lines in order; returns 0, or the exit code of the first that fails. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        List<String> line = new ArrayList<>();
        for (int i = 0; i <= args.length; i++) {
            if (i < args.length && !args[i].equals(";")) {
                line.add(args[i]);
                continue;
            }
            int code = Main.run(line.toArray(new String[0]), out, err);
            if (code != 0) {
                err.println("error: AOT training run failed (exit " + code + ") at: rnn " + String.join(" ", line));
                return code;
            }
            line.clear();
        }
        return 0;
    }
}
