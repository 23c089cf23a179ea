package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void parseAndId() {
        assertEquals(Tokenizer.D2L, Tokenizer.parse("d2l"));
        assertEquals(Tokenizer.RAW, Tokenizer.parse("RAW"));
        assertEquals("d2l", Tokenizer.D2L.id());
        assertEquals("raw", Tokenizer.RAW.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.parse("words"));
        assertTrue(e.getMessage().contains("d2l") && e.getMessage().contains("raw"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.parse(null));
    }
}
