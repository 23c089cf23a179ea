/* One core's read bandwidth from the level of the memory hierarchy that holds a working set of M MiB: the
 * best of 200 passes summing the set with four independent vector chains. A packed product whose B does
 * not fit the L2 (the LSTM h=512 recurrent weight is 4 MiB) streams B from L3 at up to this rate, so the
 * product's FLOPs per byte of B times this figure bound it from above.
 * Build: gcc -O2 -march=native -o /tmp/read_bw rnn-bench/peak/read_bw.c; run: /tmp/read_bw 1 4 16 64 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float v16 __attribute__((vector_size(64))); /* 512 bits; GCC splits it where vectors are narrower */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    for (int arg = 1; arg < (argc > 1 ? argc : 2); arg++) {
        size_t mib = argc > 1 ? (size_t) atoi(argv[arg]) : 4;
        if (mib == 0) {
            fprintf(stderr, "read_bw: sizes are whole MiB, at least 1\n");
            return 2;
        }
        size_t n = mib * 1024 * 1024 / sizeof(v16);
        v16 *a = aligned_alloc(64, n * sizeof(v16));
        if (a == NULL) {
            fprintf(stderr, "read_bw: cannot allocate %zu MiB\n", mib);
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            for (int l = 0; l < 16; l++) {
                a[i][l] = 1.0f / (float) (i * 16 + l + 1);
            }
        }
        v16 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
        double best = 0;
        for (int pass = 0; pass < 200; pass++) {
            double t0 = now();
            for (size_t i = 0; i < n; i += 4) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
            }
            double gbs = (double) n * sizeof(v16) / (now() - t0) / 1e9;
            if (gbs > best) {
                best = gbs;
            }
        }
        v16 s = s0 + s1 + s2 + s3;
        printf("RESULT bench=read_bw mib=%zu gbytes_per_s=%.1f (best of 200 passes; checksum %g)\n", mib, best, s[0]);
        free(a);
    }
    return 0;
}
