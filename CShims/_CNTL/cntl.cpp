// CNTL: the C functions declared in include/cntl.h, over NTL 11.
#include "cntl.h"

#include <NTL/ZZ_pX.h>
#include <NTL/lzz_pX.h>

#include <new>

using namespace NTL;

int cntl_single_precision_bits(void) { return NTL_SP_NBITS; }

namespace {

// c = lo - hi: reduces a product of degree < 2n modulo X^n + 1.
template <class PolyX, class Scalar>
void foldNegacyclic(PolyX &c, const PolyX &product, long n) {
  c.SetLength(n);
  for (long i = 0; i < n; i++) {
    Scalar lo = coeff(product, i);
    Scalar hi = coeff(product, i + n);
    c[i] = lo - hi;
  }
  c.normalize();
}

bool isValid(long n, uint64_t q) { return n > 0 && q > 1; }

}  // namespace

int cntl_negacyclic_multiply(long n, uint64_t q, const uint64_t *a, const uint64_t *b,
                             uint64_t *c) {
  if (!isValid(n, q) || !a || !b || !c) return -1;
  try {
    if (q < (uint64_t(1) << NTL_SP_NBITS)) {
      zz_pPush push;
      zz_p::init(long(q));
      zz_pX pa, pb, product, result;
      pa.SetLength(n);
      pb.SetLength(n);
      for (long i = 0; i < n; i++) {
        pa[i] = long(a[i] % q);
        pb[i] = long(b[i] % q);
      }
      pa.normalize();
      pb.normalize();
      mul(product, pa, pb);
      foldNegacyclic<zz_pX, zz_p>(result, product, n);
      for (long i = 0; i < n; i++) c[i] = uint64_t(rep(coeff(result, i)));
    } else {
      ZZ_pPush push;
      ZZ modulus = conv<ZZ>(long(q >> 1)) * 2 + long(q & 1);
      ZZ_p::init(modulus);
      ZZ_pX pa, pb, product, result;
      pa.SetLength(n);
      pb.SetLength(n);
      for (long i = 0; i < n; i++) {
        pa[i] = conv<ZZ_p>(ZZFromBytes(reinterpret_cast<const unsigned char *>(&a[i]), 8));
        pb[i] = conv<ZZ_p>(ZZFromBytes(reinterpret_cast<const unsigned char *>(&b[i]), 8));
      }
      pa.normalize();
      pb.normalize();
      mul(product, pa, pb);
      foldNegacyclic<ZZ_pX, ZZ_p>(result, product, n);
      for (long i = 0; i < n; i++) {
        unsigned char bytes[8] = {0};
        BytesFromZZ(bytes, rep(coeff(result, i)), 8);
        uint64_t value = 0;
        for (int k = 7; k >= 0; k--) value = (value << 8) | bytes[k];
        c[i] = value;
      }
    }
  } catch (...) {
    return -1;
  }
  return 0;
}

struct cntl_bench {
  long n;
  zz_pContext context;
  zz_pX a, b, product, result;
  fftRep transform;
};

namespace {

cntl_bench *makeBench(long n, uint64_t q, const uint64_t *a, const uint64_t *b, bool fftPrime) {
  if (!isValid(n, q) || q >= (uint64_t(1) << NTL_SP_NBITS) || !a || !b) return nullptr;
  try {
    zz_pPush push;
    if (fftPrime) {
      zz_p::FFTInit(0);
    } else {
      zz_p::init(long(q));
    }
    cntl_bench *bench = new cntl_bench;
    bench->n = n;
    bench->context.save();
    bench->a.SetLength(n);
    bench->b.SetLength(n);
    for (long i = 0; i < n; i++) {
      bench->a[i] = long(a[i] % q);
      bench->b[i] = long(b[i] % q);
    }
    bench->a.normalize();
    bench->b.normalize();
    return bench;
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

cntl_bench *cntl_bench_create(long n, uint64_t q, const uint64_t *a, const uint64_t *b) {
  return makeBench(n, q, a, b, false);
}

uint64_t cntl_fft_prime(void) {
  zz_pPush push;
  zz_p::FFTInit(0);
  return uint64_t(zz_p::modulus());
}

cntl_bench *cntl_bench_create_fft_prime(long n, const uint64_t *a, const uint64_t *b) {
  return makeBench(n, cntl_fft_prime(), a, b, true);
}

void cntl_bench_multiply(cntl_bench *bench) {
  bench->context.restore();
  mul(bench->product, bench->a, bench->b);
  foldNegacyclic<zz_pX, zz_p>(bench->result, bench->product, bench->n);
}

void cntl_bench_forward_transform(cntl_bench *bench) {
  bench->context.restore();
  long k = NextPowerOfTwo(2 * bench->n - 1);
  TofftRep(bench->transform, bench->a, k);
}

void cntl_bench_result(const cntl_bench *bench, uint64_t *c) {
  bench->context.restore();
  for (long i = 0; i < bench->n; i++) c[i] = uint64_t(rep(coeff(bench->result, i)));
}

void cntl_bench_destroy(cntl_bench *bench) { delete bench; }
