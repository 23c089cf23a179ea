/* One core's float32 FMA peak with the widest vectors this CPU runs: 12 independent FMA chains
 * (enough to cover latency x ports), timed over ~1 s. Build: gcc -O2 -march=native fma_peak.c */
#include <immintrin.h>
#include <stdio.h>
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

int main(void) {
    vec m = SET1(0.999999f), a = SET1(1e-7f);
    vec c[12];
    for (int i = 0; i < 12; i++) c[i] = SET1((float)i);
    long iters = 1000000;
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now();
        for (long it = 0; it < iters; it++) {
            for (int i = 0; i < 12; i++) c[i] = FMA(c[i], m, a);
        }
        double dt = now() - t0;
        double gflops = 2.0 * LANES * 12 * iters / dt / 1e9;
        if (gflops > best) best = gflops;
        if (dt < 0.5) iters *= 2;
    }
    vec s = c[0];
    for (int i = 1; i < 12; i++) s = ADD(s, c[i]);
    float out[LANES];
    STORE(out, s);
    printf("RESULT bench=fma_peak isa=%s gflops=%.1f (checksum %g)\n", NAME, best, out[0]);
    return 0;
}
