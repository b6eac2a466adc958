// Plain GMP calls on inputs given as hex strings, so Swift benchmarks can time
// the raw C floor in the same process as BigInteger (PowerOverhead,
// BigNumBenchmarks). No GMP type crosses this interface.
#ifndef RAW_GMP_H
#define RAW_GMP_H

typedef struct raw_powm raw_powm;

// Prepares base^exponent mod modulus with a preallocated result; NULL on bad hex.
raw_powm *raw_powm_create(const char *base_hex, const char *exponent_hex, const char *modulus_hex);
// One mpz_powm into the preallocated result.
void raw_powm_run(raw_powm *state);
// One mpz_powm_sec into the preallocated result.
void raw_powm_sec_run(raw_powm *state);
// The last result in lowercase hex; the caller frees it with free().
char *raw_powm_result_hex(const raw_powm *state);
void raw_powm_destroy(raw_powm *state);

#endif
