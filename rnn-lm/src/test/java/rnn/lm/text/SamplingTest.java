package rnn.lm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import rnn.api.Rng;

class SamplingTest {

    /** d2l's {@code my_seq = list(range(35))}. */
    private static final int[] MY_SEQ = range(0, 35);

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    private static int[][] rows(int... starts) {
        int[][] out = new int[starts.length][];
        for (int i = 0; i < starts.length; i++) {
            out[i] = range(starts[i], starts[i] + 5);
        }
        return out;
    }

    /** A batch of 5-step rows starting at the given tokens, with y one further. */
    private static Batch batch(int... starts) {
        int[] next = Arrays.stream(starts).map(s -> s + 1).toArray();
        return new Batch(rows(starts), rows(next));
    }

    @Test
    void sequentialOffsetZeroMatchesD2l() {
        // num_tokens = (34 // 2) * 2 = 34: rows 0..16 and 17..33, three batches of five steps.
        assertEquals(List.of(batch(0, 17), batch(5, 22), batch(10, 27)), SequentialBatches.batches(MY_SEQ, 2, 5, 0));
    }

    @Test
    void sequentialOffsetOneMatchesD2l() {
        // num_tokens = (33 // 2) * 2 = 32: rows 1..16 and 17..32.
        assertEquals(List.of(batch(1, 17), batch(6, 22), batch(11, 27)), SequentialBatches.batches(MY_SEQ, 2, 5, 1));
    }

    @Test
    void sequentialOffsetTwoMatchesD2l() {
        // num_tokens = (32 // 2) * 2 = 32: rows 2..17 and 18..33.
        assertEquals(List.of(batch(2, 18), batch(7, 23), batch(12, 28)), SequentialBatches.batches(MY_SEQ, 2, 5, 2));
    }

    @Test
    void sequentialOffsetFiveHasTwoBatches() {
        // num_tokens = (29 // 2) * 2 = 28: rows 5..18 and 19..32, 14 // 5 = 2 batches.
        assertEquals(List.of(batch(5, 19), batch(10, 24)), SequentialBatches.batches(MY_SEQ, 2, 5, 5));
    }

    @Test
    void randomWithGivenOffsetAndOrderMatchesD2l() {
        // offset 0: num_subseqs = 34 // 5 = 6, initial indices 0, 5, ..., 25, three batches of two.
        assertArrayEquals(new int[] {0, 5, 10, 15, 20, 25}, RandomBatches.initialIndices(35, 5, 0));
        int[] order = {25, 0, 10, 5, 20, 15};
        assertEquals(List.of(batch(25, 0), batch(10, 5), batch(20, 15)),
                RandomBatches.batches(MY_SEQ, 2, 5, 0, order));
        // offset 3: corpus[3:] has 32 tokens, num_subseqs = 31 // 5 = 6, starts shifted by 3.
        assertArrayEquals(new int[] {0, 5, 10, 15, 20, 25}, RandomBatches.initialIndices(35, 5, 3));
        assertEquals(List.of(batch(8, 3), batch(28, 13), batch(18, 23)),
                RandomBatches.batches(MY_SEQ, 2, 5, 3, new int[] {5, 0, 25, 10, 15, 20}));
        // offset 4: 30 // 5 = 6 as well; with batch 4 only one batch, the rest dropped.
        assertEquals(List.of(new Batch(rows(4, 9, 14, 19), rows(5, 10, 15, 20))),
                RandomBatches.batches(MY_SEQ, 4, 5, 4, new int[] {0, 5, 10, 15, 20, 25}));
    }

    @Test
    void randomRejectsAnOrderThatIsNotAPermutation() {
        assertThrows(IllegalArgumentException.class,
                () -> RandomBatches.batches(MY_SEQ, 2, 5, 0, new int[] {0, 5, 10, 15, 20, 20}));
        assertThrows(IllegalArgumentException.class,
                () -> RandomBatches.batches(MY_SEQ, 2, 5, 0, new int[] {0, 5, 10}));
    }

    @Test
    void epochIsDeterministicForASeedAndUsesTheRng() {
        int[] corpus = range(0, 1000);
        for (Sampling s : Sampling.values()) {
            assertEquals(s.epoch(corpus, 4, 7, new Rng(42)), Sampling.epoch(s, corpus, 4, 7, new Rng(42)));
        }
        Rng rng = new Rng(42);
        assertFalse(Sampling.RANDOM.epoch(corpus, 4, 7, rng).equals(Sampling.RANDOM.epoch(corpus, 4, 7, rng)));
    }

