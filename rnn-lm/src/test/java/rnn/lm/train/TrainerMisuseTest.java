package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.api.Parameter;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Corpus;
import rnn.lm.text.Sampling;

/**
 * Issue 12, "the API holds against misuse": interrupts stop training, a stopped trainer runs again,
 * and no training setting is silently ignored.
 */
class TrainerMisuseTest {

    /** Far more epochs than a test could run: only a stop ends such a run. */
    static final int FOREVER = 1_000_000;

    static LanguageModel model() {
        Corpus c = TrainingTest.corpus();
        return new LanguageModel(c.vocabulary(), c.tokenizer(), ModelConfig.d2l(16), TrainingTest.naive(), 5);
    }

    static Trainer trainer(LanguageModel model, int epochs) {
        return new Trainer(model, TrainingTest.config(epochs, Sampling.RANDOM), TrainingTest.corpus().ids(), new int[0]);
    }

    /** What the training thread saw: run's result and whether its interrupt flag was still set after. */
    record Outcome(boolean completed, boolean interruptFlag) {
    }

    /** What {@link TrainingListener#onStop} was told. */
    record Stop(StopReason reason, int completedEpochs) {
    }

    /**
     * A listener counting finished epochs, opening {@code latch} once per epoch and keeping the stops
     * it is told of in {@code stops}.
     */
    static TrainingListener counting(AtomicInteger epochs, CountDownLatch latch, List<Stop> stops) {
        return new TrainingListener() {
            @Override
            public void onEpoch(EpochStats s) {
                epochs.incrementAndGet();
                latch.countDown();
            }

            @Override
            public void onStop(StopReason reason, int completedEpochs) {
                stops.add(new Stop(reason, completedEpochs));
            }
        };
    }

