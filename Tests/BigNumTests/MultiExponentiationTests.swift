import BigNum
import Testing

@Suite("BigInteger.productOfPowers (simultaneous multi-exponentiation)")
struct MultiExponentiationTests {
  @Test("hand-checked")
  func handChecked() throws {
    #expect(try BigInteger.productOfPowers([(2, 10), (3, 5)], modulus: 1000) == 832)
    #expect(try BigInteger.productOfPowers([], modulus: 1000) == 1)
    #expect(try BigInteger.productOfPowers([(5, 0)], modulus: 7) == 1)
    #expect(try BigInteger.productOfPowers([(5, 3)], modulus: 1) == 0)
    #expect(try BigInteger.productOfPowers([(3, -1)], modulus: 7) == 5)  // 3 · 5 = 15 = 1 mod 7
  }

  @Test("agrees with the product of separate powers", arguments: [1, 2, 7, 30])
  func agrees(count: Int) throws {
    var generator = SeededGenerator(seed: UInt64(count) &* 977)
    // Odd moduli of 1024 bits and more run in Montgomery form; exponents of
    // at most 64 bits with four bases or more take Bos–Coster's method.
    let cases = [(64, 8, false), (200, 64, false), (1024, 1024, false), (2048, 160, false), (2048, 40, true), (1536, 64, true), (1088, 300, true)]
    for (modulusBits, exponentBits, odd) in cases {
      var modulus = try BigInteger.random(bitWidth: modulusBits - 1, using: &generator) + (BigInteger(1) << (modulusBits - 1))
      if odd && !modulus.isOdd { modulus += 1 }
      var terms: [(base: BigInteger, exponent: BigInteger)] = []
      var expected = BigInteger(1)
      for _ in 0..<count {
        let base = try BigInteger.random(below: modulus, using: &generator)
        guard base.greatestCommonDivisor(with: modulus) == 1 else { continue }
        let exponent = BigInteger.signedRandom(bits: exponentBits, using: &generator)
        terms.append((base, exponent))
        expected = try (expected * base.power(exponent, modulus: modulus)).modulo(modulus)
      }
      #expect(try BigInteger.productOfPowers(terms, modulus: modulus) == expected)
    }
  }

  @Test("errors: non-positive modulus, non-invertible base with negative exponent")
  func errors() {
    #expect(throws: BigNumError.nonPositiveModulus) { try BigInteger.productOfPowers([(2, 3)], modulus: -5) }
    #expect(throws: BigNumError.notInvertible) { try BigInteger.productOfPowers([(4, -1)], modulus: 8) }
    // One non-invertible base among invertible ones, all inverted together.
    #expect(throws: BigNumError.notInvertible) {
      try BigInteger.productOfPowers([(2, -3), (7, 2), (3, -1), (4, -2)], modulus: 15)
    }
  }

  @Test("several negative exponents share one inversion")
  func severalNegative() throws {
    // 2⁻³ · 7² · 4⁻² · 11⁻¹ mod 15: 2⁻¹ = 8, 4⁻¹ = 4, 11⁻¹ = 11 (121 = 1 mod 15).
    let expected = (8 * 8 * 8 * 49 * 4 * 4 * 11) % 15
    #expect(try BigInteger.productOfPowers([(2, -3), (7, 2), (4, -2), (11, -1)], modulus: 15) == BigInteger(expected))
  }

  @Test("secret operands give a secret result")
  func secrets() throws {
    let r = try BigInteger.productOfPowers([(BigInteger(3).secret(), 5), (2, 7)], modulus: 1_000_003)
    #expect(r.isSecret && r == 243 * 128)
  }
}
