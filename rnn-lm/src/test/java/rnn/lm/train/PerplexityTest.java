package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.Backends;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;

/** Evaluation does no gradient work: the loss's gradient is never asked of the backend. */
class PerplexityTest {

    /** The naive backend behind a proxy that counts the softmax cross-entropy calls, with and without dLogits. */
    static final class Counting implements InvocationHandler {
        final Backend naive = Backends.create("naive", new BackendOptions(1));
        final Backend backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, this);
        int withGradient;
        int withoutGradient;

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getName().equals("softmaxCrossEntropy")) {
                if (args[7] == null) { // float[] dLogits
                    withoutGradient++;
                } else {
                    withGradient++;
                }
            }
            try {
                return m.invoke(naive, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Test
    void perplexityAsksForNoGradient() {
        Corpus c = TrainingTest.corpus();
        for (String cell : new String[] {"rnn", "lstm"}) {
            Counting counting = new Counting();
            ModelConfig config = ModelConfig.d2l(16).withCell(cell, java.util.Map.of());
            LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), config, counting.backend, 3);
            double ppl = Perplexity.of(model, c.ids(), 4, 10);
            assertTrue(ppl > 1 && ppl < 2 * c.vocabulary().size(), cell + ": " + ppl);
            assertEquals(0, counting.withGradient, cell + ": no dLogits during evaluation");
            // The stream cut into 4 rows of (n − 1) / 4 steps, read 10 at a time: one call per chunk.
            int chunks = (int) Math.ceil((c.ids().length - 1) / 4 / 10.0);
            assertEquals(chunks, counting.withoutGradient, cell);
            assertEquals(ppl, Perplexity.of(model.copyOn(counting.naive), c.ids(), 4, 10), cell + ": the same value");
        }
    }

    @Test
    void validationDuringTrainingAsksForNoGradientAndTrainingStepsStillDo() {
        Corpus c = TrainingTest.corpus();
        Corpus.Split split = c.split(0.1);
        Counting counting = new Counting();
        LanguageModel model = new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), counting.backend, 3);
        int[] updates = new int[1];
        Trainer t = new Trainer(model, TrainingTest.config(2, Sampling.SEQUENTIAL), split.train(), split.validation());
        assertTrue(t.run(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double runningPerplexity, double tokensPerSecond) {
                updates[0]++;
            }
        }));
        assertTrue(Double.isFinite(t.history().get(1).valPerplexity()));
        assertTrue(updates[0] > 0);
        assertEquals(updates[0], counting.withGradient, "one loss gradient per training step, none for validation");
        assertTrue(counting.withoutGradient > 0, "validation ran without one");
    }
}
