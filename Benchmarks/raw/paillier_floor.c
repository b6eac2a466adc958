/* The raw floor for HEKit's Paillier benchmarks: the same methods on plain
 * GMP, one core, in one process, so `make bench` can print them next to the
 * Swift suite (Benchmarks/PaillierBenchmarks).
 *
 *   r^n mod n^2                 mpz_powm and mpz_powm_sec, r uniform below n
 *   DJN h_s^alpha (w = 8)       fixed-base window table of 2^8 - 1 entries per
 *                               8-bit window of a n/2-bit alpha, one modular
 *                               product per window: in mpz (mpz_mul, mpz_mod)
 *                               and in mpn (mpn_mul_n, mpn_tdiv_qr, as HEKit)
 *   DJN encryption              (1 + m n) * h_s^alpha mod n^2, mpn table
 *   CRT decryption              mpz_powm_sec for c^(p-1) mod p^2 and
 *                               c^(q-1) mod q^2, L, h_p, h_q, recombination
 *   30 separate powers          30 x mpz_powm(c_i, k_i, n^2), 64-bit k_i,
 *                               multiplied together (what a dot product
 *                               replaces)
 *
 * Keys come from a fixed seed (p, q = nextprime of random n/2-bit values
 * with the top two bits set), at 2048, 3072 and 4096 bits. Each row is the
 * minimum, median and p90 of single operations (inputs drawn outside the
 * timed region), in milliseconds.
 *
 *   cc -O2 -o paillier-floor paillier_floor.c -lgmp && ./paillier-floor [--json FILE]
 *
 * --json FILE also writes the rows as JSON (nanoseconds) for the report.
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct {
  int bits;
  mpz_t p, q, n, n2, p2, q2, pm1, qm1, hp, hq, pinv, hs;
} key_t_;

static void make_key(key_t_ *k, int bits, gmp_randstate_t rng) {
  mpz_inits(k->p, k->q, k->n, k->n2, k->p2, k->q2, k->pm1, k->qm1, k->hp, k->hq, k->pinv, k->hs, NULL);
  k->bits = bits;
  do {
    mpz_urandomb(k->p, rng, bits / 2); mpz_setbit(k->p, bits / 2 - 1); mpz_setbit(k->p, bits / 2 - 2);
    mpz_nextprime(k->p, k->p);
    mpz_urandomb(k->q, rng, bits / 2); mpz_setbit(k->q, bits / 2 - 1); mpz_setbit(k->q, bits / 2 - 2);
    mpz_nextprime(k->q, k->q);
    if (mpz_cmp(k->p, k->q) > 0) mpz_swap(k->p, k->q);
    mpz_mul(k->n, k->p, k->q);
  } while (mpz_sizeinbase(k->n, 2) != (size_t)bits || mpz_cmp(k->p, k->q) == 0);
  mpz_mul(k->n2, k->n, k->n);
  mpz_mul(k->p2, k->p, k->p);
  mpz_mul(k->q2, k->q, k->q);
  mpz_sub_ui(k->pm1, k->p, 1);
  mpz_sub_ui(k->qm1, k->q, 1);
  mpz_invert(k->pinv, k->p, k->q);
  /* h_p = ((p - 1) q)^-1 mod p, i.e. L_p((n+1)^(p-1) mod p^2)^-1; same for q. */
  mpz_t t; mpz_init(t);
  mpz_mul(t, k->pm1, k->q); mpz_invert(k->hp, t, k->p);
  mpz_mul(t, k->qm1, k->p); mpz_invert(k->hq, t, k->q);
  /* h_s = (-x^2)^n mod n^2 */
  mpz_urandomm(t, rng, k->n); mpz_mul(t, t, t); mpz_mod(t, t, k->n); mpz_sub(t, k->n, t);
  mpz_powm(k->hs, t, k->n, k->n2);
  mpz_clear(t);
}

/* ---- fixed-base tables ---- */

typedef struct {
  int windows, entries;
  mpz_t *z;         /* mpz form */
  mp_limb_t *limbs; /* mpn form, each entry L limbs */
  mp_size_t L;
} table_t;

