/* One core's float32 FMA peak with the widest vectors this CPU runs: 12 independent FMA chains
 * (enough to cover latency x ports), the best window of ~50 ms over ~1 s.
 * With an argument N: N threads at once, each in the same 50 ms windows of one second, and the median
 * and best window of their sum: what N cores (vCPUs) of this host give together, to read a training
 * step's N-thread speed-up against (a hypervisor may put two vCPUs on one core's two hyperthreads).
 * Build: gcc -O2 -march=native -pthread fma_peak.c (add -mno-avx512f for the 256-bit peak) */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#define NAME "AVX-512"
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#define NAME "AVX2"
#endif

/* The 12 chains: separate variables, not an array, so the compiler keeps them all in registers. */
#define CHAIN_STATE                                                                            \
    vec m = SET1(0.999999f), a = SET1(1e-7f);                                                  \
    vec c0 = SET1(0), c1 = SET1(1), c2 = SET1(2), c3 = SET1(3), c4 = SET1(4), c5 = SET1(5);    \
    vec c6 = SET1(6), c7 = SET1(7), c8 = SET1(8), c9 = SET1(9), c10 = SET1(10), c11 = SET1(11);
#define CHAIN_SUM checksum(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)
#define CHAINS                                                                                 \
    c0 = FMA(c0, m, a); c1 = FMA(c1, m, a); c2 = FMA(c2, m, a); c3 = FMA(c3, m, a);           \
    c4 = FMA(c4, m, a); c5 = FMA(c5, m, a); c6 = FMA(c6, m, a); c7 = FMA(c7, m, a);           \
    c8 = FMA(c8, m, a); c9 = FMA(c9, m, a); c10 = FMA(c10, m, a); c11 = FMA(c11, m, a);

static float checksum(vec c0, vec c1, vec c2, vec c3, vec c4, vec c5, vec c6, vec c7, vec c8, vec c9,
                      vec c10, vec c11) {
    vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
    s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
    float out[LANES];
    STORE(out, s);
    return out[0];
}

enum { WINDOWS = 20 };
static double epoch; /* the windows' common start */
static pthread_barrier_t ready;

/* One of N threads: FMA blocks of about 60 µs, each counted in the 50 ms window where it ends. */
static void *worker(void *arg) {
    double *flops = arg; /* per window */
    CHAIN_STATE
    long block = 20000;
    pthread_barrier_wait(&ready);
    while (now() < epoch) {
    }
    for (;;) {
        for (long it = 0; it < block; it++) {
            CHAINS
        }
        int w = (int) ((now() - epoch) / 0.05);
        if (w >= WINDOWS) break;
        flops[w] += 2.0 * LANES * 12 * block;
    }
    flops[WINDOWS] = CHAIN_SUM;
    return NULL;
}

static int by_value(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

static int together(int n) {
    pthread_t t[64];
    static double flops[64][WINDOWS + 1];
    double sum[WINDOWS];
    if (n < 2 || n > 64) {
        fprintf(stderr, "fma_peak: threads must be 2..64\n");
        return 2;
    }
    pthread_barrier_init(&ready, NULL, n + 1);
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, worker, flops[i]);
    epoch = now() + 0.2; /* after every thread's start: the first window is not a lone thread's */
    pthread_barrier_wait(&ready);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    for (int w = 0; w < WINDOWS; w++) {
        sum[w] = 0;
        for (int i = 0; i < n; i++) sum[w] += flops[i][w] / 0.05 / 1e9;
    }
    qsort(sum, WINDOWS, sizeof sum[0], by_value);
    printf("RESULT bench=fma_peak isa=%s threads=%d gflops_median=%.1f gflops_best=%.1f (sum over threads, "
           "%d windows of 50 ms; checksum %g)\n", NAME, n, (sum[WINDOWS / 2 - 1] + sum[WINDOWS / 2]) / 2,
           sum[WINDOWS - 1], WINDOWS, flops[0][WINDOWS]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1) return together(atoi(argv[1]));
    CHAIN_STATE
    long iters = 1000000;
    double best = 0, start = now();
    /* Windows of ~50 ms for ~1 s, the best kept: on a shared host the clock and the share of the core
     * move from one window to the next, and the peak is what the core gives when it is not held back. */
    for (int rep = 0; rep < 5 || now() - start < 1.0; rep++) {
        double t0 = now();
        for (long it = 0; it < iters; it++) {
            CHAINS
        }
        double dt = now() - t0;
        double gflops = 2.0 * LANES * 12 * iters / dt / 1e9;
        if (gflops > best) best = gflops;
        if (dt < 0.05) iters *= 2;
    }
    printf("RESULT bench=fma_peak isa=%s gflops=%.1f (checksum %g)\n", NAME, best, CHAIN_SUM);
    return 0;
}
