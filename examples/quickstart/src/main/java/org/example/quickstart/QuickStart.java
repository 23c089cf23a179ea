package org.example.quickstart;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import rnn.lm.CharModel;
import rnn.lm.CharModelConfig;
import rnn.lm.Decode;
import rnn.lm.TextSource;

/** Trains a small model on a text it carries, samples it, saves it, loads it and samples again. */
public final class QuickStart {

    public static void main(String[] args) throws Exception {
        String text;
        try (InputStream in = QuickStart.class.getResourceAsStream("lighthouse.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Path.of(args.length > 0 ? args[0] : "lighthouse.safetensors");
        CharModelConfig config = CharModelConfig.builder().optCell("gru").optHidden(32).optBatch(8).optSteps(32)
                .optOptimizer("adam").optLearningRate(0.01).optEpochs(30).build();
        try (CharModel model = CharModel.train(TextSource.text(text), config, epoch -> {
            if (epoch.number() % 10 == 0) {
                System.out.printf("epoch %d: train perplexity %.2f%n", epoch.number(), epoch.trainPerplexity());
            }
        })) {
            System.out.printf("validation perplexity %.2f%n", model.history().getLast().validationPerplexity());
            System.out.println("sample: " + model.generate("the keeper", 60));
            model.save(file);
        }
        try (CharModel model = CharModel.load(file)) {
            System.out.println("loaded: " + model.generate("the keeper", 60));
            System.out.println("sampled: " + model.generate("the keeper", 60, Decode.sample(0.7).withSeed(4)));
        }
    }
}
