// CNTL: a C interface over NTL's polynomial arithmetic.
//
// NTL is HEKit's reference, not its engine: PolyRing's tests compare their
// products with these, and the benchmarks time NTL next to PolyRing. Swift
// cannot import NTL's C++ classes, so this shim exposes plain C functions over
// opaque handles. No HEKit library product links it.
#ifndef CNTL_H
#define CNTL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The largest bit width of a modulus that NTL's single-precision `zz_p`
/// accepts (NTL_SP_NBITS). Larger moduli go through `ZZ_p`.
int cntl_single_precision_bits(void);

/// c = a * b mod (X^n + 1, q), coefficients in [0, q). Uses `zz_pX` when q fits
/// NTL's single precision, `ZZ_pX` otherwise. Returns 0, or -1 on bad input.
/// Converts in and out on every call: for tests, not for timing.
int cntl_negacyclic_multiply(long n, uint64_t q, const uint64_t *a, const uint64_t *b,
                             uint64_t *c);

/// An NTL `zz_p` modulus with two operand polynomials and a result, kept between
/// calls so that a benchmark times NTL's arithmetic alone.
typedef struct cntl_bench cntl_bench;

/// Sets up `zz_p` with modulus q (at most cntl_single_precision_bits() bits) and
/// loads a and b (n coefficients each). Returns NULL on bad input.
cntl_bench *cntl_bench_create(long n, uint64_t q, const uint64_t *a, const uint64_t *b);

/// The same with NTL's first FFT prime (`zz_p::FFTInit(0)`, 60 bits) as the
/// modulus: NTL's best case, one modular FFT per operand instead of a CRT
/// over several. a and b are reduced modulo that prime. NULL on bad input.
cntl_bench *cntl_bench_create_fft_prime(long n, const uint64_t *a, const uint64_t *b);

/// NTL's first FFT prime.
uint64_t cntl_fft_prime(void);

/// One negacyclic product with `zz_pX`: c = a * b, then fold X^n = -1.
void cntl_bench_multiply(cntl_bench *bench);

/// NTL's forward transform of a (`TofftRep`, over NTL's own FFT primes) into
/// a length-2n representation: the step of NTL's product that an NTT replaces.
void cntl_bench_forward_transform(cntl_bench *bench);

/// Copies the last product's n coefficients to c.
void cntl_bench_result(const cntl_bench *bench, uint64_t *c);

void cntl_bench_destroy(cntl_bench *bench);

#ifdef __cplusplus
}
#endif

#endif
