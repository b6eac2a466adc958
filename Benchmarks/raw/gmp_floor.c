/* The raw floor for BigNum's benchmarks: the same operations on plain GMP,
 * with inputs drawn the same way (random odd modulus of the full width,
 * random base below it, full-width exponent), timed in one process.
 * Prints a table of medians; `make bench` runs it next to the Swift suite.
 * GMP's allocations are counted through mp_set_memory_functions, so the
 * Swift suite's allocation counts can be compared with GMP's own.
 *
 *   gmp-floor [--json FILE]   also writes every row as JSON (nanoseconds),
 *                             which the benchmark report reads for its ratios */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long allocations;
static FILE *json; /* --json: one object per row, in nanoseconds */
static int json_rows;
static void *count_alloc(size_t n) { allocations++; return malloc(n); }
static void *count_realloc(void *p, size_t old, size_t n) { (void)old; allocations++; return realloc(p, n); }
static void count_free(void *p, size_t n) { (void)n; free(p); }

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

enum op { POWM, POWM_IN_PLACE, POWM_SEC, MULMOD, INVERT };
static const char *names[] = {"power", "power in place", "constant-time power", "product mod n^2", "inverse mod n"};

/* Min, median and p90 of `samples` timings of one operation, in microseconds, and
 * GMP allocations per operation (the result is preallocated, as a reused
 * Swift value would be). */
static void measure(enum op op, int bits, gmp_randstate_t rng) {
  mpz_t m, base, exp, r, m2, a, b;
  mpz_inits(m, base, exp, r, m2, a, b, NULL);
  mpz_urandomb(m, rng, bits); mpz_setbit(m, bits - 1); mpz_setbit(m, 0);
  mpz_urandomm(base, rng, m);
  mpz_urandomb(exp, rng, bits); mpz_setbit(exp, bits - 1);
  mpz_mul(m2, m, m);
  mpz_urandomm(a, rng, m2); mpz_urandomm(b, rng, m2);
  mpz_realloc2(r, 2 * bits + 64);
  int samples = op == MULMOD || op == INVERT ? 2001 : (bits >= 4096 ? 61 : 201);
  double *t = malloc(sizeof(double) * (size_t)samples);
  long allocs_before = allocations;
  for (int i = 0; i < samples; i++) {
    double start = now_ns();
    switch (op) {
    case POWM: mpz_powm(r, base, exp, m); break;
    case POWM_IN_PLACE: mpz_powm(base, base, exp, m); break;
    case POWM_SEC: mpz_powm_sec(r, base, exp, m); break;
    case MULMOD: mpz_mul(r, a, b); mpz_mod(r, r, m2); break;
    case INVERT: mpz_invert(r, base, m); break;
    }
    t[i] = (now_ns() - start) / 1e3;
  }
  double per_op_allocs = (double)(allocations - allocs_before) / samples;
  qsort(t, (size_t)samples, sizeof(double), cmp_double);
  printf("| %-20s | %5d | %10.2f | %10.2f | %10.2f | %6.1f |\n", names[op], bits, t[0], t[samples / 2],
         t[samples * 9 / 10], per_op_allocs);
  if (json)
    fprintf(json,
            "%s\n    {\"program\": \"gmp_floor\", \"operation\": \"%s\", \"parameters\": \"%db\", "
            "\"min\": %.1f, \"median\": %.1f, \"p90\": %.1f, \"samples\": %d, \"allocations\": %.1f}",
            json_rows++ ? "," : "", names[op], bits, t[0] * 1e3, t[samples / 2] * 1e3, t[samples * 9 / 10] * 1e3,
            samples, per_op_allocs);
  free(t);
  mpz_clears(m, base, exp, r, m2, a, b, NULL);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--json") == 0) {
    if (!(json = fopen(argv[2], "w"))) { perror(argv[2]); return 1; }
    fprintf(json, "{\"program\": \"gmp_floor\", \"library\": \"GMP %s\", \"unit\": \"ns\", \"rows\": [", gmp_version);
  } else if (argc != 1) {
    fprintf(stderr, "usage: %s [--json FILE]\n", argv[0]);
    return 64;
  }
  mp_set_memory_functions(count_alloc, count_realloc, count_free);
  gmp_randstate_t rng; /* benchmark inputs only: nothing secret here */
  gmp_randinit_default(rng);
  gmp_randseed_ui(rng, 2026);
  printf("Raw GMP %s floor (C, one core): min, median and p90 in microseconds;\n", gmp_version);
  printf("allocs = GMP allocations per operation into a preallocated result\n\n");
  printf("| %-20s | %5s | %10s | %10s | %10s | %6s |\n", "operation", "bits", "min us", "median us", "p90 us",
         "allocs");
  printf("|----------------------|-------|------------|------------|------------|--------|\n");
  int sizes[] = {2048, 3072, 4096};
  for (int op = POWM; op <= INVERT; op++)
    for (int i = 0; i < 3; i++) measure((enum op)op, sizes[i], rng);
  gmp_randclear(rng);
  if (json) {
    fprintf(json, "\n  ]}\n");
    if (fclose(json) != 0) { perror("--json"); return 1; }
  }
  return 0;
}
