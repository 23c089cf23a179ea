package rnn.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/**
 * The pool on its own: chunks, failures, closing, and two threads calling {@link WorkerPool#run} at once.
 * Everything runs under a preemptive timeout, so a hang fails the test instead of the build; the threads
 * the tests start are daemons, so a hung one cannot keep the test JVM alive.
 */
class WorkerPoolTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A pool whose threads can be told apart from every other pool's. */
    private static String uniqueName(String what) {
        return "pool-test-" + what + "-" + POOLS.incrementAndGet();
    }

    /** A job that counts how often each chunk ran and checks the worker index it was given. */
    private static WorkerPool.Job counting(AtomicIntegerArray counts, int threads, AtomicBoolean badWorker) {
        return (chunk, worker) -> {
            if (worker < 0 || worker >= threads) {
                badWorker.set(true);
            }
            counts.incrementAndGet(chunk);
        };
    }

    private static void assertEachOnce(AtomicIntegerArray counts, String what) {
        for (int i = 0; i < counts.length(); i++) {
            if (counts.get(i) != 1) {
                fail(what + ": chunk " + i + " ran " + counts.get(i) + " times");
            }
        }
    }

    private static <T> CompletableFuture<T> onDaemon(String name, Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not reached in 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void everyChunkOfEveryJobRunsExactlyOnce() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int[] totals = {1, 2, 3, 7, 8, 64, 1000, 100_000};
            for (int threads = 1; threads <= 4; threads++) {
                WorkerPool pool = new WorkerPool(threads, uniqueName("chunks"));
                try {
                    assertEquals(threads, pool.threads());
                    AtomicBoolean badWorker = new AtomicBoolean();
                    List<AtomicIntegerArray> all = new ArrayList<>();
                    for (int total : totals) {
                        // Many back-to-back jobs: a late worker must never run a chunk of a finished job.
                        int repeats = total >= 1000 ? 5 : 300;
                        for (int r = 0; r < repeats; r++) {
                            AtomicIntegerArray counts = new AtomicIntegerArray(total);
                            pool.run(counting(counts, threads, badWorker), total);
                            assertEachOnce(counts, threads + " threads, " + total + " chunks, run " + r);
                            all.add(counts);
                        }
                    }
                    // Checked again at the end: no chunk of an earlier job ran after its run returned.
                    for (AtomicIntegerArray counts : all) {
                        assertEachOnce(counts, threads + " threads, after all runs");
                    }
                    assertFalse(badWorker.get(), "a chunk was given a worker index outside [0, threads)");
                } finally {
                    pool.close();
                }
            }
        });
    }

    /**
     * Each thread takes its home range first, but a worker held up inside one of its home chunks leaves
     * the rest of its range to the caller: the held chunk waits for the seven others, so the run would hang
     * if only home chunks were taken.
     */
    @Test
    void aHeldUpWorkersHomeChunksAreTakenByTheCaller() {
        assertTimeoutPreemptively(LIMIT, () -> {
            WorkerPool pool = new WorkerPool(2, uniqueName("steal"));
            try {
                for (int r = 0; r < 100; r++) {
                    AtomicIntegerArray counts = new AtomicIntegerArray(8);
                    CountDownLatch others = new CountDownLatch(7);
                    AtomicBoolean held = new AtomicBoolean();
                    AtomicBoolean released = new AtomicBoolean(true);
                    pool.run((chunk, worker) -> {
                        counts.incrementAndGet(chunk);
                        if (worker == 1 && held.compareAndSet(false, true)) {
                            try {
                                released.set(others.await(10, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                released.set(false);
                            }
                        } else {
                            others.countDown();
                        }
                    }, 8);
                    assertEachOnce(counts, "run " + r);
                    assertTrue(released.get(), "run " + r + ": the worker's other home chunks were left undone");
                }
            } finally {
                pool.close();
            }
        });
    }

    @Test
    void rejectsChunkCountsOutOfRange() {
        WorkerPool pool = new WorkerPool(2, uniqueName("range"));
        try {
            WorkerPool.Job nothing = (chunk, worker) -> { };
            assertThrows(IllegalArgumentException.class, () -> pool.run(nothing, 0));
            assertThrows(IllegalArgumentException.class, () -> pool.run(nothing, WorkerPool.MAX_CHUNKS + 1));
        } finally {
            pool.close();
        }
    }

    /** Chunk 0..1 of a two-thread pool: the worker's chunk throws once the caller is holding the other. */
    @Test
    void aWorkersExceptionReachesTheCallerAndThePoolStaysUsable() {
        assertTimeoutPreemptively(LIMIT, () -> {
            WorkerPool pool = new WorkerPool(2, uniqueName("worker-throws"));
            try {
                for (int round = 0; round < 20; round++) {
                    RuntimeException boom = new IllegalArgumentException("worker boom " + round);
                    CountDownLatch workerRan = new CountDownLatch(1);
                    // The caller's chunk waits until the worker has thrown, so the worker surely runs one.
                    WorkerPool.Job job = (chunk, worker) -> {
                        if (worker != 0) {
                            workerRan.countDown();
                            throw boom;
                        }
                        await(workerRan);
                    };
                    RuntimeException got = assertThrows(RuntimeException.class, () -> pool.run(job, 2));
                    assertSame(boom, got, "the worker's own exception, unwrapped");

                    AtomicIntegerArray counts = new AtomicIntegerArray(257);
                    pool.run(counting(counts, 2, new AtomicBoolean()), counts.length());
                    assertEachOnce(counts, "the run after a worker's failure, round " + round);
                }
                Error error = new AssertionError("worker error");
                CountDownLatch workerRan = new CountDownLatch(1);
                WorkerPool.Job job = (chunk, worker) -> {
                    if (worker != 0) {
                        workerRan.countDown();
                        throw error;
                    }
                    await(workerRan);
                };
                assertSame(error, assertThrows(AssertionError.class, () -> pool.run(job, 2)), "an Error, unwrapped");
                AtomicIntegerArray counts = new AtomicIntegerArray(64);
                pool.run(counting(counts, 2, new AtomicBoolean()), counts.length());
                assertEachOnce(counts, "the run after a worker's error");
            } finally {
                pool.close();
            }
        });
    }

    /** The worker holds one of two chunks until the caller has thrown from the other. */
    @Test
    void theCallersOwnChunkExceptionReachesTheCallerAndThePoolStaysUsable() {
        assertTimeoutPreemptively(LIMIT, () -> {
            WorkerPool pool = new WorkerPool(2, uniqueName("caller-throws"));
            try {
                for (int round = 0; round < 20; round++) {
                    RuntimeException boom = new IllegalStateException("caller boom " + round);
                    CountDownLatch callerRan = new CountDownLatch(1);
                    AtomicInteger workerChunks = new AtomicInteger();
                    WorkerPool.Job job = (chunk, worker) -> {
                        if (worker == 0) {
                            callerRan.countDown();
                            throw boom;
                        }
                        workerChunks.incrementAndGet();
                        await(callerRan);
                    };
                    RuntimeException got = assertThrows(RuntimeException.class, () -> pool.run(job, 2));
                    assertSame(boom, got, "the caller's own exception, unwrapped");
                    assertTrue(workerChunks.get() <= 1);

                    AtomicIntegerArray counts = new AtomicIntegerArray(129);
                    pool.run(counting(counts, 2, new AtomicBoolean()), counts.length());
                    assertEachOnce(counts, "the run after the caller's failure, round " + round);
                }
            } finally {
                pool.close();
            }
        });
    }

    @Test
    void runAfterCloseFailsClearlyInsteadOfHanging() {
        assertTimeoutPreemptively(LIMIT, () -> {
            String name = uniqueName("closed");
            WorkerPool pool = new WorkerPool(3, name);
            AtomicIntegerArray counts = new AtomicIntegerArray(16);
            pool.run(counting(counts, 3, new AtomicBoolean()), counts.length());
            pool.close();
            AtomicIntegerArray after = new AtomicIntegerArray(16);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.run(counting(after, 3, new AtomicBoolean()), after.length()));
            // Clear: says which pool and that it is closed.
            assertTrue(e.getMessage().contains("'" + name + "'") && e.getMessage().contains("closed"), e.getMessage());
            for (int i = 0; i < after.length(); i++) {
                assertEquals(0, after.get(i), "a chunk ran on a closed pool");
            }
            pool.close(); // closing twice is harmless
        });
    }

    @Test
    void closeWhileWorkersAreParkedReturnsPromptlyAndEndsTheWorkers() {
        assertTimeoutPreemptively(LIMIT, () -> {
            String name = uniqueName("parked");
            WorkerPool pool = new WorkerPool(4, name);
            AtomicIntegerArray counts = new AtomicIntegerArray(32);
            pool.run(counting(counts, 4, new AtomicBoolean()), counts.length());
            List<Thread> workers = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith(name + "-")) {
                    workers.add(t);
                }
            }
            assertEquals(3, workers.size(), "worker threads of " + name);
            // Past their spin (tens of µs), idle workers park: wait until all of them are.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
                assertTrue(System.nanoTime() < deadline, "workers never parked: " + workers.stream().map(Thread::getState).toList());
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            pool.close();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 900, "close took " + millis + " ms");
            for (Thread t : workers) {
                assertFalse(t.isAlive(), t.getName() + " still alive after close");
            }
        });
    }

    /**
     * Thread A's job holds its chunks until thread B has tried to run a job of its own on the same pool.
     * B must get the clear exception at once (no chunk of its job run), A's job must finish with every
     * chunk run exactly once, and the pool must still serve B afterwards.
     */
    @Test
    void twoThreadsCallingRunAtOnceOneGetsAClearExceptionNeitherHangs() {
        assertTimeoutPreemptively(LIMIT, () -> {
            WorkerPool pool = new WorkerPool(2, uniqueName("two-callers"));
            try {
                CountDownLatch aRunning = new CountDownLatch(1), bTried = new CountDownLatch(1);
                AtomicIntegerArray aCounts = new AtomicIntegerArray(8), bCounts = new AtomicIntegerArray(8);
                WorkerPool.Job a = (chunk, worker) -> {
                    aCounts.incrementAndGet(chunk);
                    aRunning.countDown();
                    await(bTried);
                };
                WorkerPool.Job b = counting(bCounts, 2, new AtomicBoolean());
                CompletableFuture<Void> fa = onDaemon("caller-A", () -> {
                    pool.run(a, aCounts.length());
                    return null;
                });
                CompletableFuture<Throwable> fb = onDaemon("caller-B", () -> {
                    await(aRunning);
                    try {
                        pool.run(b, bCounts.length());
                        return null;
                    } catch (Throwable e) {
                        return e;
                    } finally {
                        bTried.countDown();
                    }
                });
                Throwable bFailure = fb.get(30, TimeUnit.SECONDS);
                fa.get(30, TimeUnit.SECONDS);
                assertInstanceOf(IllegalStateException.class, bFailure, "B's run while A's runs");
                String message = bFailure.getMessage();
                assertTrue(message.contains("already running") && message.contains("'caller-A'")
                        && message.contains("one thread at a time"), message);
                assertEachOnce(aCounts, "A's job");
                for (int i = 0; i < bCounts.length(); i++) {
                    assertEquals(0, bCounts.get(i), "B's rejected job ran chunk " + i);
                }
                // One thread at a time, not one thread forever: B may run once A is done.
                assertNull(onDaemon("caller-B-again", () -> {
                    pool.run(b, bCounts.length());
                    return null;
                }).get(30, TimeUnit.SECONDS));
                assertEachOnce(bCounts, "B's job run after A's");
            } finally {
                pool.close();
            }
        });
    }

    /**
     * Two threads calling run back to back on one pool: every call either runs its whole job exactly once
     * or is refused with the clear exception, and neither thread hangs.
     */
    @Test
    void twoThreadsHammeringRunAreRefusedOrCorrectNeverHung() {
        assertTimeoutPreemptively(LIMIT, () -> {
            WorkerPool pool = new WorkerPool(3, uniqueName("hammer"));
            try {
                AtomicInteger refused = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                long deadline = System.nanoTime() + 10_000_000_000L;
                List<CompletableFuture<Integer>> callers = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    String name = "hammer-" + c;
                    callers.add(onDaemon(name, () -> {
                        int runs = 0;
                        AtomicBoolean badWorker = new AtomicBoolean();
                        while (!stop.get() && System.nanoTime() < deadline) {
                            AtomicIntegerArray counts = new AtomicIntegerArray(24);
                            try {
                                pool.run(counting(counts, 3, badWorker), counts.length());
                            } catch (IllegalStateException e) {
                                assertTrue(e.getMessage().contains("already running"), e.getMessage());
                                for (int i = 0; i < counts.length(); i++) {
                                    assertEquals(0, counts.get(i), name + ": a refused job ran chunk " + i);
                                }
                                // Enough refusals seen on both sides to know the guard works; stop.
                                if (refused.incrementAndGet() >= 50) {
                                    stop.set(true);
                                }
                                continue;
                            }
                            assertEachOnce(counts, name + ", run " + runs);
                            runs++;
                        }
                        assertFalse(badWorker.get(), name + ": bad worker index");
                        return runs;
                    }));
                }
                int runs = 0;
                for (CompletableFuture<Integer> f : callers) {
                    runs += f.get(50, TimeUnit.SECONDS);
                }
                assertTrue(refused.get() > 0, "two threads hammering one pool for 10 s never overlapped (" + runs + " runs)");
                assertTrue(runs > 0, "no run succeeded");
                AtomicIntegerArray counts = new AtomicIntegerArray(24);
                pool.run(counting(counts, 3, new AtomicBoolean()), counts.length());
                assertEachOnce(counts, "a run after the hammering");
            } finally {
                pool.close();
            }
        });
    }
}
