package rnn.backend.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that, with the caller, claim the chunks of one job at a time. Each thread
 * has a home range of chunks, the same for every job of the same size, and takes those first: a GEMM's
 * chunks are runs of B's columns, so each core keeps re-reading the half of a recurrent weight already in
 * its own L2. A thread with no home chunk left takes the others' (from their range's start, as they do):
 * a worker the OS has not scheduled yet (other processes on few cores) only means the caller does more
 * chunks, never that it waits a time slice for a fixed share. The handoff
 * allocates nothing: the job is published through a volatile epoch; idle workers spin a little
 * (kernels come back to back in a training step) and then park.
 *
 * <p>Which thread computes a chunk varies, so jobs must give the same bits whoever runs each chunk.
 *
 * <p>Worker 1 also serves a {@link Background} queue, before the caller's jobs: while it computes a queued
 * product, the caller's jobs are done by the caller alone, as when a worker is late.
 *
 * <p>One thread at a time calls {@link #run}: the handoff (job, epoch, claim and done counters) has a
 * single writer. A second thread calling {@code run} while a job is running gets an
 * {@link IllegalStateException} at once, before it touches anything, so it can neither hang nor corrupt
 * the running job. The check is one compare-and-set on entry and one release store on exit; it allocates
 * nothing. Different threads may call {@code run} one after the other. {@code run} after {@link #close}
 * throws an {@link IllegalStateException} as well.
 */
final class WorkerPool {

    /** A job cut into independent chunks. */
    interface Job {
        void runChunk(int chunk, int worker);
    }

    /** Work that worker 1 takes up, one piece at a time, before its share of the caller's jobs. */
    interface Background {
        /** Runs the next pending piece; false when there is none. */
        boolean runNext();
    }

    /** How long a waiting thread spins before parking: a few kernel calls' worth. */
    private static final long SPIN_NANOS = 50_000;
    private static final int BITS = 21;
    private static final int PAD = 8;
    private static final long MASK = (1L << BITS) - 1;
    static final int MAX_CHUNKS = (int) MASK;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(WorkerPool.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Thread[] workers;
    /** The thread inside {@link #run}, null when none: set by compare-and-set through {@link #OWNER}. */
    @SuppressWarnings("unused")
    private volatile Thread owner;
    /**
     * Per home range, {@link #PAD} longs apart (a cache line each, so claims on different ranges do not
     * contend): epoch | end | next, packed so that a late worker cannot claim a chunk of a finished job.
     */
    private final AtomicLongArray claims;
    private final AtomicInteger done = new AtomicInteger();
    private volatile Job job;
    /** The job's chunk count: written before the claims, so whoever claims a chunk of a job reads its count. */
    private int chunks;
    private volatile int epoch;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile Throwable failure;
    private volatile Background background;

    WorkerPool(int threads, String name) {
        this.name = name;
        workers = new Thread[threads - 1];
        claims = new AtomicLongArray(threads * PAD);
        for (int w = 0; w < workers.length; w++) {
            int id = w + 1;
            Thread t = new Thread(() -> loop(id), name + "-" + id);
            t.setDaemon(true);
            workers[w] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    /** Sets the background work worker 1 serves; once, before any is queued. */
    void background(Background b) {
        background = b;
    }

    /** Tells worker 1 that background work is queued (it may be parked). */
    void wakeBackground() {
        if (workers.length > 0) {
            LockSupport.unpark(workers[0]);
        }
    }

    /** Threads that may work on a job, the caller included. */
    int threads() {
        return workers.length + 1;
    }

    /**
     * Runs chunks 0..total-1 of {@code j} and returns when all are done. If chunks throw (on a worker or
     * on the caller), one of their exceptions is rethrown here once every chunk has finished; the pool
     * stays usable.
     *
     * @throws IllegalStateException if another thread is in {@code run} on this pool (or this thread,
     *     from inside one of its chunks), or the pool is closed; nothing of {@code j} has run then
     */
    void run(Job j, int total) {
        if (total <= 0 || total > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks: " + total);
        }
        Thread me = Thread.currentThread();
        if (!OWNER.compareAndSet(this, (Thread) null, me)) {
            throw busy(me);
        }
        try {
            if (closed) {
                throw new IllegalStateException("worker pool '" + name + "' is closed: its threads have ended"
                        + " (was its backend closed?)");
            }
            runOwned(j, total, me);
        } finally {
            OWNER.setRelease(this, (Thread) null);
        }
    }

    private IllegalStateException busy(Thread me) {
        Thread other = (Thread) OWNER.getVolatile(this);
        String who = other == me ? "this same thread (run called from inside one of its chunks)"
                : other == null ? "another thread" : "thread '" + other.getName() + "'";
        return new IllegalStateException("worker pool '" + name + "' is already running a job for " + who
                + "; run is called by one thread at a time");
    }

    /** The handoff, by the one thread that holds {@link #owner}. */
    private void runOwned(Job j, int total, Thread me) {
        int e = (epoch + 1) & (int) MASK; // single writer: the owner
        job = j;
        failure = null;
        waiter = me;
        done.set(0);
        chunks = total;
        int threads = threads();
        for (int w = 0; w < threads; w++) {
            long from = (long) total * w / threads, to = (long) total * (w + 1) / threads;
            claims.set(w * PAD, ((long) e << 2 * BITS) | (to << BITS) | from);
        }
        epoch = e; // the volatile write publishes everything above
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        work(e, j, 0);
        long deadline = 0;
        int spins = 0;
        while (done.get() != total) {
            if (deadline == 0) {
                deadline = System.nanoTime() + SPIN_NANOS;
            }
            if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        job = null;
        rethrow(failure);
    }

    /** Throws {@code t} as it is if unchecked, wrapped if checked; nothing if null. */
    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Claims and runs chunks of epoch e until none is left: its home range first, then the others'. */
    private void work(int e, Job j, int worker) {
        int threads = threads();
        for (int i = 0; i < threads; i++) {
            int range = (worker + i) % threads;
            while (claimAndRun(range * PAD, e, j, worker)) {
                // next chunk of the same range
            }
        }
    }

    /** Runs the next chunk of one range; false when that range is empty or no longer epoch e's. */
    private boolean claimAndRun(int at, int e, Job j, int worker) {
        while (true) {
            long s = claims.get(at);
            int next = (int) (s & MASK);
            int end = (int) ((s >>> BITS) & MASK);
            if ((int) (s >>> 2 * BITS) != e || next >= end) {
                return false;
            }
            if (!claims.compareAndSet(at, s, s + 1)) {
                continue;
            }
            // Epoch e cannot end before this chunk is counted, so j and its fields are still e's.
            try {
                j.runChunk(next, worker);
            } catch (Throwable t) {
                failure = t;
            }
            if (done.incrementAndGet() == chunks && worker != 0) {
                LockSupport.unpark(waiter);
            }
            return true;
        }
    }

    /**
     * A worker's life: background work first (worker 1 only), then the caller's newest job, else spin a
     * little and park. Background first, so that a product queued beside the caller's sequential work
     * runs while the caller does that work alone, rather than after it.
     */
    private void loop(int id) {
        int seen = 0;
        long deadline = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (true) {
            Background bg = id == 1 ? background : null;
            int e = epoch;
            if (bg != null && bg.runNext() || e != seen) {
                if (e != seen && epoch == e) {
                    seen = e;
                    Job j = job;
                    if (j != null) {
                        work(e, j, id);
                    }
                }
                deadline = System.nanoTime() + SPIN_NANOS;
                continue;
            }
            if (closed) {
                return;
            }
            if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
        for (Thread t : workers) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