    @Test
    void tooShortCorpusSaysHowManyTokensAreNeeded() {
        // sequential: 2 * 5 + 5 + 1 = 16 tokens make a batch at every offset in [0, 5].
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sampling.SEQUENTIAL.epoch(range(0, 15), 2, 5, new Rng(1)));
        assertTrue(e.getMessage().contains("15 tokens") && e.getMessage().contains("at least 16"), e.getMessage());
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(1, Sampling.SEQUENTIAL.epoch(range(0, 16), 2, 5, new Rng(seed)).size());
            assertEquals(1, Sampling.RANDOM.epoch(range(0, 15), 2, 5, new Rng(seed)).size());
        }
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> Sampling.RANDOM.epoch(range(0, 14), 2, 5, new Rng(1)));
        assertTrue(r.getMessage().contains("14 tokens") && r.getMessage().contains("at least 15"), r.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SequentialBatches.batches(MY_SEQ, 4, 9, 0));
        assertThrows(IllegalArgumentException.class, () -> Sampling.RANDOM.epoch(MY_SEQ, 0, 5, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> Sampling.RANDOM.epoch(MY_SEQ, 2, 0, new Rng(1)));
    }

    @Test
    void parseAndState() {
        assertEquals(Sampling.RANDOM, Sampling.parse("random"));
        assertEquals(Sampling.SEQUENTIAL, Sampling.parse("Sequential"));
        assertEquals("sequential", Sampling.SEQUENTIAL.id());
        assertTrue(Sampling.SEQUENTIAL.carriesState());
        assertFalse(Sampling.RANDOM.carriesState());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sampling.parse("shuffle"));
        assertTrue(e.getMessage().contains("random") && e.getMessage().contains("sequential"), e.getMessage());
    }

    private static void assertTargetsAreNextTokens(List<Batch> batches) {
        for (Batch b : batches) {
            for (int r = 0; r < b.batchSize(); r++) {
                for (int t = 0; t < b.numSteps(); t++) {
                    assertEquals(b.x()[r][t] + 1, b.y()[r][t]);
                    if (t > 0) {
                        assertEquals(b.x()[r][t - 1] + 1, b.x()[r][t]);
                    }
                }
            }
        }
    }

    @Test
    void randomProperties() {
        qt().withExamples(300).forAll(integers().between(1, 400), integers().between(1, 8), integers().between(1, 12),
                longs().all()).checkAssert((length, batch, steps, seed) -> {
                    int[] corpus = range(0, length);
                    if (length < Sampling.RANDOM.minimumTokens(batch, steps)) {
                        assertThrows(IllegalArgumentException.class,
                                () -> Sampling.RANDOM.epoch(corpus, batch, steps, new Rng(seed)));
                        return;
                    }
                    List<Batch> batches = Sampling.RANDOM.epoch(corpus, batch, steps, new Rng(seed));
                    int offset = new Rng(seed).nextInt(steps);
                    int numSubseqs = (length - offset - 1) / steps;
                    assertEquals(numSubseqs / batch, batches.size());
                    assertTargetsAreNextTokens(batches);
                    List<Integer> starts = new ArrayList<>();
                    for (Batch b : batches) {
                        assertEquals(batch, b.batchSize());
                        assertEquals(steps, b.numSteps());
                        for (int[] row : b.x()) {
                            assertEquals(0, (row[0] - offset) % steps);
                            starts.add(row[0]);
                        }
                    }
                    starts.sort(null);
                    for (int i = 1; i < starts.size(); i++) {
                        assertTrue(starts.get(i) - starts.get(i - 1) >= steps, "subsequences overlap");
                    }
                    assertTrue(starts.getLast() + steps < length);
                });
    }

    @Test
    void sequentialProperties() {
        qt().withExamples(300).forAll(integers().between(1, 400), integers().between(1, 8), integers().between(1, 12),
                longs().all()).checkAssert((length, batch, steps, seed) -> {
                    int[] corpus = range(0, length);
                    if (length < Sampling.SEQUENTIAL.minimumTokens(batch, steps)) {
                        assertThrows(IllegalArgumentException.class,
                                () -> Sampling.SEQUENTIAL.epoch(corpus, batch, steps, new Rng(seed)));
                        return;
                    }
                    List<Batch> batches = Sampling.SEQUENTIAL.epoch(corpus, batch, steps, new Rng(seed));
                    int offset = new Rng(seed).nextInt(steps + 1);
                    int cols = (length - offset - 1) / batch;
                    assertEquals(cols / steps, batches.size());
                    assertTargetsAreNextTokens(batches);
                    for (int r = 0; r < batch; r++) {
                        assertEquals(offset + r * cols, batches.getFirst().x()[r][0]);
                    }
                    for (int i = 1; i < batches.size(); i++) {
                        for (int r = 0; r < batch; r++) {
                            // Row r of batch i continues row r of batch i-1: the state can be carried.
                            assertEquals(batches.get(i - 1).x()[r][steps - 1] + 1, batches.get(i).x()[r][0]);
                        }
                    }
                });
    }
}
