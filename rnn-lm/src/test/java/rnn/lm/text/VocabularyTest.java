package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
