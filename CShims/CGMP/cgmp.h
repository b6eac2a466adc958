// CGMP: the small part of GMP that Swift cannot call directly.
//
// Swift imports GMP's real functions (`__gmpz_add`, `__gmpz_powm_sec`, ...)
// straight from gmp.h. What it cannot import are the function-like macros
// (`mpz_sgn`, `mpz_odd_p`, `mpz_cmp_si`, ...), and nothing in gmp.h clears an
// integer's limbs before freeing them. Each wrapper below exists for one of
// those two reasons; everything else is called from Swift as `__gmpz_*`.
#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H

#include <gmp.h>
#include <stddef.h>
#include <string.h>

// getrandom(2) is declared in <sys/random.h>, which Swift's Glibc module does
// not include; BigNum's SecureRandom needs it.
#if defined(__linux__)
#include <sys/random.h>
#endif

// `mpz_sgn` is a macro reading the size field: -1, 0 or +1.
static inline int cgmp_sign(mpz_srcptr z) { return mpz_sgn(z); }

// `mpz_odd_p` is a macro testing the low limb.
static inline int cgmp_is_odd(mpz_srcptr z) { return mpz_odd_p(z); }

// `mpz_cmp_si` is a macro (it picks a fast path for small constants).
static inline int cgmp_compare_si(mpz_srcptr z, long value) { return mpz_cmp_si(z, value); }

// `mpz_cmp_ui` is a macro, as above.
static inline int cgmp_compare_ui(mpz_srcptr z, unsigned long value) { return mpz_cmp_ui(z, value); }

// Number of limbs GMP has allocated for `z` (the `_mp_alloc` field), which is
// how much memory a secure clear must zero, not just the limbs in use.
static inline size_t cgmp_allocated_limbs(mpz_srcptr z) { return (size_t)z->_mp_alloc; }

// Zeroes `count` bytes at `p` in a way the optimiser may not remove: the
// compiler barrier tells it the memory is read afterwards, so the stores are
// not dead (the technique of BoringSSL's OPENSSL_cleanse). Used for integer
// limbs and for buffers of random bytes.
static inline void cgmp_secure_zero(void *p, size_t count) {
  if (count == 0) return;
  memset(p, 0, count);
  __asm__ __volatile__("" : : "r"(p) : "memory");
}

// `mpz_clear` frees the limbs without touching them, so a secret would stay in
// freed heap memory. This zeroes every allocated limb first, then clears.
static inline void cgmp_clear_secure(mpz_ptr z) {
  if (z->_mp_alloc > 0) {
    cgmp_secure_zero(z->_mp_d, (size_t)z->_mp_alloc * sizeof(mp_limb_t));
  }
  z->_mp_size = 0;
  mpz_clear(z);
}

// GMP's Montgomery reduction, the one `mpz_powm` runs on: exported by
// libgmp (5.0 through 6.3) but declared only in its internal gmp-impl.h, so
// declared here. `__gmpn_binvert` sets {ip, n} = 1/{mp, n} mod B^n for an odd
// modulus (scratch: `__gmpn_binvert_itch(n)` limbs); `__gmpn_redc_n` sets
// {rp, n} = {up, 2n} / B^n mod {mp, n} for {up, 2n} < {mp, n}·B^n, result in
// [0, mp). BigNum's LimbModulus uses them for moduli of 16 limbs and more.
void __gmpn_binvert(mp_ptr ip, mp_srcptr mp, mp_size_t n, mp_ptr scratch);
mp_size_t __gmpn_binvert_itch(mp_size_t n);
void __gmpn_redc_n(mp_ptr rp, mp_ptr up, mp_srcptr mp, mp_size_t n, mp_srcptr ip);

#endif
