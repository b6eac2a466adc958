import Testing

@testable import PolyRing

@Suite struct ModulusTests {
  static let moduli: [UInt64] = [
    2, 3, 4, 17, 12289, 1 << 20, 1 << 61, 1_152_921_504_606_846_577, (1 << 62) - 57, (1 << 61) - 1, 0x3FFF_FFFF_FFFF_FFFF,
  ]

  @Test func rejectsOutOfRangeModuli() {
    #expect(throws: PolyRingError.invalidModulus(1)) { try Modulus(1) }
    #expect(throws: PolyRingError.invalidModulus(1 << 62)) { try Modulus(1 << 62) }
    #expect(PolyRingError.invalidModulus(1).localizedDescription.contains("2^62"))
  }

  @Test(arguments: moduli) func barrettAndShoupAgreeWithDivision(q: UInt64) throws {
    let modulus = try Modulus(q)
    var generator = testGenerator(1)
    let edge: [UInt64] = [0, 1, q - 1, q, q + 1, 2 * q - 1, UInt64.max, UInt64.max - 1]
    let values = edge + (0..<2000).map { _ in generator.next() }
    for x in values {
      #expect(modulus.reduce(x) == x % q)
      let y = generator.next()
      let exact = UInt64((UInt128(x) * UInt128(y)) % UInt128(q))
      let (xr, yr) = (x % q, y % q)
      #expect(modulus.multiply(xr, yr) == UInt64((UInt128(xr) * UInt128(yr)) % UInt128(q)))
      // The largest double word reduceProduct accepts: (q−1)² + (q−1).
      let top = UInt128(q - 1) * UInt128(q - 1) + UInt128(q - 1)
      #expect(
        modulus.reduceProduct(high: UInt64(top >> 64), low: UInt64(truncatingIfNeeded: top))
          == UInt64(top % UInt128(q)))
      let full = x.multipliedFullWidth(by: y)
      #expect(modulus.reduce(high: full.high, low: full.low) == exact)
      let w = ShoupConstant(y, modulus: modulus)
      let lazy = modulus.multiplyLazy(x, by: w)
      #expect(lazy < 2 * q)
      #expect(lazy % q == exact)
      #expect(modulus.multiply(x, by: w) == exact)
      let a = x % q
      let b = y % q
      #expect(modulus.add(a, b) == UInt64((UInt128(a) + UInt128(b)) % UInt128(q)))
      #expect(modulus.subtract(a, b) == UInt64((UInt128(a) + UInt128(q) - UInt128(b)) % UInt128(q)))
      #expect(modulus.negate(a) == (q - a) % q)
    }
  }

  @Test(arguments: moduli.filter { $0.nonzeroBitCount > 1 })
  func simdPointwiseProductAgreesWithScalar(q: UInt64) throws {
    let modulus = try Modulus(q)
    var generator = testGenerator(5)
    var a = (0..<64).map { _ in UInt64.random(in: 0..<q, using: &generator) }
    let b = (0..<64).map { _ in UInt64.random(in: 0..<q, using: &generator) }
    a[0] = q - 1
    let expected = zip(a, b).map { modulus.multiply($0, $1) }
    let squares = a.map { modulus.multiply($0, $0) }
    var c = a
    a.withUnsafeMutableBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        modulus.multiplySIMD8(pa.baseAddress!, pb.baseAddress!, count: 64)
      }
    }
    #expect(a == expected)
    // The same buffer on both sides (squaring in place).
    c.withUnsafeMutableBufferPointer { pc in
      modulus.multiplySIMD8(pc.baseAddress!, UnsafePointer(pc.baseAddress!), count: 64)
    }
    #expect(c == squares)
  }

  @Test func inverseAndPower() throws {
    let modulus = try Modulus(1_152_921_504_606_846_577)
    var generator = testGenerator(2)
    for _ in 0..<100 {
      let a = UInt64.random(in: 1..<modulus.value, using: &generator)
      let inverse = try #require(modulus.inverse(a))
      #expect(modulus.multiply(a, inverse) == 1)
      #expect(modulus.power(a, modulus.value - 1) == 1)  // Fermat
    }
    #expect(try Modulus(15).inverse(5) == nil)
  }

  @Test func primalityMatchesKnownValues() {
    #expect(Modulus.isPrime(2) && Modulus.isPrime(17) && Modulus.isPrime((1 << 61) - 1))
    #expect(!Modulus.isPrime(1) && !Modulus.isPrime(561) && !Modulus.isPrime(3_215_031_751))
    #expect(!Modulus.isPrime(((1 << 31) - 1) * ((1 << 31) + 11)))
    #expect(Modulus.isPrime(1_152_921_504_606_846_577))
  }

  @Test(arguments: [1024, 4096, 32768]) func nttFriendlyPrimesAreDistinctAndCorrect(degree: Int)
    throws
  {
    let widths = [62, 60, 60, 60, 50, 40, 30]
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: widths, degree: degree)
    #expect(Set(primes.map(\.value)).count == widths.count)
    for (prime, bits) in zip(primes, widths) {
      #expect(prime.bitWidth == bits)
      #expect(prime.isPrime)
      #expect((prime.value - 1) % UInt64(2 * degree) == 0)
      let root = try prime.primitiveRoot(degree: degree)
      #expect(prime.power(root, UInt64(degree)) == prime.value - 1)  // order exactly 2N
    }
  }

  @Test func primeSearchRejectsBadRequests() {
    #expect(throws: PolyRingError.invalidBitWidth(63, supported: Modulus.primeBitWidths)) {
      try Modulus.nttFriendlyPrimes(bitWidths: [63], degree: 1024)
    }
    #expect(throws: PolyRingError.self) {
      try Modulus.nttFriendlyPrimes(bitWidths: [12], degree: 4096)
    }
    // Only a handful of 14-bit primes are ≡ 1 mod 2048; asking for 20 fails.
    #expect(throws: PolyRingError.self) {
      try Modulus.nttFriendlyPrimes(bitWidths: Array(repeating: 14, count: 20), degree: 1024)
    }
    #expect(throws: PolyRingError.notNTTFriendly(modulus: 19, degree: 8)) {
      try Modulus(19).primitiveRoot(degree: 8)
    }
  }
}
