package rnn.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.lm.text.DataException;
import rnn.lm.train.ModelFile;

/** The front door end to end, on the naive backend: train, save, load, generate, perplexity, and misuse. */
class CharModelTest {

    static final String TEXT = ("the time traveller for so it will be convenient to speak of him was expounding "
            + "a recondite matter to us his grey eyes shone and twinkled and his usually pale face was flushed "
            + "and animated the fire burned brightly and the soft radiance of the incandescent lights ").repeat(4);

    static CharModelConfig small() {
        return CharModelConfig.builder().optHidden(16).optBatch(4).optSteps(10).optEpochs(3).optOptimizer("adam")
                .optLearningRate(0.01).optSeed(3).optBackend("naive").optThreads(1).build();
    }

    @TempDir
    static Path dir;
    static CharModel model;
    static List<Epoch> heard = new ArrayList<>();

    @BeforeAll
    static void trainOnce() {
        model = CharModel.train(TextSource.text(TEXT), small(), heard::add);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void trainingReportsEveryEpochAndLearns() {
        assertEquals(List.of(1, 2, 3), heard.stream().map(Epoch::number).toList());
        assertEquals(heard, model.history());
        Epoch last = model.history().getLast();
        int vocabulary = model.vocabulary().length() + 1; // and <unk>
        assertTrue(last.validationPerplexity() > 1 && last.validationPerplexity() < vocabulary, last.toString());
        assertTrue(last.trainPerplexity() < heard.getFirst().trainPerplexity(), heard.toString());
        assertEquals("naive", model.backend());
        assertEquals(Map.of(), model.metadata());
        assertTrue(model.toString().startsWith("CharModel[rnn hidden 16 × 1, "), model.toString());
    }

    @Test
    void generationIsDeterministicPerDecodingAndSeed() throws Exception {
        String greedy = model.generate("the time", 30);
        assertTrue(greedy.startsWith("the time") && greedy.length() == "the time".length() + 30, greedy);
        assertEquals(greedy, model.generate("the time", 30, Decode.greedy()));
        assertEquals(greedy, model.generate("The Time!", 30), "d2l tokens: lower case, no trailing punctuation");
        String a = model.generate("the", 40, Decode.sample(1.0).withSeed(1));
        assertEquals(a, model.generate("the", 40, Decode.sample(1.0).withSeed(1)));
        List<String> others = new ArrayList<>();
        for (long seed = 2; seed < 6; seed++) {
            others.add(model.generate("the", 40, Decode.sample(1.5).withSeed(seed)));
        }
        assertTrue(others.stream().anyMatch(o -> !o.equals(a)), "seeds change samples");
        assertEquals(greedy, model.generate("the time", 30, Decode.sample(0.8, 1)), "top-1 is greedy");
        assertEquals("the time", model.generate("the time", 0));
        StringBuilder streamed = new StringBuilder();
        model.generate("the", 400, Decode.sample(1.5).withSeed(3), streamed);
        assertEquals(model.generate("the", 400, Decode.sample(1.5).withSeed(3)), streamed.toString(), "streamed as returned");
    }

    @Test
    void perplexityOfATextIsTheModelReadingItOnce() {
        double ppl = model.perplexity(TEXT);
        assertTrue(ppl > 1 && ppl < model.vocabulary().length() + 1, "perplexity " + ppl);
        assertEquals(ppl, model.perplexity(TEXT), "deterministic");
        assertTrue(model.perplexity("qqqq xxxx qqqq xxxx") > ppl, "unseen text is more surprising");
    }

    @Test
    void saveAndLoadGiveTheSameModelAndKeepTheCallersMetadata() throws Exception {
        Path file = dir.resolve("model.safetensors");
        model.save(file, Map.of("corpus", "test text", "note", "hello"));
        try (CharModel loaded = CharModel.load(file, "naive")) {
            assertEquals(model.generate("the time", 50), loaded.generate("the time", 50));
            assertEquals(model.generate("the", 40, Decode.sample(0.9, 5).withSeed(4)),
                    loaded.generate("the", 40, Decode.sample(0.9, 5).withSeed(4)));
            assertEquals(model.perplexity(TEXT), loaded.perplexity(TEXT));
            assertEquals(Map.of("corpus", "test text", "note", "hello"), loaded.metadata());
            assertEquals(model.vocabulary(), loaded.vocabulary());
            assertEquals(List.of(), loaded.history(), "an inference-only file has no training history");
        }
        // The file is the inference-only kind: generate and eval read it, --resume does not.
        ModelFile.Loaded raw = ModelFile.load(file, Backends.create("naive", new BackendOptions(1)));
        assertFalse(raw.resumable());
    }

    @Test
    void aDatasetAndAFileAreSourcesToo() throws Exception {
        CharModelConfig c = CharModelConfig.builder().optHidden(8).optBatch(4).optSteps(10).optEpochs(1)
                .optBackend("naive").optThreads(1).build();
        try (CharModel markov = CharModel.train(TextSource.dataset("markov:order=1,vocab=4,seed=1").withMaxTokens(2000), c)) {
            assertEquals(4, markov.vocabulary().length());
        }
        Path file = Files.writeString(dir.resolve("corpus.txt"), "Héllo, Wörld! " .repeat(40));
        try (CharModel raw = CharModel.train(TextSource.file(file).withTokens("raw"), c)) {
            assertTrue(raw.vocabulary().contains("é") && raw.vocabulary().contains("W"), raw.vocabulary());
        }
    }

    @Test
    void aTrainedModelLoadsFromARnnTrainCheckpointToo() throws Exception {
        // rnn train writes checkpoints; their history comes along.
        Path file = dir.resolve("checkpoint.safetensors");
        var c = rnn.lm.text.Corpus.fromText("test", TEXT, rnn.lm.text.Tokenizer.D2L, 0);
        var lm = new rnn.lm.train.LanguageModel(c.vocabulary(), c.tokenizer(), rnn.lm.train.ModelConfig.d2l(8),
                Backends.create("naive", new BackendOptions(1)), 1);
        var cfg = rnn.lm.train.TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(2).build();
        var trainer = new rnn.lm.train.Trainer(lm, cfg, c.ids(), new int[0]);
        trainer.run(rnn.lm.train.TrainingListener.NONE);
        ModelFile.save(file, lm, cfg, trainer, Map.of("source", "test"));
        try (CharModel loaded = CharModel.load(file)) {
            assertEquals(2, loaded.history().size());
            assertEquals(Map.of("source", "test"), loaded.metadata());
        }
    }

    // --- misuse ---

    @Test
    void nullAndBlankArgumentsFailAtOnceNamingTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> CharModel.train(null, small()));
        assertEquals("source", e.getMessage());
        assertThrows(NullPointerException.class, () -> CharModel.train(TextSource.text(TEXT), null));
        assertThrows(NullPointerException.class, () -> CharModel.train(TextSource.text(TEXT), small(), null));
        assertThrows(NullPointerException.class, () -> CharModel.load(null));
        assertThrows(IllegalArgumentException.class, () -> CharModel.load(dir.resolve("x"), " "));
        assertThrows(NullPointerException.class, () -> model.generate(null, 5));
        assertThrows(NullPointerException.class, () -> model.generate("the", 5, null));
        assertThrows(NullPointerException.class, () -> model.perplexity(null));
        assertThrows(NullPointerException.class, () -> model.save(null));
        assertThrows(NullPointerException.class, () -> model.save(dir.resolve("m"), null));
        assertThrows(NullPointerException.class, () -> TextSource.file(null));
        assertThrows(NullPointerException.class, () -> TextSource.text(null));
        assertThrows(IllegalArgumentException.class, () -> TextSource.text("  \n"));
        assertThrows(IllegalArgumentException.class, () -> TextSource.dataset(""));
        assertThrows(NullPointerException.class, () -> CharModelConfig.builder().optCell(null));
        assertThrows(IllegalArgumentException.class, () -> CharModelConfig.builder().optOptimizer(" "));
        assertThrows(IllegalArgumentException.class, () -> CharModelConfig.builder().optCellOption("", 1));
    }

    @Test
    void nonsenseSettingsFailInBuildSayingWhich() {
        record Bad(String message, Runnable build) {
        }
        for (Bad bad : List.of(
                new Bad("hidden", () -> CharModelConfig.builder().optHidden(0).build()),
                new Bad("batch", () -> CharModelConfig.builder().optBatch(0).build()),
                new Bad("epochs", () -> CharModelConfig.builder().optEpochs(-1).build()),
                new Bad("learning rate", () -> CharModelConfig.builder().optLearningRate(Double.NaN).build()),
                new Bad("dropout", () -> CharModelConfig.builder().optDropout(1).build()),
                new Bad("validation fraction", () -> CharModelConfig.builder().optValFraction(1).build()),
                new Bad("tree", () -> CharModelConfig.builder().optCell("tree").build()),
                new Bad("forget_bias", () -> CharModelConfig.builder().optCellOption("forget_bias", 1).build()),
                new Bad("sgdx", () -> CharModelConfig.builder().optOptimizer("sgdx").build()),
                new Bad("beta3", () -> CharModelConfig.builder().optOptimizer("adam").optOptimizerOption("beta3", 0.5).build()),
                new Bad("weight decay once", () -> CharModelConfig.builder().optWeightDecay(0.1)
                        .optOptimizerOption("weight_decay", 0.1).build()),
                new Bad("init", () -> CharModelConfig.builder().optInit("gaussian").build()),
                new Bad("schedule", () -> CharModelConfig.builder().optLearningRateSchedule("sometimes").build()),
                new Bad("clip mode", () -> CharModelConfig.builder().optClipMode("both").build()),
                new Bad("random", () -> CharModelConfig.builder().optSampling("shuffled").build()),
                new Bad("unknown backend 'gpu'", () -> CharModelConfig.builder().optBackend("gpu").build()),
                new Bad("unknown dataset", () -> TextSource.dataset("nope")),
                new Bad("Markov spec", () -> TextSource.dataset("markov:order=x")),
                new Bad("tokenizer", () -> TextSource.text(TEXT).withTokens("words")),
                new Bad("tokenized raw", () -> TextSource.dataset("markov").withTokens("d2l")),
                new Bad("max tokens", () -> TextSource.text(TEXT).withMaxTokens(-1)),
                new Bad("data home", () -> TextSource.text(TEXT).withDataHome(dir)),
                new Bad("temperature", () -> Decode.sample(0)),
                new Bad("temperature", () -> Decode.sample(Double.POSITIVE_INFINITY)),
                new Bad("top-k", () -> Decode.sample(1, 0)))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad.build()::run, bad.message());
            assertTrue(e.getMessage().contains(bad.message()), bad.message() + ": " + e.getMessage());
        }
    }

    @Test
    void badTextFailsClearly() {
        IllegalArgumentException shortText = assertThrows(IllegalArgumentException.class,
                () -> CharModel.train(TextSource.text("hello world"), small()));
        assertTrue(shortText.getMessage().contains("tokens"), shortText.getMessage());
        DataException noLetters = assertThrows(DataException.class, () -> CharModel.train(TextSource.text("1234 5678"), small()));
        assertTrue(noLetters.getMessage().contains("no tokens"), noLetters.getMessage());
        DataException missing = assertThrows(DataException.class,
                () -> CharModel.train(TextSource.file(dir.resolve("missing.txt")), small()));
        assertTrue(missing.getMessage().contains("missing.txt"), missing.getMessage());
        RuntimeException fromListener = assertThrows(IllegalStateException.class,
                () -> CharModel.train(TextSource.text(TEXT), small(), epoch -> {
                    throw new IllegalStateException("stop here");
                }));
        assertEquals("stop here", fromListener.getMessage());
    }

    @Test
    void badPrefixesAndLengthsFailClearly() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> model.generate("", 5));
        assertTrue(empty.getMessage().contains("prefix is empty"), empty.getMessage());
        IllegalArgumentException nothingKnown = assertThrows(IllegalArgumentException.class, () -> model.generate("!!! 42", 5));
        assertTrue(nothingKnown.getMessage().contains("empty after d2l tokenization"), nothingKnown.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> model.generate("zzz", 5));
        assertTrue(unknown.getMessage().contains("no character the model knows"), unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> model.generate("the", -1));
        assertTrue(negative.getMessage().contains("length"), negative.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> model.perplexity("a"));
        assertTrue(one.getMessage().contains("at least 2 tokens"), one.getMessage());
    }

    @Test
    void badFilesAndMetadataFailClearly() throws Exception {
        assertThrows(IOException.class, () -> CharModel.load(dir.resolve("missing.safetensors")));
        Path text = Files.writeString(dir.resolve("not-a-model.safetensors"), "hello");
        IOException notModel = assertThrows(IOException.class, () -> CharModel.load(text));
        assertTrue(notModel.getMessage().contains("not-a-model.safetensors"), notModel.getMessage());
        Path ok = dir.resolve("ok.safetensors");
        model.save(ok);
        IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class, () -> CharModel.load(ok, "gpu"));
        assertTrue(gpu.getMessage().contains("unknown backend 'gpu'"), gpu.getMessage());
        for (String key : List.of("format", "cell", "vocabulary", "kind")) {
            Path file = dir.resolve(key + ".safetensors");
            IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                    () -> model.save(file, Map.of(key, "mine")));
            assertTrue(reserved.getMessage().contains("'" + key + "' is one the model file writes itself"),
                    reserved.getMessage());
            assertFalse(Files.exists(file));
        }
        IOException noDir = assertThrows(IOException.class, () -> model.save(dir.resolve("no/such/dir/m.safetensors")));
        assertNotEquals(null, noDir.getMessage());
    }

    @Test
    void aClosedModelRefusesWorkAndClosingTwiceIsHarmless() throws Exception {
        CharModel m = CharModel.train(TextSource.text(TEXT), CharModelConfig.builder().optHidden(4).optBatch(4)
                .optSteps(10).optEpochs(1).optBackend("naive").optThreads(1).build());
        m.close();
        m.close();
        for (Runnable call : List.<Runnable>of(() -> m.generate("the", 5), () -> m.perplexity(TEXT), () -> {
            try {
                m.save(dir.resolve("closed.safetensors"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
            assertEquals("this model is closed", e.getMessage());
        }
        assertEquals(1, m.history().size(), "what it measured stays readable");
        assertTrue(m.toString().endsWith(", closed]"), m.toString());
    }
}
