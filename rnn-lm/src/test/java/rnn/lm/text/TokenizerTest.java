package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    private static String d2l(String text) {
        int[] cps = Tokenizer.D2L.tokenize(text);
        return new String(cps, 0, cps.length);
    }

    @Test
    void d2lKeepsLettersLowerCasedAndCollapsesOtherRunsToOneSpace() {
        assertEquals("the time machine by h g wells", d2l("The Time Machine, by H. G. Wells [1898]"));
        assertEquals("it s", d2l("  ...it's!!! "));
    }

    @Test
    void d2lJoinsProcessedLinesWithoutSeparatorAndDropsEmptyLines() {
        // "end" + "next": a line break between words leaves no space, as d2l's flattening does.
        assertEquals("the endnext line", d2l("The end.\n\n   \nNext line\n"));
        assertEquals("abcdef", d2l("abc\r\ndef"));
        assertEquals("abcdef", d2l("abc\rdef"));
        assertEquals("", d2l("\n\n 123 \n"));
    }

    @Test
    void d2lDropsNonAsciiLetters() {
        assertEquals("caf na ve", d2l("Café naïve"));
        assertEquals("a b", d2l("a 😀 b"));
    }

    @Test
    void rawKeepsEveryCodePoint() {
        assertArrayEquals(new int[] {'A', '\n', 0x1F600, 'é'}, Tokenizer.RAW.tokenize("A\n😀é"));
        assertEquals(0, Tokenizer.RAW.tokenize("").length);
    }

    @Test
    void wordSplitsD2lPreprocessedLinesOnWhitespace() {
        // d2l: re.sub('[^A-Za-z]+', ' ', line).strip().lower().split() per line, the lines' words concatenated.
        assertEquals(List.of("the", "time", "machine", "by", "h", "g", "wells"),
                Tokenizer.WORD.tokens("The Time Machine, by H. G. Wells [1898]"));
        assertEquals(List.of("it", "s"), Tokenizer.WORD.tokens("  ...it's!!! "));
        assertEquals(List.of(), Tokenizer.WORD.tokens("\n\n 123 \n"));
        assertEquals(List.of("caf", "na", "ve"), Tokenizer.WORD.tokens("Café naïve"));
    }

    @Test
    void wordSeparatesWordsAcrossLineBreaksWhereTheCharacterTokensJoinThem() {
        assertEquals(List.of("the", "end", "next", "line"), Tokenizer.WORD.tokens("The end.\n\n   \nNext line\n"));
        assertEquals(List.of("abc", "def"), Tokenizer.WORD.tokens("abc\r\ndef"));
        assertEquals("the endnext line", d2l("The end.\n\n   \nNext line\n"));
    }

    @Test
    void wordTokensAreTheD2lCharacterTextSplitOnSpacesWithinEachLine() {
        String line = "  Hello, World -- it's 1898; the Time-Traveller!  ";
        assertEquals(List.of(d2l(line).split(" ")), Tokenizer.WORD.tokens(line));
    }

    @Test
    void wordHasNoCodePointsButCharacterTokenizersGiveTokensAsStrings() {
        assertThrows(UnsupportedOperationException.class, () -> Tokenizer.WORD.tokenize("a b"));
        assertEquals(List.of("a", " ", "b"), Tokenizer.D2L.tokens("A, b"));
        assertEquals(List.of("😀", "é"), Tokenizer.RAW.tokens("😀é"));
        assertTrue(Tokenizer.WORD.wordLevel() && !Tokenizer.D2L.wordLevel() && !Tokenizer.RAW.wordLevel());
        assertEquals("word", Tokenizer.WORD.unit());
        assertEquals("character", Tokenizer.RAW.unit());
    }

    @Test
    void parseAndId() {
        assertEquals(Tokenizer.D2L, Tokenizer.parse("d2l"));
        assertEquals(Tokenizer.RAW, Tokenizer.parse("RAW"));
        assertEquals(Tokenizer.WORD, Tokenizer.parse("Word"));
        assertEquals("d2l", Tokenizer.D2L.id());
        assertEquals("raw", Tokenizer.RAW.toString());
        assertEquals("word", Tokenizer.WORD.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.parse("words"));
        assertTrue(e.getMessage().contains("d2l") && e.getMessage().contains("raw") && e.getMessage().contains("word"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.parse(null));
    }
}
