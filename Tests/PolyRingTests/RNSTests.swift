import BigNum
import Testing

@testable import PolyRing

@Suite struct RNSTests {
  @Test("shared contexts: one per ring while someone holds it, freed when nobody does")
  func sharedContexts() throws {
    // Primes no other test uses, so that no other holder keeps the ring alive.
    let moduli = try Modulus.nttFriendlyPrimes(bitWidths: [41, 43, 47], degree: 128).map(\.value)
    weak var released: PolyContext?
    do {
      let a = try PolyContext.shared(degree: 128, moduli: moduli)
      let b = try PolyContext.shared(degree: 128, moduli: moduli)
      #expect(a === b)
      #expect(try PolyContext.shared(degree: 128, moduli: moduli.reversed()) !== a)  // another order, another basis
      #expect(try PolyContext.shared(degree: 64, moduli: moduli) !== a)  // another degree
      // Derived rings are shared too: the same subring twice, and q joined with nothing new.
      #expect(try a.droppingLastModulus() === a.subring(limbs: 0..<2))
      let prefix = try a.subring(limbs: 0..<1)
      let suffix = try a.subring(limbs: 1..<3)
      #expect(try prefix.joined(with: suffix) === a)
      released = a
    }
    #expect(released == nil, "the registry must not keep a ring alive")
    let rebuilt = try PolyContext.shared(degree: 128, moduli: moduli)
    #expect(rebuilt.moduli.map(\.value) == moduli)
  }

  @Test func crtRoundTrips() throws {
    let moduli = try Modulus.nttFriendlyPrimes(bitWidths: [62, 60, 60, 45, 30], degree: 1024)
    let basis = try RNSBasis(moduli)
    var generator = testGenerator(30)
    let q = basis.product
    #expect((253...257).contains(q.bitWidth))  // five primes of 62+60+60+45+30 bits
    for _ in 0..<200 {
      let residues = moduli.map { UInt64.random(in: 0..<$0.value, using: &generator) }
      let x = try basis.compose(residues)
      #expect(x >= BigInteger(0) && x < q)
      #expect(basis.decompose(x) == residues)
    }
    for x in [BigInteger(0), BigInteger(1), q - BigInteger(1), -BigInteger(5)] {
      let back = try basis.compose(basis.decompose(x))
      #expect(back == (try x.modulo(q)))
    }
    #expect(basis.centered(q - BigInteger(1)) == BigInteger(-1))
    #expect(throws: PolyRingError.lengthMismatch(expected: 5, actual: 1)) { try basis.compose([1]) }
  }

  @Test func polyCRTRoundTrip() throws {
    let context = try PolyContext(
      degree: 16, moduli: Modulus.nttFriendlyPrimes(bitWidths: [60, 60, 40], degree: 16))
    var generator = testGenerator(31)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let back = try Poly<Coeff>(context: context, coefficients: a.composedCoefficients())
    #expect(back == a)
    let centered = a.centeredCoefficients()
    #expect(try Poly<Coeff>(context: context, coefficients: centered) == a)
    let half = context.basis.product >> 1
    #expect(centered.allSatisfy { $0 <= half && $0 > -half - BigInteger(1) })
  }

