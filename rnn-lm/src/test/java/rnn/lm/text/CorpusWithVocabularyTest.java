package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusWithVocabularyTest {

    @Test
    void reEncodesTokensByNameAndUnknownOnesAsUnk() {
        Corpus text = Corpus.fromText("t", "abcab xyz", Tokenizer.RAW, 0);
        Vocabulary model = Vocabulary.of(List.of("<unk>", "b", "a", " "));
        Corpus c = text.withVocabulary(model);
        assertEquals(model, c.vocabulary());
        assertArrayEquals(new int[] {2, 1, 0, 2, 1, 3, 0, 0, 0}, c.ids());
        assertEquals(1, c.tokens().width());
        assertEquals("t", c.source());
        assertSame(text, text.withVocabulary(text.vocabulary()), "nothing to do for the same vocabulary");
    }

    @Test
    void widensIdsForALargerVocabularyAndChecksTheUnit() {
        Corpus text = Corpus.fromText("t", "the cat the dog", Tokenizer.WORD, 0);
        String[] many = new String[300];
        many[0] = "<unk>";
        for (int i = 1; i < many.length; i++) {
            many[i] = "w" + i;
        }
        many[299] = "the";
        Corpus c = text.withVocabulary(Vocabulary.ofWords(List.of(many)));
        assertEquals(2, c.tokens().width());
        assertArrayEquals(new int[] {299, 0, 299, 0}, c.ids());
        assertThrows(IllegalArgumentException.class, () -> text.withVocabulary(Vocabulary.of(List.of("<unk>", "a"))));
    }
}
