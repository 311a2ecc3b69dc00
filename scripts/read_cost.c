/* What reading a basic cycle's table values costs on this CPU, without the cycle.
 *
 * Each element reads 20 runs of 8 contiguous doubles at random offsets (160 values, as
 * the basic cycle's grid pass reads: 12 cubics of 4 and 7 bicubics of 16) from a table
 * that fits in L2 (256 KiB), 8 elements at a time in AVX-512 vectors, and sums them.
 * Three ways of building the vectors: scalar loads and inserts (what hpcore's loops
 * compile to), gather instructions for a share of the runs, and one 512-bit load per
 * element with an 8x8 in-register transpose, used at once or stored to an L1-sized scratch
 * (one group of 8 elements) that a second loop reads, as numba's vectorized loops would
 * have to. Prints ns an element, median of 5 (of 20 passes over 65536 elements each).
 *
 *   gcc -O3 -march=x86-64-v4 scripts/read_cost.c -o /tmp/read_cost && /tmp/read_cost
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NT (1 << 15) /* table values: 256 KiB */
#define NE (1 << 16) /* elements */
#define NL 20        /* runs of 8 values an element */

static double tab[NT + 16];
static int64_t off[NL][NE];
static double out[NE];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static inline __m512d lanes(const int64_t *b, int c) {
    return _mm512_set_pd(tab[b[7] + c], tab[b[6] + c], tab[b[5] + c], tab[b[4] + c], tab[b[3] + c],
                         tab[b[2] + c], tab[b[1] + c], tab[b[0] + c]);
}

static inline void transpose8(__m512d r[8]) {
    __m512d a[8], b[8];
    for (int i = 0; i < 4; i++) {
        a[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
        a[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
    const __m512i i0 = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), i1 = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 2; j++) {
            b[4 * k + j] = _mm512_permutex2var_pd(a[4 * k + j], i0, a[4 * k + j + 2]);
            b[4 * k + j + 2] = _mm512_permutex2var_pd(a[4 * k + j], i1, a[4 * k + j + 2]);
        }
    const __m512i j0 = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0), j1 = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    for (int j = 0; j < 4; j++) {
        r[j] = _mm512_permutex2var_pd(b[j], j0, b[j + 4]);
        r[j + 4] = _mm512_permutex2var_pd(b[j], j1, b[j + 4]);
    }
}

static double scratch[NL * 8][8] __attribute__((aligned(64)));

__attribute__((noinline)) static void run_scratch(void) {
    const __m512d w = _mm512_set1_pd(0.3);
    for (int b0 = 0; b0 < NE; b0 += 8) {
        for (int l = 0; l < NL; l++)
            for (int j = 0; j < 8; j += 8) {
                const int64_t *b = &off[l][b0 + j];
                __m512d r[8];
                for (int i = 0; i < 8; i++) r[i] = _mm512_loadu_pd(tab + b[i]);
                transpose8(r);
                for (int c = 0; c < 8; c++) _mm512_store_pd(&scratch[l * 8 + c][j], r[c]);
            }
        for (int j = 0; j < 8; j += 8) {
            __m512d acc = _mm512_setzero_pd();
            for (int l = 0; l < NL; l++) {
                __m512d s = _mm512_setzero_pd();
                for (int c = 0; c < 8; c++) s = _mm512_fmadd_pd(s, w, _mm512_load_pd(&scratch[l * 8 + c][j]));
                acc = _mm512_add_pd(acc, s);
            }
            _mm512_storeu_pd(out + b0 + j, acc);
        }
    }
}

/* ngather >= 0: that many of the 20 runs by gathers, the rest by scalar loads; -1: transposes */
__attribute__((noinline)) static void run(int ngather) {
    if (ngather == -2) { run_scratch(); return; }
    const __m512d w = _mm512_set1_pd(0.3);
    for (int e = 0; e < NE; e += 8) {
        __m512d acc = _mm512_setzero_pd();
        for (int l = 0; l < NL; l++) {
            const int64_t *b = &off[l][e];
            __m512d s = _mm512_setzero_pd();
            if (ngather < 0) {
                __m512d r[8];
                for (int i = 0; i < 8; i++) r[i] = _mm512_loadu_pd(tab + b[i]);
                transpose8(r);
                for (int c = 0; c < 8; c++) s = _mm512_fmadd_pd(s, w, r[c]);
            } else if (l < ngather) {
                const __m512i vi = _mm512_loadu_si512(b);
                for (int c = 0; c < 8; c++)
                    s = _mm512_fmadd_pd(s, w, _mm512_i64gather_pd(_mm512_add_epi64(vi, _mm512_set1_epi64(c)), tab, 8));
            } else {
                for (int c = 0; c < 8; c++) s = _mm512_fmadd_pd(s, w, lanes(b, c));
            }
            acc = _mm512_add_pd(acc, s);
        }
        _mm512_storeu_pd(out + e, acc);
    }
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, int mode, double check) {
    double t[5];
    for (int r = 0; r < 5; r++) {
        run(mode);
        double t0 = now();
        for (int q = 0; q < 20; q++) run(mode);
        t[r] = (now() - t0) / 20 / NE * 1e9;
    }
    qsort(t, 5, sizeof t[0], cmp);
    double sum = 0;
    for (int e = 0; e < NE; e++) sum += out[e];
    printf("%-34s %6.1f ns an element%s\n", what, t[2], sum == check ? "" : "  (sum differs!)");
}

int main(void) {
    srand(1);
    for (int i = 0; i < NT + 16; i++) tab[i] = i * 1e-3;
    for (int l = 0; l < NL; l++)
        for (int e = 0; e < NE; e++) off[l][e] = rand() % (NT - 8);
    run(0);
    double check = 0;
    for (int e = 0; e < NE; e++) check += out[e];
    char name[64];
    for (int g = 0; g <= NL; g += 5) {
        snprintf(name, sizeof name, "%d of 20 runs by gathers", g);
        report(name, g, check);
    }
    report("8x8 transposes", -1, check);
    report("8x8 transposes through a scratch", -2, check);
    return 0;
}
