import _CNTL
import Testing

@testable import PolyRing

/// PolyRing's negacyclic products against NTL's, exactly.
@Suite struct NTLOracleTests {
  @Test func shimMatchesSchoolbook() throws {
    var generator = testGenerator(40)
    for q: UInt64 in [97, 1_152_921_504_606_846_577, (1 << 62) - 57] {
      let a = randomResidues(16, q, using: &generator)
      let b = randomResidues(16, q, using: &generator)
      #expect(ntlProduct(a, b, q) == schoolbookProduct(a, b, q))
    }
  }

  /// Three primes per degree: 60 bits (NTL's zz_pX), 50 and 40 bits; one 62-bit
  /// prime at N = 4096 through NTL's ZZ_pX.
  @Test(arguments: [4096, 8192, 16384])
  func productEqualsNTL(degree: Int) throws {
    var widths = [60, 50, 40]
    if degree == 4096 { widths.append(62) }
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: widths, degree: degree)
    var generator = testGenerator(UInt8(degree.trailingZeroBitCount))
    for q in primes {
      let context = try PolyContext(degree: degree, moduli: [q])
      let a = randomResidues(degree, q.value, using: &generator)
      let b = randomResidues(degree, q.value, using: &generator)
      let expected = try #require(ntlProduct(a, b, q.value))
      #expect(try nttProduct(a, b, context) == expected, "N=\(degree) q=\(q)")
    }
  }

  @Test func multiLimbProductEqualsNTLPerLimb() throws {
    let degree = 4096
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [60, 60, 55], degree: degree)
    let context = try PolyContext(degree: degree, moduli: primes)
    var generator = testGenerator(41)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let b: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let product = try (a.forwardNTT() * b.forwardNTT()).inverseNTT()
    for (i, q) in primes.enumerated() {
      let expected = try #require(ntlProduct(Array(a.limb(i)), Array(b.limb(i)), q.value))
      #expect(Array(product.limb(i)) == expected)
    }
  }
}

/// The benchmark handles compute what the benchmarks claim to time.
@Suite struct NTLBenchmarkShimTests {
  @Test func benchHandlesComputeTheNegacyclicProduct() throws {
    let degree = 4096
    let q = try Modulus.nttFriendlyPrimes(bitWidths: [60], degree: degree)[0]
    var generator = testGenerator(42)
    let a = randomResidues(degree, q.value, using: &generator)
    let b = randomResidues(degree, q.value, using: &generator)
    let context = try PolyContext(degree: degree, moduli: [q])
    let bench = try #require(cntl_bench_create(degree, q.value, a, b))
    defer { cntl_bench_destroy(bench) }
    cntl_bench_multiply(bench)
    var c = [UInt64](repeating: 0, count: degree)
    cntl_bench_result(bench, &c)
    #expect(c == (try nttProduct(a, b, context)))

    let p = cntl_fft_prime()
    #expect(Modulus.isPrime(p))
    let fft = try #require(cntl_bench_create_fft_prime(degree, a, b))
    defer { cntl_bench_destroy(fft) }
    cntl_bench_multiply(fft)
    cntl_bench_result(fft, &c)
    #expect(c == schoolbookProductSampled(a.map { $0 % p }, b.map { $0 % p }, p, c))
  }
}

/// Checks a few coefficients of a negacyclic product against the definition
/// (a full schoolbook product at N = 4096 would be slow in a debug build).
func schoolbookProductSampled(_ a: [UInt64], _ b: [UInt64], _ q: UInt64, _ c: [UInt64]) -> [UInt64] {
  let n = a.count
  var checked = c
  for k in [0, 1, n / 2, n - 1] {
    var sum: UInt128 = 0
    let q128 = UInt128(q)
    for i in 0..<n {
      let j = (k - i + n) % n
      let product = UInt128(a[i]) * UInt128(b[j]) % q128
      sum = (i <= k ? sum + product : sum + q128 - product) % q128
    }
    checked[k] = UInt64(sum)
  }
  return checked
}
