package rnn.backend.vector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that, with the caller, claim the chunks of one job at a time. Chunks are
 * claimed dynamically, so a worker the OS has not scheduled yet (other processes on few cores) only
 * means the caller does more chunks, never that it waits a time slice for a fixed share. The handoff
 * allocates nothing: the job is published through a volatile epoch; idle workers spin a little
 * (kernels come back to back in a training step) and then park.
 *
 * <p>Which thread computes a chunk varies, so jobs must give the same bits whoever runs each chunk.
 */
final class WorkerPool {

    /** A job cut into independent chunks. */
    interface Job {
        void runChunk(int chunk, int worker);
    }

    /** How long a waiting thread spins before parking: a few kernel calls' worth. */
    private static final long SPIN_NANOS = 50_000;
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;
    static final int MAX_CHUNKS = (int) MASK;

    private final Thread[] workers;
    /** epoch | total | next, packed so that a late worker cannot claim a chunk of a finished job. */
    private final AtomicLong claim = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private volatile Job job;
    private volatile int epoch;
    private volatile boolean closed;
    private volatile Thread waiter;
    private volatile Throwable failure;

    WorkerPool(int threads, String name) {
        workers = new Thread[threads - 1];
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

    /** Threads that may work on a job, the caller included. */
    int threads() {
        return workers.length + 1;
    }

    /** Runs chunks 0..total-1 of {@code j} and returns when all are done. */
    void run(Job j, int total) {
        if (closed) {
            throw new IllegalStateException("backend is closed");
        }
        if (total <= 0 || total > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunks: " + total);
        }
        int e = (epoch + 1) & (int) MASK; // single writer
        job = j;
        failure = null;
        waiter = Thread.currentThread();
        done.set(0);
        claim.set(((long) e << 2 * BITS) | ((long) total << BITS));
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
        Throwable t = failure;
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

    /** Claims and runs chunks of epoch e until none is left. */
    private void work(int e, Job j, int worker) {
        while (true) {
            long s = claim.get();
            int next = (int) (s & MASK);
            int total = (int) ((s >>> BITS) & MASK);
            if ((int) (s >>> 2 * BITS) != e || next >= total) {
                return;
            }
            if (!claim.compareAndSet(s, s + 1)) {
                continue;
            }
            // Epoch e cannot end before this chunk is counted, so j and its fields are still e's.
            try {
                j.runChunk(next, worker);
            } catch (Throwable t) {
                failure = t;
            }
            if (done.incrementAndGet() == total && worker != 0) {
                LockSupport.unpark(waiter);
            }
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            int e;
            while ((e = epoch) == seen) {
                if (closed) {
                    return;
                }
                if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = e;
            Job j = job;
            if (j != null) {
                work(e, j, id);
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
