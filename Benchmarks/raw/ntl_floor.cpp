// The NTL floor for PolyRing: NTL 11's zz_pX negacyclic product (multiply,
// then fold X^N = -1) at N = 4096, 8192, 16384 over the largest 60-bit prime
// q ≡ 1 mod 2N, the same prime PolyRing's benchmarks use. Prints the best and
// median of repeated runs, one core.
//
// Build and run (make bench does this):
//   g++ -O2 -o ntl-floor Benchmarks/raw/ntl_floor.cpp -lntl -lgmp -lpthread
//   ./ntl-floor [--json FILE]   (FILE: every row as JSON, in nanoseconds, for the report)
#include <NTL/lzz_pX.h>
#include <NTL/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace NTL;

static long nttFriendlyPrime(long bits, long degree) {
  long step = 2 * degree;
  long candidate = ((1L << bits) - 2) / step * step + 1;
  while (!ProbPrime(candidate)) candidate -= step;
  return candidate;
}

static std::FILE *json;  // --json: one object per row, in nanoseconds
static int jsonRows;

template <class F>
static void report(const char *name, long degree, F body) {
  std::vector<double> samples;
  auto start = std::chrono::steady_clock::now();
  while (samples.size() < 2000 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(2)) {
    auto t0 = std::chrono::steady_clock::now();
    body();
    auto t1 = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(samples.begin(), samples.end());
  double best = samples.front(), median = samples[samples.size() / 2], p90 = samples[samples.size() * 9 / 10];
  std::printf("%-52s N=%-6ld best %9.1f us   median %9.1f us   p90 %9.1f us   (%zu runs)\n", name, degree, best,
              median, p90, samples.size());
  if (json)
    std::fprintf(json,
                 "%s\n    {\"program\": \"ntl_floor\", \"operation\": \"%s\", \"parameters\": \"N=%ld\", "
                 "\"min\": %.0f, \"median\": %.0f, \"p90\": %.0f, \"samples\": %zu}",
                 jsonRows++ ? "," : "", name, degree, best * 1e3, median * 1e3, p90 * 1e3, samples.size());
}

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "--json") == 0) {
    if (!(json = std::fopen(argv[2], "w"))) {
      std::perror(argv[2]);
      return 1;
    }
    std::fprintf(json, "{\"program\": \"ntl_floor\", \"library\": \"NTL %s\", \"unit\": \"ns\", \"rows\": [",
                 NTL_VERSION);
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: %s [--json FILE]\n", argv[0]);
    return 64;
  }
  std::printf("NTL %s, zz_pX over a 60-bit prime (NTL_SP_NBITS = %d)\n", NTL_VERSION,
              NTL_SP_NBITS);
  zz_p::FFTInit(0);
  std::printf("NTL's first FFT prime: %ld (%ld bits)\n", zz_p::modulus(),
              NumBits(zz_p::modulus()));
  for (long degree : {4096L, 8192L, 16384L}) {
    long q = nttFriendlyPrime(60, degree);
    zz_p::init(q);
    zz_pX a, b, product, result;
    random(a, degree);
    random(b, degree);
    report("NTL zz_pX negacyclic product", degree, [&] {
      mul(product, a, b);
      result.SetLength(degree);
      for (long i = 0; i < degree; i++) result[i] = coeff(product, i) - coeff(product, i + degree);
      result.normalize();
    });
    fftRep transform;
    long k = NextPowerOfTwo(2 * degree - 1);
    report("NTL zz_pX forward transform (TofftRep)", degree, [&] { TofftRep(transform, a, k); });
  }
  // NTL's best case: one of its own FFT primes (zz_p::FFTInit), where a
  // product needs a single modular FFT instead of a CRT over several.
  for (long degree : {4096L, 8192L, 16384L}) {
    zz_p::FFTInit(0);
    zz_pX a, b, product, result;
    random(a, degree);
    random(b, degree);
    report("NTL zz_pX negacyclic product, FFT prime", degree, [&] {
      mul(product, a, b);
      result.SetLength(degree);
      for (long i = 0; i < degree; i++) result[i] = coeff(product, i) - coeff(product, i + degree);
      result.normalize();
    });
    fftRep transform;
    long k = NextPowerOfTwo(2 * degree - 1);
    report("NTL zz_pX forward transform (TofftRep), FFT prime", degree, [&] { TofftRep(transform, a, k); });
  }
  if (json) {
    std::fprintf(json, "\n  ]}\n");
    if (std::fclose(json) != 0) {
      std::perror("--json");
      return 1;
    }
  }
  return 0;
}
