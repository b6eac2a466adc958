import Foundation
import Testing

@testable import PolyRing

@Suite struct NTTTests {
  struct SmallCase: Decodable {
    let degree: Int
    let modulus: UInt64
    let a: [UInt64]
    let b: [UInt64]
    let product: [UInt64]
    let galoisElement: Int
    let galois: [UInt64]
  }

  static func smallCases() throws -> [SmallCase] {
    struct File: Decodable { let cases: [SmallCase] }
    let data = try Data(contentsOf: vectorURL("ntt_small.json"))
    return try JSONDecoder().decode(File.self, from: data).cases
  }

  @Test func handCheckedVectors() throws {
    let cases = try NTTTests.smallCases()
    #expect(cases.count >= 5)
    for c in cases {
      let context = try PolyContext(degree: c.degree, moduli: [c.modulus])
      #expect(try nttProduct(c.a, c.b, context) == c.product)
      let a = try Poly<Coeff>(context: context, limbs: [c.a])
      #expect(Array(try a.applyingGalois(c.galoisElement).limb(0)) == c.galois)
      let viaEval = try a.forwardNTT().applyingGalois(c.galoisElement).inverseNTT()
      #expect(Array(viaEval.limb(0)) == c.galois)
    }
  }

  @Test(arguments: [2, 8, 16, 64, 256])
  func matchesSchoolbook(degree: Int) throws {
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [62, 60, 45, 30], degree: degree)
    var generator = testGenerator(UInt8(degree.trailingZeroBitCount))
    for q in primes {
      let context = try PolyContext(degree: degree, moduli: [q])
      for _ in 0..<3 {
        let a = randomResidues(degree, q.value, using: &generator)
        let b = randomResidues(degree, q.value, using: &generator)
        #expect(try nttProduct(a, b, context) == schoolbookProduct(a, b, q.value))
      }
    }
  }

  @Test(arguments: [8, 1024, 4096, 32768])
  func forwardInverseRoundTrip(degree: Int) throws {
    let moduli = try Modulus.nttFriendlyPrimes(bitWidths: [62, 60, 36], degree: degree)
    let context = try PolyContext(degree: degree, moduli: moduli)
    var generator = testGenerator(3)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let eval = a.forwardNTT()
    for (i, q) in moduli.enumerated() { #expect(eval.limb(i).allSatisfy { $0 < q.value }) }
    #expect(eval.inverseNTT() == a)
    // The worst-case inputs of the lazy butterflies: all q−1.
    let top = try Poly<Coeff>(
      context: context, limbs: moduli.map { [UInt64](repeating: $0.value - 1, count: degree) })
    #expect(top.forwardNTT().inverseNTT() == top)
  }

  @Test func nttOfMonomialIsItsEvaluations() throws {
    // NTT(X) lists the evaluation points ψ^(2·bitrev(j)+1).
    let degree = 16
    let context = try PolyContext(degree: degree, moduli: [193])
    var x = [UInt64](repeating: 0, count: degree)
    x[1] = 1
    let eval = try Poly<Coeff>(context: context, limbs: [x]).forwardNTT()
    let table = context.nttTables[0]
    let q = table.modulus
    for j in 0..<degree {
      let exponent = UInt64(2 * NTTTables.bitReversed(j, bits: 4) + 1)
      #expect(eval.limb(0)[j] == q.power(table.root, exponent))
    }
  }

  @Test func contextRejectsBadParameters() throws {
    #expect(throws: PolyRingError.self) { try PolyContext(degree: 1000, moduli: [12289]) }
    #expect(throws: PolyRingError.notNTTFriendly(modulus: 12289, degree: 8192)) {
      try PolyContext(degree: 8192, moduli: [12289])
    }
    #expect(throws: PolyRingError.invalidModulus(12287 * 3)) {
      try PolyContext(degree: 16, moduli: [12287 * 3])
    }
    #expect(throws: PolyRingError.duplicateModulus(12289)) {
      try PolyContext(degree: 16, moduli: [12289, 12289])
    }
    #expect(throws: PolyRingError.invalidBasis("it needs at least one modulus")) {
      try PolyContext(degree: 16, moduli: [UInt64]())
    }
  }
}

