package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tokenizing chunk by chunk gives the tokens of the whole text, wherever the chunks are cut. */
class TokenScannerTest {

    private static final String[] PIECES = {
        "a", "B", "the", " ", ".", "it's", "\n", "\r\n", "\r", "é", "😀", "\uD83D", "\uDE00", "日", "1", "\uFEFF",
    };

    private static List<String> scan(Tokenizer t, String text, Random r) {
        TokenScanner s = TokenScanner.of(t, "test");
        char[] c = text.toCharArray();
        int[] keys = new int[c.length + 2];
        List<Integer> out = new ArrayList<>();
        for (int from = 0; from < c.length; ) {
            int to = Math.min(c.length, from + r.nextInt(5)); // empty chunks too
            int n = s.scan(c, from, to, keys);
            Arrays.stream(keys, 0, n).forEach(out::add);
            from = to;
        }
        int n = s.finish(keys);
        Arrays.stream(keys, 0, n).forEach(out::add);
        return out.stream().map(k -> t.wordLevel() ? s.words().word(k) : Character.toString(k)).toList();
    }

    @Test
    void chunkedTokensAreTheWholeTextsTokensLoneSurrogatesIncluded() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(60); i > 0; i--) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
            }
            String text = sb.toString();
            for (Tokenizer t : Tokenizer.values()) {
                assertEquals(t.tokens(text), scan(t, text, r), t + " of " + text.codePoints().boxed().toList());
            }
        });
    }

    @Test
    void wordKeysNumberDistinctWordsInOrderOfFirstAppearance() {
        TokenScanner s = TokenScanner.of(Tokenizer.WORD, "test");
        char[] c = "The cat; the CAT, a dog".toCharArray();
        int[] keys = new int[c.length + 2];
        int n = s.scan(c, 0, c.length, keys);
        assertEquals(List.of(0, 1, 0, 1, 2), Arrays.stream(keys, 0, n).boxed().toList());
        assertEquals(1, s.finish(keys), "the last word ends with the text");
        assertEquals(3, keys[0]);
        assertEquals(List.of("the", "cat", "a", "dog"), List.of(s.words().words()));
    }
}
