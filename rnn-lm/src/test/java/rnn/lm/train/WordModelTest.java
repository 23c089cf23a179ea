package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.Rng;
import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Baselines;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;
import rnn.lm.text.Tokenizer;
import rnn.lm.text.Vocabulary;

/** Word-level models ({@code --tokens word}): training, baselines, checkpoints and generation over words. */
class WordModelTest {

    static Corpus words(int minFreq) {
        return Corpus.fromText("test", TrainingTest.TEXT.repeat(6), Tokenizer.WORD, 0, minFreq);
    }

    static TrainingConfig config(int epochs) {
        return TrainingConfig.builder().optBatch(4).optSteps(6).optEpochs(epochs).optSampling(Sampling.SEQUENTIAL)
                .optSeed(7).build();
    }

    @Test
    void aWordModelTrainsSavesLoadsAndGenerates(@TempDir Path dir) throws Exception {
        Corpus c = words(1);
        assertTrue(c.vocabulary().words());
        // "and" and "the" both occur 4 times in TEXT: the tie goes alphabetically.
        assertEquals(List.of("<unk>", "and", "the"), c.vocabulary().tokens().subList(0, 3));
        Corpus.Split split = c.split(0.1);
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(32), TrainingTest.naive(), 1);
        double before = Perplexity.of(model, split.validation(), 4, 6);
        assertEquals(c.vocabulary().size(), before, 0.05 * c.vocabulary().size(), "near uniform over words at first");
        Trainer t = new Trainer(model, config(40), split.train(), split.validation());
        assertTrue(t.run(TrainingListener.NONE));
        double after = t.history().getLast().valPerplexity();
        Baselines b = Baselines.measure(split.train(), split.validation(), c.vocabulary().size());
        assertEquals(c.vocabulary().size(), b.uniform());
        assertTrue(after < b.unigram(), "validation perplexity " + after + " beats the word unigram " + b.unigram());

        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, model, config(40), t, Map.of("source", "test", "min_freq", "1"));
        Map<String, String> meta = Safetensors.read(file).metadata();
        assertEquals("word", meta.get("tokenizer"));
        assertEquals("words", meta.get("vocabulary_encoding"));
        assertTrue(meta.get("vocabulary").startsWith("and the "), meta.get("vocabulary"));
        ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
        assertEquals(c.vocabulary(), loaded.model().vocabulary());
        assertEquals(c.vocabulary().tokens(), loaded.model().vocabulary().tokens());
        assertEquals(Tokenizer.WORD, loaded.model().tokenizer());
        assertEquals(Perplexity.of(model, c.ids(), 4, 6), Perplexity.of(loaded.model(), c.ids(), 4, 6));

        String text = new Generator(loaded.model()).continueText("The Time", 12, new Decoding.Greedy(), new Rng(1));
        assertEquals(text, new Generator(model).continueText("the time", 12, new Decoding.Greedy(), new Rng(1)));
        String[] out = text.split(" ", -1);
        assertEquals(14, out.length, "the two prefix words, then 12 words joined by single spaces: " + text);
        assertEquals(List.of("the", "time"), List.of(out[0], out[1]));
        Set<String> known = Set.copyOf(c.vocabulary().tokens());
        for (String w : out) {
            assertTrue(known.contains(w), w + " of " + text);
        }
        String sampled = new Generator(loaded.model()).continueText("time", 20, new Decoding.Sample(0.8, 5), new Rng(3));
        assertEquals(21, sampled.split(" ").length, sampled);
    }

    @Test
    void unknownPrefixWordsBecomeUnknownAndAPrefixOfOnlyUnknownWordsIsAnError() {
        Corpus c = words(1);
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(8), TrainingTest.naive(), 1);
        Generator g = new Generator(model);
        String text = g.continueText("the xyzzy time", 3, new Decoding.Greedy(), new Rng(1));
        assertTrue(text.startsWith("the <unk> time "), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.continueText("Xyzzy, plugh!", 3, new Decoding.Greedy(), new Rng(1)));
        assertTrue(e.getMessage().contains("has no word the model knows (xyzzy, plugh are not in its vocabulary"), e.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> g.continueText("42 ...", 3, new Decoding.Greedy(), new Rng(1)));
        assertTrue(empty.getMessage().contains("at least one word"), empty.getMessage());
    }

    @Test
    void minFreqMapsRareWordsToUnknownInTrainingToo() {
        Corpus all = words(1);
        Corpus frequent = words(7); // TEXT.repeat(6): words that occur once in TEXT occur 6 times
        assertTrue(frequent.vocabulary().size() < all.vocabulary().size());
        assertEquals(all.length(), frequent.length());
        assertTrue(java.util.Arrays.stream(frequent.ids()).anyMatch(id -> id == 0), "rare words are <unk> (id 0)");
        LanguageModel model = new LanguageModel(frequent.vocabulary(), frequent.tokenizer(), ModelConfig.d2l(8),
                TrainingTest.naive(), 1);
        assertTrue(new Trainer(model, config(1), frequent.ids(), new int[0]).run(TrainingListener.NONE));
    }

    @Test
    void theVocabularyRoundTripsExactlyThroughTheModelFile(@TempDir Path dir) throws Exception {
        // Reserved tokens, non-ASCII words and ties: whatever the API allows is stored exactly.
        Vocabulary v = Vocabulary.buildWords(List.of("naïve", "b", "a", "😀x", "b", "a", "<eos>"), 1, List.of("<pad>", "<bos>"));
        assertEquals(List.of("<unk>", "<pad>", "<bos>", "a", "b", "<eos>", "naïve", "😀x"), v.tokens());
        String encoded = ModelFile.encodeVocabulary(v);
        assertEquals("<pad> <bos> a b <eos> naïve 😀x", encoded);
        assertEquals(v, ModelFile.decodeVocabulary(encoded, "words", Tokenizer.WORD));
        assertEquals(Vocabulary.ofWords(List.of("<unk>")), ModelFile.decodeVocabulary("", "words", Tokenizer.WORD));

        LanguageModel model = new LanguageModel(v, Tokenizer.WORD, ModelConfig.d2l(4), TrainingTest.naive(), 1);
        Trainer t = new Trainer(model, config(1), new int[40], new int[0]); // not run: saved as built
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model, config(1), t, Map.of("source", "test"));
        assertEquals(v.tokens(), ModelFile.load(file, TrainingTest.naive()).model().vocabulary().tokens());

        // A word vocabulary in the character encoding (or an unknown encoding) is a broken file.
        assertThrows(IllegalArgumentException.class, () -> ModelFile.decodeVocabulary("ab", "code-points", Tokenizer.WORD));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.decodeVocabulary("a b", "words", Tokenizer.D2L));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.decodeVocabulary("a  b", "words", Tokenizer.WORD));
        for (String[] bad : new String[][] {{"vocabulary_encoding", "json"}, {"vocabulary", "a a"}, {"tokenizer", "d2l"}}) {
            Path broken = rewrite(file, dir.resolve("broken.safetensors"), bad[0], bad[1]);
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelFile.load(broken, TrainingTest.naive()));
            assertTrue(e.getMessage().contains("inconsistent model metadata"), e.getMessage());
        }
    }

    @Test
    void characterFilesKeepTheirEncodingAndOldFilesWithoutAnEncodingStillLoad(@TempDir Path dir) throws Exception {
        Corpus c = TrainingTest.corpus();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(8), TrainingTest.naive(), 1);
        Trainer t = new Trainer(model, config(1), c.ids(), new int[0]);
        Path file = dir.resolve("chars.safetensors");
        ModelFile.save(file, model, config(1), t, Map.of("source", "test"));
        Map<String, String> meta = Safetensors.read(file).metadata();
        assertEquals("code-points", meta.get("vocabulary_encoding"));
        List<String> tokens = c.vocabulary().tokens();
        assertEquals(String.join("", tokens.subList(1, tokens.size())), meta.get("vocabulary"), "one code point per token, as before");

        Path old = rewrite(file, dir.resolve("old.safetensors"), "vocabulary_encoding", null);
        assertTrue(!Safetensors.read(old).metadata().containsKey("vocabulary_encoding"));
        ModelFile.Loaded loaded = ModelFile.load(old, TrainingTest.naive());
        assertEquals(c.vocabulary(), loaded.model().vocabulary());
        assertArrayEquals(model.net().parameters().getFirst().value(), loaded.model().net().parameters().getFirst().value());
    }

    /** A copy of {@code file} with one metadata entry replaced ({@code value} null: removed). */
    private static Path rewrite(Path file, Path to, String key, String value) throws Exception {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        if (value == null) {
            meta.remove(key);
        } else {
            meta.put(key, value);
        }
        Safetensors.write(to, new LinkedHashMap<>(contents.tensors()), meta);
        return to;
    }
}
