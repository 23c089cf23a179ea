package rnn.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One side of an A/B run ({@code rnn-bench/ab.sh}): a benchmark of this module, run in windows that take
 * turns with a second JVM through two named pipes, so that the two builds see the same host second by
 * second. On a shared host whose speed moves by 25–100 % between minutes, JMH runs of each build a
 * minute apart cannot show a difference of a few per cent; windows a second apart can.
 *
 * <p>Each window waits for the turn (one byte on {@code IN}), calls the benchmark method until
 * {@code WINDOW_MS} have passed, prints {@code window I OPS_PER_S OPS_PER_CPU_S} and hands the turn on
 * ({@code OUT}). The second figure counts the calling thread's CPU time, which on a KVM guest leaves out
 * the time the host ran something else on this vCPU (steal time); it is the one to read for one thread.
 * The first {@code WARMUP} windows are warm-up, printed as window -1. Only JMH's annotations are read
 * (fields set from {@code name=value}, then {@code @Setup}, {@code @Benchmark}, {@code @TearDown}), so any
 * revision's benchmark jar can be driven by this class put beside it on the class path.
 *
 * <p>Usage: {@code Alternate IN OUT WARMUP WINDOWS WINDOW_MS BENCHMARK [name=value ...]}
 */
public final class Alternate {

    private Alternate() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: Alternate IN OUT WARMUP WINDOWS WINDOW_MS BENCHMARK [name=value ...]");
        }
        int warmup = Integer.parseInt(args[2]);
        int windows = Integer.parseInt(args[3]);
        long windowNanos = Long.parseLong(args[4]) * 1_000_000L;
        String name = args[5].contains(".") ? args[5] : "rnn.bench." + args[5];
        Object bench;
        try {
            bench = Class.forName(name).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no benchmark class " + name + " in this build");
        }
        for (int i = 6; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("a parameter is name=value: " + args[i]);
            }
            set(bench, args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Method run = annotated(bench, Benchmark.class);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        invokeAll(bench, Setup.class);
        // Opened read-write, a pipe's open does not wait for the other side's.
        try (RandomAccessFile in = new RandomAccessFile(args[0], "rw");
             RandomAccessFile out = new RandomAccessFile(args[1], "rw")) {
            for (int w = -warmup; w < windows; w++) {
                if (in.read() < 0) {
                    throw new IOException("the turn pipe closed: " + args[0]);
                }
                long calls = 0, start = System.nanoTime(), cpu = threads.getCurrentThreadCpuTime(), now;
                do {
                    run.invoke(bench);
                    calls++;
                    now = System.nanoTime();
                } while (now - start < windowNanos);
                cpu = threads.getCurrentThreadCpuTime() - cpu;
                System.out.printf(Locale.ROOT, "window %d %.3f %.3f%n", Math.max(w, -1), calls * 1e9 / (now - start),
                        calls * 1e9 / cpu);
                System.out.flush();
                out.write('t');
            }
        } finally {
            invokeAll(bench, TearDown.class);
        }
    }

    private static void set(Object bench, String field, String value) throws ReflectiveOperationException {
        Field f;
        try {
            f = bench.getClass().getField(field);
        } catch (NoSuchFieldException e) {
            List<String> known = new ArrayList<>();
            for (Field p : bench.getClass().getFields()) {
                if (p.isAnnotationPresent(Param.class)) {
                    known.add(p.getName());
                }
            }
            throw new IllegalArgumentException(bench.getClass().getSimpleName() + " has no parameter '" + field
                    + "'; its parameters: " + String.join(", ", known));
        }
        if (f.getType() == int.class) {
            f.setInt(bench, Integer.parseInt(value));
        } else if (f.getType() == String.class) {
            f.set(bench, value);
        } else {
            throw new IllegalArgumentException("parameter " + field + " is a " + f.getType() + "; int and String are read");
        }
    }

    private static Method annotated(Object bench, Class<? extends java.lang.annotation.Annotation> a) {
        Method found = null;
        for (Method m : bench.getClass().getMethods()) {
            if (m.isAnnotationPresent(a)) {
                if (found != null) {
                    throw new IllegalArgumentException(bench.getClass().getSimpleName() + " has more than one @"
                            + a.getSimpleName() + " method; name one class with one");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(bench.getClass().getSimpleName() + " has no @" + a.getSimpleName());
        }
        return found;
    }

    private static void invokeAll(Object bench, Class<? extends java.lang.annotation.Annotation> a)
            throws IllegalAccessException, InvocationTargetException {
        for (Method m : bench.getClass().getMethods()) {
            if (m.isAnnotationPresent(a)) {
                m.invoke(bench);
            }
        }
    }
}