  /// Exact (HPS) conversion gives the centered value; the fast one may add u·Q.
  @Test func baseConversion() throws {
    let degree = 32
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [60, 60, 59, 50, 50, 61], degree: degree)
    let source = try PolyContext(degree: degree, moduli: Array(primes[0..<3]))
    let target = try PolyContext(degree: degree, moduli: Array(primes[3...]))
    let converter = try BaseConverter(from: source, to: target)
    var generator = testGenerator(32)
    let a: Poly<Coeff> = Sampler.uniform(in: source, using: &generator)
    let values = a.centeredCoefficients()
    let exact = try converter.convertExact(a)
    #expect(exact == (try Poly<Coeff>(context: target, coefficients: values)))
    let approximate = try converter.convertApproximate(a)
    let q = source.basis.product
    for (j, value) in a.composedCoefficients().enumerated() {
      let column = (0..<target.basis.count).map { approximate.limb($0)[j] }
      let y = try target.basis.compose(column)
      // y ≡ x + u·Q (mod P) for some u in [0, L).
      let matches = (0..<source.basis.count).contains { u in
        (try? (value + BigInteger(u) * q).modulo(target.basis.product)) == y
      }
      #expect(matches)
    }
    // Small signed values (the BFV case) convert exactly.
    let small = try Poly<Coeff>(context: source, signedCoefficients: (0..<degree).map { Int64($0) - 16 })
    #expect(
      try converter.convertExact(small)
        == Poly<Coeff>(context: target, signedCoefficients: (0..<degree).map { Int64($0) - 16 }))
  }

  @Test func modulusDropRoundsToNearest() throws {
    let degree = 16
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [60, 55, 50], degree: degree)
    let context = try PolyContext(degree: degree, moduli: primes)
    let smaller = try context.droppingLastModulus()
    #expect(smaller.moduli == Array(primes.dropLast()))
    var generator = testGenerator(33)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let dropped = try a.dividingAndRoundingByLastModulus(into: smaller)
    let last = BigInteger(primes[2].value)
    let expected = try a.composedCoefficients().map { x in
      // floor((2x + q) / 2q) = round(x / q).
      try ((x * BigInteger(2) + last) / (last * BigInteger(2))).modulo(smaller.basis.product)
    }
    #expect(dropped.composedCoefficients() == expected)
    #expect(throws: PolyRingError.contextMismatch) {
      try a.dividingAndRoundingByLastModulus(into: context)
    }
    let single = try PolyContext(degree: degree, moduli: [primes[0]])
    #expect(throws: PolyRingError.self) { try single.droppingLastModulus() }
  }
}

@Suite struct RNSScalerTests {
  /// round(t·x/Q) by big integers: ⌊(2t·x + Q) / 2Q⌋.
  static func expected(_ x: BigInteger, t: UInt64, q: BigInteger) throws -> BigInteger {
    try (BigInteger(2) * BigInteger(t) * x + q) / (BigInteger(2) * q)
  }

  @Test(arguments: [UInt64(65537), UInt64(1) << 20, (UInt64(1) << 61) - 1])
  func decryptionScalingMatchesBigIntegers(t: UInt64) throws {
    let degree = 64
    let context = try PolyContext(
      degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [60, 60, 50], degree: degree))
    let scaler = try RNSScaler(from: context, scaledCount: 3, numerator: t)
    var generator = testGenerator(60)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let scaled = try scaler.scaleAndRound(a)
    let q = context.basis.product
    for (j, x) in a.composedCoefficients().enumerated() {
      let want = try RNSScalerTests.expected(x, t: t, q: q).modulo(BigInteger(t))
      #expect(BigInteger(scaled[j]) == want)
    }
  }

  /// The multiplication case: x in basis Q·P, the result in P.
  @Test func multiplicationScalingMatchesBigIntegers() throws {
    let degree = 32
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [60, 60, 61, 61, 40], degree: degree)
    let context = try PolyContext(degree: degree, moduli: primes)
    let t: UInt64 = 65537
    let scaler = try RNSScaler(from: context, scaledCount: 2, numerator: t)
    #expect(scaler.outputModuli == Array(primes[2...]))
    var generator = testGenerator(61)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let scaled = try scaler.scaleAndRound(a)
    let q = primes[0..<2].reduce(BigInteger(1)) { $0 * BigInteger($1.value) }
    for (j, x) in a.composedCoefficients().enumerated() {
      let y = try RNSScalerTests.expected(x, t: t, q: q)
      for (k, p) in scaler.outputModuli.enumerated() {
        #expect(BigInteger(scaled[k * degree + j]) == (try y.modulo(BigInteger(p.value))))
      }
    }
    #expect(throws: PolyRingError.self) { try RNSScaler(from: context, scaledCount: 0, numerator: t) }
    #expect(throws: PolyRingError.invalidModulus(1)) {
      try RNSScaler(from: context, scaledCount: 2, numerator: 1)
    }
  }
}
