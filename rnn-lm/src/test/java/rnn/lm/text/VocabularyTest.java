package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private static int[] cps(String s) {
        return s.codePoints().toArray();
    }

    @Test
    void unknownFirstThenByFrequencyThenByCodePoint() {
        Vocabulary v = Vocabulary.build(cps("cabbage a"));
        // a:3, b:2, then c, e, g and space once each, by code point (space 0x20 first).
        assertEquals(List.of("<unk>", "a", "b", " ", "c", "e", "g"), v.tokens());
        assertEquals(7, v.size());
        assertEquals(1, v.index('a'));
        assertEquals(0, v.index('z'));
        assertEquals("<unk>", v.token(0));
        assertEquals("b", v.token(2));
    }

    @Test
    void encodeAndDecodeRoundTripWithUnknownAsReplacementCharacter() {
        Vocabulary v = Vocabulary.build(cps("hello 😀"));
        int[] ids = v.encode(cps("hex 😀"));
        assertEquals(0, ids[2]);
        assertEquals("he\uFFFD 😀", v.decode(ids));
        assertEquals("e\uFFFD", v.decode(ids, 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> v.decode(ids, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> v.token(v.size()));
    }

    @Test
    void encodePrefixReportsUnknownCharacters() {
        Vocabulary v = Vocabulary.build(cps("the time machine"));
        Vocabulary.Encoded e = v.encodePrefix("The Zoo, Zed!", Tokenizer.D2L);
        // d2l tokens: "the zoo zed"; z and o and d are unknown.
        assertEquals("the zoo zed".length(), e.ids().length);
        assertEquals(5, e.unknownCount());
        assertEquals(List.of("z", "o", "d"), e.unknownCharacters());
        Vocabulary.Encoded none = v.encodePrefix("time", Tokenizer.RAW);
        assertEquals(0, none.unknownCount());
        assertEquals(List.of(), none.unknownCharacters());
    }

    @Test
    void restoresFromTokenList() {
        Vocabulary v = Vocabulary.build(cps("an example of 😀 text"));
        Vocabulary back = Vocabulary.of(v.tokens());
        assertEquals(v, back);
        assertArrayEquals(v.encode(cps("text")), back.encode(cps("text")));
    }

    @Test
    void rejectsMalformedTokenLists() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "<unk>")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("<unk>", "ab")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("<unk>", "")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("<unk>", "a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("<unk>", "<unk>")));
        assertEquals(2, Vocabulary.of(List.of("<unk>", "😀")).size());
    }

    private static List<String> words(String text) {
        return List.of(text.split(" "));
    }

    @Test
    void characterMinFreqDropsRareCharactersToUnknown() {
        Vocabulary v = Vocabulary.build(cps("cabbage a"), 2);
        assertEquals(List.of("<unk>", "a", "b"), v.tokens());
        assertEquals(0, v.index('c'));
        assertArrayEquals(new int[] {0, 1, 2, 2, 1, 0, 0, 0, 1}, v.encode(cps("cabbage a")));
        assertEquals(Vocabulary.build(cps("cabbage a")), Vocabulary.build(cps("cabbage a"), 1));
    }

    @Test
    void wordsUnknownFirstThenByFrequencyThenAlphabetically() {
        Vocabulary v = Vocabulary.buildWords(words("the cat saw the dog and the cat ran"), 1, List.of());
        // the:3, cat:2, then and, dog, ran, saw once each, alphabetically (not by first occurrence).
        assertEquals(List.of("<unk>", "the", "cat", "and", "dog", "ran", "saw"), v.tokens());
        assertTrue(v.words());
        assertEquals(1, v.index("the"));
        assertEquals(0, v.index("bird"));
        assertEquals(0, v.index("<unk>"));
        // Where the text starts does not change the order of ties.
        assertEquals(v, Vocabulary.buildWords(words("ran and the cat saw the dog the cat"), 1, List.of()));
    }

    @Test
    void wordMinFreqDropsRareWordsToUnknown() {
        List<String> text = words("the cat saw the dog and the cat ran");
        Vocabulary v = Vocabulary.buildWords(text, 2, List.of());
        assertEquals(List.of("<unk>", "the", "cat"), v.tokens());
        assertArrayEquals(new int[] {1, 2, 0, 1, 0, 0, 1, 2, 0}, v.encode(text));
        assertEquals(List.of("<unk>", "the"), Vocabulary.buildWords(text, 3, List.of()).tokens());
        assertEquals(List.of("<unk>"), Vocabulary.buildWords(text, 4, List.of()).tokens());
        for (int bad : new int[] {0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Vocabulary.buildWords(text, bad, List.of()));
            assertTrue(e.getMessage().contains("minimum frequency"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(cps("abc"), bad));
        }
    }

    @Test
    void reservedTokensFollowUnknownWhateverTheirFrequency() {
        Vocabulary v = Vocabulary.buildWords(words("b a b <eos> c"), 2, List.of("<pad>", "<eos>"));
        // <eos> occurs once (< min_freq) and is kept at its reserved place; a and c are dropped.
        assertEquals(List.of("<unk>", "<pad>", "<eos>", "b"), v.tokens());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.buildWords(words("a"), 1, List.of("<unk>")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.buildWords(words("a"), 1, List.of("x", "x")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.buildWords(words("a"), 1, List.of("two words")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.buildWords(List.of("a b"), 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.buildWords(List.of(""), 1, List.of()));
        // A <unk> in the text is index 0, as in d2l.
        assertEquals(List.of("<unk>", "a"), Vocabulary.buildWords(words("<unk> <unk> a"), 1, List.of()).tokens());
    }

    @Test
    void wordsDecodeJoinedBySingleSpacesWithUnknownAsUnk() {
        Vocabulary v = Vocabulary.buildWords(words("the time traveller the"), 1, List.of());
        int[] ids = v.encode(words("the time machine"));
        assertArrayEquals(new int[] {1, 2, 0}, ids);
        assertEquals("the time <unk>", v.decode(ids));
        assertEquals("time", v.decode(ids, 1, 1));
        assertEquals("", v.decode(new int[0]));
        assertThrows(UnsupportedOperationException.class, () -> v.codePoint(1));
        assertThrows(UnsupportedOperationException.class, () -> v.index('t'));
        assertThrows(UnsupportedOperationException.class, () -> v.encode(cps("the")));
    }

    @Test
    void encodePrefixReportsUnknownWords() {
        Vocabulary v = Vocabulary.buildWords(Tokenizer.WORD.tokens("the time machine"), 1, List.of());
        Vocabulary.Encoded e = v.encodePrefix("The Zoo, the Zoo, Time!", Tokenizer.WORD);
        assertArrayEquals(new int[] {v.index("the"), 0, v.index("the"), 0, v.index("time")}, e.ids());
        assertEquals(2, e.unknownCount());
        assertEquals(List.of("zoo"), e.unknownTokens());
        assertThrows(IllegalArgumentException.class, () -> v.encodePrefix("the", Tokenizer.D2L));
        assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.build(cps("the")).encodePrefix("the", Tokenizer.WORD));
    }

    @Test
    void wordsRestoreFromTokenListAndDifferFromCharacters() {
        Vocabulary v = Vocabulary.buildWords(words("an example of a text of words"), 1, List.of("<bos>"));
        assertEquals(v, Vocabulary.ofWords(v.tokens()));
        assertNotEquals(Vocabulary.of(List.of("<unk>", "a")), Vocabulary.ofWords(List.of("<unk>", "a")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(List.of("<unk>", "a", "a")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(List.of("<unk>", "<unk>")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(List.of("<unk>", "")));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.ofWords(List.of("<unk>", "a\tb")));
    }
}
