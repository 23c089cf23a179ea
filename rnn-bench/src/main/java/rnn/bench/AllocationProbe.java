package rnn.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;


/**
 * Bytes allocated per steady-state {@link TrainStep}, counted by the JVM per thread: the training
 * thread plus the backend's worker threads ({@code rnn-*}), after a warm-up, in nine windows of steps;
 * the median window is the steady state.
 * JMH's {@code -prof gc} divides all threads' allocation, the harness's included, by the operations,
 * so a slow operation shows the harness's background; this counts only the threads that train.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar rnn.bench.AllocationProbe [backend] [warm-up seconds] [steps per window]}
 */
public final class AllocationProbe {

    /** Windows of steps counted separately: a JIT recompilation shows as one window's burst, not as a per-step cost. */
    private static final int WINDOWS = 9;
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationProbe() {
    }

    public static void main(String[] args) {
        String backend = args.length > 0 ? args[0] : "vector";
        double warmupSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        for (String cell : List.of("rnn", "gru", "lstm", "rnn-step", "gru-step", "lstm-step")) {
            for (int threads : new int[] {1, 2}) {
                try (TrainStep step = new TrainStep(backend, threads, cell, 256)) {
                    long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    while (System.nanoTime() < end) {
                        step.run();
                    }
                    long[] ids = trainingThreads();
                    long[] windows = new long[WINDOWS];
                    for (int w = 0; w < WINDOWS; w++) {
                        long before = allocatedBytes(ids);
                        for (int i = 0; i < steps; i++) {
                            step.run();
                        }
                        windows[w] = allocatedBytes(ids) - before;
                    }
                    long[] sorted = windows.clone();
                    Arrays.sort(sorted);
                    System.out.printf("RESULT probe=allocation backend=%s cell=%s hidden=256 threads=%d steps_per_window=%d "
                            + "median_bytes_per_step=%.1f bytes_per_window=%s%n", backend, cell, threads, steps,
                            sorted[WINDOWS / 2] / (double) steps, Arrays.toString(windows));
                }
            }
        }
    }

    /** This thread and every live thread named rnn-* (the backend's workers). */
    private static long[] trainingThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("rnn-"))
                .mapToLong(Thread::threadId).toArray();
    }

    /** Bytes allocated so far by these threads; one id at a time, so that reading allocates nothing. */
    private static long allocatedBytes(long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += MX.getThreadAllocatedBytes(id);
        }
        return sum;
    }
}