static void make_table(table_t *t, const key_t_ *k, int exp_bits) {
  const int w = 8;
  t->windows = (exp_bits + w - 1) / w;
  t->entries = (1 << w) - 1;
  t->L = mpz_size(k->n2);
  t->z = malloc(sizeof(mpz_t) * t->windows * t->entries);
  t->limbs = calloc((size_t)t->windows * t->entries * t->L, sizeof(mp_limb_t));
  mpz_t g; mpz_init_set(g, k->hs);
  for (int i = 0; i < t->windows; i++) {
    mpz_t *row = t->z + i * t->entries;
    mpz_init_set(row[0], g);
    for (int d = 1; d < t->entries; d++) {
      mpz_init(row[d]);
      mpz_mul(row[d], row[d - 1], g); mpz_mod(row[d], row[d], k->n2);
    }
    mpz_mul(g, row[t->entries - 1], g); mpz_mod(g, g, k->n2);
    for (int d = 0; d < t->entries; d++)
      mpz_export(t->limbs + ((size_t)i * t->entries + d) * t->L, NULL, -1, sizeof(mp_limb_t), 0, 0, row[d]);
  }
  mpz_clear(g);
}

static void table_power_mpz(mpz_t r, const table_t *t, const mpz_t alpha, const mpz_t n2) {
  int started = 0;
  for (int i = 0; i < t->windows; i++) {
    unsigned d = 0;
    for (int b = 7; b >= 0; b--) d = (d << 1) | (unsigned)mpz_tstbit(alpha, (mp_bitcnt_t)(8 * i + b));
    if (!d) continue;
    if (started) { mpz_mul(r, r, t->z[i * t->entries + d - 1]); mpz_mod(r, r, n2); }
    else { mpz_set(r, t->z[i * t->entries + d - 1]); started = 1; }
  }
  if (!started) mpz_set_ui(r, 1);
}

static void table_power_mpn(mpz_t r, const table_t *t, const mpz_t alpha, const mpz_t n2) {
  mp_size_t L = t->L;
  mp_limb_t *acc = malloc(L * sizeof(mp_limb_t)), *prod = malloc(2 * L * sizeof(mp_limb_t));
  mp_limb_t *quot = malloc((L + 1) * sizeof(mp_limb_t));
  const mp_limb_t *m = mpz_limbs_read(n2);
  const mp_limb_t *a = mpz_limbs_read(alpha);
  mp_size_t an = mpz_size(alpha);
  int started = 0;
  for (int i = 0; i < t->windows; i++) {
    int limb = (8 * i) / 64, shift = (8 * i) % 64;
    unsigned d = limb < an ? (unsigned)((a[limb] >> shift) & 0xff) : 0;
    if (!d) continue;
    const mp_limb_t *e = t->limbs + ((size_t)i * t->entries + d - 1) * L;
    if (started) { mpn_mul_n(prod, acc, e, L); mpn_tdiv_qr(quot, acc, 0, prod, 2 * L, m, L); }
    else { memcpy(acc, e, L * sizeof(mp_limb_t)); started = 1; }
  }
  mp_limb_t *out = mpz_limbs_write(r, L);
  memcpy(out, acc, L * sizeof(mp_limb_t));
  mp_size_t used = L;
  while (used > 0 && out[used - 1] == 0) used--;
  mpz_limbs_finish(r, used);
  free(acc); free(prod); free(quot);
}

/* ---- the measured operations ---- */

enum op { R_POW_N, R_POW_N_SEC, DJN_MPZ, DJN_MPN, DJN_ENCRYPT, CRT_DECRYPT, SEPARATE_POWERS_30 };
static const char *names[] = {
  "r^n mod n^2 (mpz_powm)", "r^n mod n^2 (mpz_powm_sec)", "DJN h_s^alpha, table w=8 (mpz)",
  "DJN h_s^alpha, table w=8 (mpn)", "DJN encryption (mpn table)", "CRT decryption (powm_sec)",
  "30 separate powers, 64-bit k (mpz_powm)"};

