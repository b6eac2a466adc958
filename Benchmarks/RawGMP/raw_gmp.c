#include "raw_gmp.h"

#include <gmp.h>
#include <stdlib.h>

struct raw_powm {
  mpz_t base, exponent, modulus, result;
};

raw_powm *raw_powm_create(const char *base_hex, const char *exponent_hex, const char *modulus_hex) {
  raw_powm *s = malloc(sizeof *s);
  if (!s) return NULL;
  mpz_inits(s->base, s->exponent, s->modulus, s->result, NULL);
  if (mpz_set_str(s->base, base_hex, 16) || mpz_set_str(s->exponent, exponent_hex, 16) ||
      mpz_set_str(s->modulus, modulus_hex, 16) || mpz_sgn(s->modulus) <= 0) {
    raw_powm_destroy(s);
    return NULL;
  }
  mpz_realloc2(s->result, mpz_sizeinbase(s->modulus, 2) + 64);
  return s;
}

void raw_powm_run(raw_powm *s) { mpz_powm(s->result, s->base, s->exponent, s->modulus); }

void raw_powm_sec_run(raw_powm *s) { mpz_powm_sec(s->result, s->base, s->exponent, s->modulus); }

char *raw_powm_result_hex(const raw_powm *s) {
  char *text = malloc(mpz_sizeinbase(s->result, 16) + 2);
  return text ? mpz_get_str(text, 16, s->result) : NULL;
}

void raw_powm_destroy(raw_powm *s) {
  mpz_clears(s->base, s->exponent, s->modulus, s->result, NULL);
  free(s);
}
