package rnn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import rnn.api.Backend;
import rnn.api.Rng;
import rnn.lm.train.Decoding;
import rnn.lm.train.Generator;
import rnn.lm.train.ModelFile;

/**
 * {@code rnn generate}: continue a prefix with a saved model (d2l's {@code predict_ch8}). The text is written
 * as it is generated, in constant memory, so {@code --length 2000000000} runs until it is done, interrupted
 * (Ctrl-C) or its reader stops reading ({@code | head}); the last two end it quietly.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Continue a prefix with a trained model.")
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model.safetensors written by 'rnn train'.")
    Path model;

    @Option(names = "--prefix", defaultValue = "time traveller", paramLabel = "TEXT", description = "Text to continue. Default: '${DEFAULT-VALUE}'.")
    String prefix;

    @Option(names = "--length", defaultValue = "200", paramLabel = "N", description = "Tokens to generate. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample at this temperature (default: greedy, d2l's choice).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens.")
    Integer topK;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        if (length < 0) {
            throw new IllegalArgumentException("--length must be ≥ 0, got " + length);
        }
        Decoding decoding = temperature == null && topK == null ? new Decoding.Greedy()
                : new Decoding.Sample(temperature == null ? 1.0 : temperature, topK == null ? Integer.MAX_VALUE : topK);
        try (Backend backend = run.createBackend()) {
            ModelFile.Loaded loaded = ModelFile.load(model, backend);
            PrintWriter out = spec.commandLine().getOut();
            StreamedOutput stream = new StreamedOutput(out);
            // Ctrl-C ends the JVM (exit 130) while text is being written: what was generated is shown, nothing more.
            Thread flushAtExit = new Thread(out::flush, "rnn-generate-flush");
            Runtime.getRuntime().addShutdownHook(flushAtExit);
            try {
                new Generator(loaded.model()).continueText(prefix, length, decoding, new Rng(seed), stream);
                out.println();
                stream.flush();
            } catch (StreamedOutput.Closed e) {
                if (!StreamedOutput.toPipe()) {
                    throw new java.io.IOException("cannot write the generated text to standard output (is the disk full?)");
                }
                return 0; // the reader stopped reading (| head): the text it wanted was written, a normal end
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(flushAtExit);
                } catch (IllegalStateException shuttingDown) {
                    // a signal arrived just now: the hook flushes
                }
            }
        }
        return 0;
    }
}