static FILE *json; /* --json: one object per row, in nanoseconds */
static int json_rows;

/* Times single operations (BATCHES x per_batch of them, inputs drawn before
 * each one outside the timed region) and prints min, median and p90. */
static void run(enum op op, key_t_ *k, const table_t *t, gmp_randstate_t rng) {
  enum { BATCHES = 7 };
  int per_batch = op <= R_POW_N_SEC ? 4 : op == SEPARATE_POWERS_30 ? 3 : op == CRT_DECRYPT ? 10 : 60;
  if (k->bits >= 4096 && per_batch > 4) per_batch /= 2;
  int count = BATCHES * per_batch;
  double *samples = malloc(sizeof(double) * (size_t)count);
  mpz_t r, x, y, m, c, mp, mq, u, cs[30], ks[30];
  mpz_inits(r, x, y, m, c, mp, mq, u, NULL);
  for (int i = 0; i < 30; i++) {
    mpz_init(cs[i]); mpz_urandomm(cs[i], rng, k->n2);
    mpz_init(ks[i]); mpz_urandomb(ks[i], rng, 64);
  }
  mpz_urandomm(m, rng, k->n);
  mpz_urandomm(c, rng, k->n2);
  for (int it = 0; it < count; it++) {
    if (op == R_POW_N || op == R_POW_N_SEC) mpz_urandomm(x, rng, k->n);
    else mpz_urandomb(x, rng, k->bits / 2);
    double start = now_ms();
    switch (op) {
    case R_POW_N: mpz_powm(r, x, k->n, k->n2); break;
    case R_POW_N_SEC: mpz_powm_sec(r, x, k->n, k->n2); break;
    case DJN_MPZ: table_power_mpz(r, t, x, k->n2); break;
    case DJN_MPN: table_power_mpn(r, t, x, k->n2); break;
    case DJN_ENCRYPT:
      table_power_mpn(r, t, x, k->n2);
      mpz_mul(y, m, k->n); mpz_add_ui(y, y, 1); mpz_mul(y, y, r); mpz_mod(y, y, k->n2);
      break;
    case CRT_DECRYPT:
      mpz_mod(x, c, k->p2); mpz_powm_sec(x, x, k->pm1, k->p2);
      mpz_sub_ui(x, x, 1); mpz_divexact(x, x, k->p); mpz_mul(x, x, k->hp); mpz_mod(mp, x, k->p);
      mpz_mod(x, c, k->q2); mpz_powm_sec(x, x, k->qm1, k->q2);
      mpz_sub_ui(x, x, 1); mpz_divexact(x, x, k->q); mpz_mul(x, x, k->hq); mpz_mod(mq, x, k->q);
      mpz_sub(u, mq, mp); mpz_mul(u, u, k->pinv); mpz_mod(u, u, k->q); mpz_mul(u, u, k->p); mpz_add(y, mp, u);
      break;
    case SEPARATE_POWERS_30:
      mpz_set_ui(y, 1);
      for (int i = 0; i < 30; i++) { mpz_powm(r, cs[i], ks[i], k->n2); mpz_mul(y, y, r); mpz_mod(y, y, k->n2); }
      break;
    }
    samples[it] = now_ms() - start;
  }
  qsort(samples, (size_t)count, sizeof(double), cmp_double);
  double min = samples[0], median = samples[count / 2], p90 = samples[count * 9 / 10];
  printf("| %-42s | %5d | %9.3f | %9.3f | %9.3f |\n", names[op], k->bits, min, median, p90);
  if (json)
    fprintf(json,
            "%s\n    {\"program\": \"paillier_floor\", \"operation\": \"%s\", \"parameters\": \"%db\", "
            "\"min\": %.0f, \"median\": %.0f, \"p90\": %.0f, \"samples\": %d}",
            json_rows++ ? "," : "", names[op], k->bits, min * 1e6, median * 1e6, p90 * 1e6, count);
  free(samples);
  mpz_clears(r, x, y, m, c, mp, mq, u, NULL);
  for (int i = 0; i < 30; i++) { mpz_clear(cs[i]); mpz_clear(ks[i]); }
}