@Suite struct NTTKernelTests {
  /// The kernel follows how PolyRing was compiled, not a measurement: the
  /// same answer every time; prefer(_:) overrides it for tables built after.
  @Test func choiceFollowsTheBuild() throws {
    #if DEBUG
      // `swift test` compiles for the baseline CPU: no AVX-512 lanes.
      #expect(NTTKernel.compiledFor == .scalar)
    #endif
    #expect((0..<5).allSatisfy { _ in NTTKernel.preferred == NTTKernel.compiledFor })
    let other: NTTKernel = NTTKernel.compiledFor == .scalar ? .simd8 : .scalar
    NTTKernel.prefer(other)
    defer { NTTKernel.prefer(nil) }
    #expect(NTTKernel.preferred == other)
    let modulus = try #require(try Modulus.nttFriendlyPrimes(bitWidths: [40], degree: 32).first)
    #expect(try NTTTables(degree: 32, modulus: modulus).kernel == other)
    NTTKernel.prefer(nil)
    #expect(NTTKernel.preferred == NTTKernel.compiledFor)
  }

  /// Both kernels, whichever this process prefers, give the same transforms,
  /// and each inverts the other.
  /// Degrees with an even and an odd number of stages (the kernels pair
  /// stages); 62-bit primes take the narrow ranges, 61 bits and below the wide.
  @Test(arguments: [16, 32, 64, 128, 1024, 2048, 8192])
  func kernelsAgree(degree: Int) throws {
    var generator = testGenerator(9)
    for q in try Modulus.nttFriendlyPrimes(bitWidths: [62, 61, 60, 40, 20], degree: degree) {
      let scalar = try NTTTables(degree: degree, modulus: q, kernel: .scalar)
      let simd = try NTTTables(degree: degree, modulus: q, kernel: .simd8)
      #expect(scalar.kernel == .scalar && simd.kernel == .simd8)
      // Lazy inputs: the forward transform accepts [0, 4q); the largest ones
      // drive every lazy range to its bound.
      let random = (0..<degree).map { _ in UInt64.random(in: 0..<(4 * q.value), using: &generator) }
      for input in [random, [UInt64](repeating: 4 * q.value - 1, count: degree)] {
        var a = input
        var b = input
        try scalar.forward(&a)
        try simd.forward(&b)
        #expect(a == b, "N=\(degree) q=\(q)")
        #expect(a.allSatisfy { $0 < q.value })
        var c = a
        try scalar.inverse(&a)
        try simd.inverse(&c)
        #expect(a == c)
        #expect(a == input.map { $0 % q.value })
      }
      // The inverse accepts [0, 2q).
      let top = [UInt64](repeating: 2 * q.value - 1, count: degree)
      var d = top
      var e = top
      try scalar.inverse(&d)
      try simd.inverse(&e)
      #expect(d == e && d.allSatisfy { $0 < q.value })
      try scalar.forward(&d)
      #expect(d == top.map { $0 % q.value })
    }
  }

  /// Each kernel's product against NTL's, whichever kernel this process
  /// prefers (the NTL oracle tests cover the preferred one through PolyContext).
  @Test(arguments: NTTKernel.allCases)
  func eachKernelMatchesNTL(kernel: NTTKernel) throws {
    for degree in [2048, 4096, 8192] {
      var generator = testGenerator(UInt8(degree.trailingZeroBitCount))
      for q in try Modulus.nttFriendlyPrimes(bitWidths: [62, 61, 60, 50], degree: degree) {
        let tables = try NTTTables(degree: degree, modulus: q, kernel: kernel)
        var a = randomResidues(degree, q.value, using: &generator)
        var b = randomResidues(degree, q.value, using: &generator)
        let expected = try #require(ntlProduct(a, b, q.value))
        try tables.forward(&a)
        try tables.forward(&b)
        a.withUnsafeMutableBufferPointer { x in
          b.withUnsafeBufferPointer { y in
            if kernel == .simd8 {
              q.multiplySIMD8(x.baseAddress!, y.baseAddress!, count: degree)
            } else {
              for j in 0..<degree { x[j] = q.multiply(x[j], y[j]) }
            }
          }
        }
        try tables.inverse(&a)
        #expect(a == expected, "\(kernel) N=\(degree) q=\(q)")
      }
    }
  }

  @Test func wrongLengthsAreRejected() throws {
    let tables = try NTTTables(degree: 16, modulus: Modulus(97))
    var values = [UInt64](repeating: 0, count: 8)
    #expect(throws: PolyRingError.lengthMismatch(expected: 16, actual: 8)) {
      try tables.forward(&values)
    }
    #expect(throws: PolyRingError.lengthMismatch(expected: 16, actual: 8)) {
      try tables.inverse(&values)
    }
  }

  @Test func smallDegreesUseScalar() throws {
    let tables = try NTTTables(degree: 8, modulus: Modulus(17), kernel: .simd8)
    #expect(tables.kernel == .scalar)
  }
}