    @Test
    void futureCancelStopsTrainingAtTheNextStepWithTheCompletedEpochsKept() throws Exception {
        LanguageModel model = model();
        Trainer t = trainer(model, FOREVER);
        AtomicInteger epochs = new AtomicInteger();
        CountDownLatch twoEpochs = new CountDownLatch(2);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        List<Stop> stops = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> f = pool.submit(() -> {
                try {
                    boolean completed = t.run(counting(epochs, twoEpochs, stops));
                    outcome.set(new Outcome(completed, Thread.currentThread().isInterrupted()));
                } finally {
                    ended.countDown();
                }
            });
            assertTrue(twoEpochs.await(60, TimeUnit.SECONDS), "two epochs trained");
            assertTrue(f.cancel(true));
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ended.await(), "training stops after cancel(true)");
        } finally {
            t.requestStop(); // so that a trainer deaf to interrupts still ends
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertStoppedByInterruptWithCompletedEpochs(model, t, epochs.get(), outcome.get(), stops);
    }

    @Test
    void threadInterruptStopsTrainingAtTheNextStepWithTheCompletedEpochsKept() throws Exception {
        LanguageModel model = model();
        Trainer t = trainer(model, FOREVER);
        AtomicInteger epochs = new AtomicInteger();
        CountDownLatch twoEpochs = new CountDownLatch(2);
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        List<Stop> stops = new CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            boolean completed = t.run(counting(epochs, twoEpochs, stops));
            outcome.set(new Outcome(completed, Thread.currentThread().isInterrupted()));
        }, "trainer-under-test");
        worker.start();
        try {
            assertTrue(twoEpochs.await(60, TimeUnit.SECONDS), "two epochs trained");
            worker.interrupt();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> worker.join(), "training stops after interrupt()");
        } finally {
            t.requestStop();
            worker.join(60_000);
        }
        assertStoppedByInterruptWithCompletedEpochs(model, t, epochs.get(), outcome.get(), stops);
    }

    /**
     * The run returned false with the interrupt flag still set; the trainer and the model are exactly as
     * after {@code epochs} uninterrupted epochs (the interrupted one is rolled back, as on a stop request).
     */
    private static void assertStoppedByInterruptWithCompletedEpochs(LanguageModel model, Trainer t, int epochs,
                                                                    Outcome outcome, List<Stop> stops) {
        assertFalse(outcome.completed(), "run reports that it did not complete");
        assertEquals(List.of(new Stop(StopReason.INTERRUPTED, epochs)), stops, "the listener is told why, once");
        assertTrue(outcome.interruptFlag(), "the interrupt flag is kept for the caller");
        assertTrue(epochs >= 2, "epochs " + epochs);
        assertEquals(epochs, t.history().size(), "history holds every epoch the listener saw");
        LanguageModel straightModel = model();
        Trainer straight = trainer(straightModel, epochs);
        assertTrue(straight.run(TrainingListener.NONE));
        assertEquals(straight.globalStep(), t.globalStep(), "steps of the completed epochs only");
        assertSameWeights(straightModel, model);
    }

    @Test
    void aThreadInterruptedBeforeRunTrainsNothingAndKeepsItsFlag() {
        LanguageModel model = model();
        List<float[]> before = weights(model);
        Trainer t = trainer(model, 2);
        List<Stop> stops = new ArrayList<>();
        Thread.currentThread().interrupt();
        boolean completed;
        try {
            completed = t.run(counting(new AtomicInteger(), new CountDownLatch(0), stops));
        } finally {
            assertTrue(Thread.interrupted(), "flag kept (and cleared here, for the next test)");
        }
        assertFalse(completed);
        assertEquals(List.of(new Stop(StopReason.INTERRUPTED, 0)), stops);
        assertEquals(0, t.globalStep());
        assertEquals(0, t.history().size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), model.net().parameters().get(i).value());
        }
    }

    @Test
    void aTrainerStoppedByARequestRunsAgainFromTheEpochItStoppedInBitIdentically() {
        LanguageModel straightModel = model();
        Trainer straight = trainer(straightModel, 4);
        assertTrue(straight.run(TrainingListener.NONE));

        LanguageModel model = model();
        Trainer t = trainer(model, 4);
        List<Stop> stops = new ArrayList<>();
        assertFalse(t.run(stopAt(3, 2, t::requestStop, stops)));
        assertEquals(List.of(new Stop(StopReason.REQUESTED, 2)), stops);
        assertEquals(2, t.history().size());
        assertFalse(t.stopRequested(), "the run that stopped consumed the request");
        assertTrue(t.run(TrainingListener.NONE), "a second run continues to the end");
        assertSameRun(straight, straightModel, t, model);
    }

    @Test
    void aTrainerStoppedByAnInterruptRunsAgainOnceTheFlagIsClearedBitIdentically() {
        LanguageModel straightModel = model();
        Trainer straight = trainer(straightModel, 4);
        assertTrue(straight.run(TrainingListener.NONE));

        LanguageModel model = model();
        Trainer t = trainer(model, 4);
        List<Stop> stops = new ArrayList<>();
        boolean completed;
        try {
            completed = t.run(stopAt(2, 3, () -> Thread.currentThread().interrupt(), stops));
        } finally {
            assertTrue(Thread.interrupted(), "flag kept; cleared here");
        }
        assertFalse(completed);
        assertEquals(List.of(new Stop(StopReason.INTERRUPTED, 1)), stops);
        assertEquals(1, t.history().size());
        assertTrue(t.run(TrainingListener.NONE), "runs again once the flag is cleared");
        assertSameRun(straight, straightModel, t, model);
    }

    @Test
    void aStopRequestedBeforeRunStopsThatRunOnlyAndOneAtTheEndDoesNotStickToTheTrainer() {
        Trainer t = trainer(model(), 2);
        t.requestStop();
        assertFalse(t.run(TrainingListener.NONE), "a request made before run stops that run");
        assertEquals(0, t.globalStep());
        assertTrue(t.run(TrainingListener.NONE), "the next run is not stopped by it");
        assertEquals(2, t.history().size());
    }

    /** Calls {@code action} after batch {@code batch} of epoch {@code epoch}; keeps the stops it is told of. */
    private static TrainingListener stopAt(int epoch, int batch, Runnable action, List<Stop> stops) {
        return new TrainingListener() {
            @Override
            public void onBatch(int e, int done, int total, double ppl, double tps) {
                if (e == epoch && done == batch) {
                    action.run();
                }
            }

            @Override
            public void onStop(StopReason reason, int completedEpochs) {
                stops.add(new Stop(reason, completedEpochs));
            }
        };
    }

    private static void assertSameRun(Trainer straight, LanguageModel straightModel, Trainer t, LanguageModel model) {
        assertSameWeights(straightModel, model);
        assertEquals(straight.globalStep(), t.globalStep());
        assertEquals(straight.history().size(), t.history().size());
        for (int e = 0; e < straight.history().size(); e++) {
            EpochStats a = straight.history().get(e), b = t.history().get(e);
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.trainPerplexity(), b.trainPerplexity(), "epoch " + a.epoch());
            assertEquals(a.skippedSteps(), b.skippedSteps());
        }
    }

    private static void assertSameWeights(LanguageModel expected, LanguageModel actual) {
        for (int i = 0; i < expected.net().parameters().size(); i++) {
            Parameter p = expected.net().parameters().get(i);
            assertArrayEquals(p.value(), actual.net().parameters().get(i).value(), p.name());
        }
    }

    private static List<float[]> weights(LanguageModel m) {
        return m.net().parameters().stream().map(p -> p.value().clone()).toList();
    }

    // ---- threads: the backend has the thread count; the training config has none to ignore ----

    @Test
    void theTrainingConfigHasNoThreadCountThatNothingReads() {
        for (var component : TrainingConfig.class.getRecordComponents()) {
            assertFalse(component.getName().equals("threads"),
                    "TrainingConfig.threads would be a setting no trainer reads: threads belong to the backend");
        }
    }

    @Test
    void aModelFileRecordsTheThreadsOfTheBackendThatTrainedIt(@TempDir Path dir) throws Exception {
        LanguageModel model = model();
        Trainer t = trainer(model, 1);
        assertTrue(t.run(TrainingListener.NONE));
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model, TrainingConfig.builder().optBatch(4).optSteps(10).optEpochs(1).build(), t,
                Map.of("source", "test"));
        assertEquals(Integer.toString(model.net().backend().threads()),
                Safetensors.read(file).metadata().get("threads"), "the naive backend runs on 1 thread whatever asked");
    }

    @Test
    void modelFilesLoadWhateverThreadCountTheyRecordOrWithoutOne(@TempDir Path dir) throws Exception {
        LanguageModel model = model();
        Trainer t = trainer(model, 1);
        assertTrue(t.run(TrainingListener.NONE));
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(file, model, TrainingTest.config(1, Sampling.RANDOM), t, Map.of("source", "test"));
        Safetensors.Contents saved = Safetensors.read(file);
        for (String threads : new String[] {"8", "2", null}) { // files of earlier versions, and of other writers
            Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
            if (threads == null) {
                meta.remove("threads");
            } else {
                meta.put("threads", threads);
            }
            Path variant = dir.resolve("m-" + threads + ".safetensors");
            Safetensors.write(variant, saved.tensors(), meta);
            ModelFile.Loaded loaded = ModelFile.load(variant, TrainingTest.naive());
            assertEquals(t.history(), loaded.history(), "threads " + threads);
            assertSameWeights(model, loaded.model());
        }
    }
}