/* `paillier-floor count OP BITS N`: N iterations of one operation and no
 * timing, for instruction counts under `valgrind --tool=callgrind`, which do
 * not depend on the machine's load (compare N = 10 and N = 110). OP is
 * "encrypt" (DJN, mpn table) or "decrypt" (CRT). */
static int count_mode(const char *op, int bits, int n) {
  gmp_randstate_t rng;
  gmp_randinit_default(rng);
  gmp_randseed_ui(rng, 20261129);
  key_t_ k;
  make_key(&k, bits, rng);
  table_t t;
  int encrypt = strcmp(op, "encrypt") == 0;
  if (encrypt) make_table(&t, &k, (bits + 1) / 2);
  mpz_t x, y, r, m, c, mp, mq, u;
  mpz_inits(x, y, r, m, c, mp, mq, u, NULL);
  mpz_urandomm(m, rng, k.n);
  mpz_urandomm(c, rng, k.n2);
  for (int it = 0; it < n; it++) {
    if (encrypt) {
      mpz_urandomb(x, rng, bits / 2); table_power_mpn(r, &t, x, k.n2);
      mpz_mul(y, m, k.n); mpz_add_ui(y, y, 1); mpz_mul(y, y, r); mpz_mod(y, y, k.n2);
    } else {
      mpz_mod(x, c, k.p2); mpz_powm_sec(x, x, k.pm1, k.p2);
      mpz_sub_ui(x, x, 1); mpz_divexact(x, x, k.p); mpz_mul(x, x, k.hp); mpz_mod(mp, x, k.p);
      mpz_mod(x, c, k.q2); mpz_powm_sec(x, x, k.qm1, k.q2);
      mpz_sub_ui(x, x, 1); mpz_divexact(x, x, k.q); mpz_mul(x, x, k.hq); mpz_mod(mq, x, k.q);
      mpz_sub(u, mq, mp); mpz_mul(u, u, k.pinv); mpz_mod(u, u, k.q); mpz_mul(u, u, k.p); mpz_add(y, mp, u);
    }
  }
  printf("%s %d x%d done\n", op, bits, n);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "count") == 0) return count_mode(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (argc == 3 && strcmp(argv[1], "--json") == 0) {
    if (!(json = fopen(argv[2], "w"))) { perror(argv[2]); return 1; }
    fprintf(json, "{\"program\": \"paillier_floor\", \"library\": \"GMP %s\", \"unit\": \"ns\", \"rows\": [",
            gmp_version);
  } else if (argc != 1) {
    fprintf(stderr, "usage: %s [--json FILE] | count encrypt|decrypt BITS N\n", argv[0]);
    return 64;
  }
  gmp_randstate_t rng;
  gmp_randinit_default(rng);
  gmp_randseed_ui(rng, 20261129);
  printf("Paillier raw GMP floor (GMP %s), one core, ms per operation\n\n", gmp_version);
  printf("| %-42s | %5s | %9s | %9s | %9s |\n", "method", "bits", "min", "median", "p90");
  printf("|%s|%s|%s|%s|%s|\n", "--------------------------------------------", "-------", "-----------",
         "-----------", "-----------");
  int sizes[] = {2048, 3072, 4096};
  for (int s = 0; s < 3; s++) {
    key_t_ k;
    make_key(&k, sizes[s], rng);
    table_t t;
    make_table(&t, &k, (sizes[s] + 1) / 2);
    for (int op = R_POW_N; op <= SEPARATE_POWERS_30; op++) run((enum op)op, &k, &t, rng);
    for (int i = 0; i < t.windows * t.entries; i++) mpz_clear(t.z[i]);
    free(t.z); free(t.limbs);
  }
  gmp_randclear(rng);
  if (json) {
    fprintf(json, "\n  ]}\n");
    if (fclose(json) != 0) { perror("--json"); return 1; }
  }
  return 0;
}
