package rnn.cli;

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

/** {@code rnn generate}: continue a prefix with a saved model (d2l's {@code predict_ch8}). */
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
            String text = new Generator(loaded.model()).continueText(prefix, length, decoding, new Rng(seed));
            spec.commandLine().getOut().println(text);
        }
        return 0;
    }
}
