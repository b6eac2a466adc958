import BigNum
import Testing

@testable import PolyRing

@Suite struct PolyArithmeticTests {
  static func ring(_ degree: Int = 64) throws -> PolyContext {
    try PolyContext(
      degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [60, 50, 40], degree: degree))
  }

  @Test func addSubtractNegateAgreeWithIntegers() throws {
    let context = try PolyArithmeticTests.ring()
    var generator = testGenerator(20)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let b: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let q = context.basis.product
    let sum = try (a + b).composedCoefficients()
    let difference = try (a - b).composedCoefficients()
    let negation = (-a).composedCoefficients()
    for (j, (x, y)) in zip(a.composedCoefficients(), b.composedCoefficients()).enumerated() {
      #expect(sum[j] == (try (x + y).modulo(q)))
      #expect(difference[j] == (try (x - y).modulo(q)))
      #expect(negation[j] == (try (-x).modulo(q)))
    }
    #expect(try a - a == Poly<Coeff>.zero(in: context))
    #expect(try a + (-a) == Poly<Coeff>.zero(in: context))
  }

  @Test func scalarMultiplication() throws {
    let context = try PolyArithmeticTests.ring()
    var generator = testGenerator(21)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let q = context.basis.product
    for scalar: Int64 in [0, 1, -1, 3, -7, Int64.max, Int64.min + 1] {
      var scaled = a
      scaled.multiply(by: scalar)
      let expected = try a.composedCoefficients().map { try ($0 * BigInteger(scalar)).modulo(q) }
      #expect(scaled.composedCoefficients() == expected)
    }
    #expect(a * 2 == (try a + a))
  }

  @Test func evalProductIsNegacyclicProductPerLimb() throws {
    let context = try PolyArithmeticTests.ring(32)
    var generator = testGenerator(22)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let b: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let product = try (a.forwardNTT() * b.forwardNTT()).inverseNTT()
    for (i, q) in context.moduli.enumerated() {
      #expect(
        Array(product.limb(i)) == schoolbookProduct(Array(a.limb(i)), Array(b.limb(i)), q.value))
    }
  }

  @Test func multiplyAddAccumulates() throws {
    let context = try PolyArithmeticTests.ring()
    var generator = testGenerator(23)
    let polys: [Poly<Eval>] = (0..<6).map { _ in Sampler.uniform(in: context, using: &generator) }
    var accumulator = Poly<Eval>.zero(in: context)
    var expected = Poly<Eval>.zero(in: context)
    for k in stride(from: 0, to: 6, by: 2) {
      try accumulator.multiplyAdd(polys[k], polys[k + 1])
      try expected.add(polys[k] * polys[k + 1])
    }
    #expect(accumulator == expected)
  }

  @Test func operandsOfDifferentRingsAreRejected() throws {
    let small = try PolyArithmeticTests.ring(32)
    let other = try PolyArithmeticTests.ring(64)
    let a = Poly<Coeff>.zero(in: small)
    let b = Poly<Coeff>.zero(in: other)
    #expect(throws: PolyRingError.contextMismatch) { try a + b }
    #expect(throws: PolyRingError.contextMismatch) { try a.forwardNTT() * b.forwardNTT() }
    #expect(throws: PolyRingError.lengthMismatch(expected: 3, actual: 1)) {
      try Poly<Coeff>(context: small, limbs: [[UInt64](repeating: 0, count: 32)])
    }
    let q = small.moduli[0].value
    #expect(throws: PolyRingError.coefficientOutOfRange(index: 0, modulus: q)) {
      try Poly<Coeff>(
        context: small,
        limbs: [[q] + [UInt64](repeating: 0, count: 31)]
          + small.moduli.dropFirst().map { _ in [UInt64](repeating: 0, count: 32) })
    }
  }

  // MARK: Galois automorphisms

  @Test func galoisLaws() throws {
    let degree = 64
    let context = try PolyArithmeticTests.ring(degree)
    var generator = testGenerator(24)
    let a: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let b: Poly<Coeff> = Sampler.uniform(in: context, using: &generator)
    let elements = [1, 3, 5, 2 * degree - 1, context.galoisElement(power: 7)]
    #expect(try a.applyingGalois(1) == a)
    for k in elements {
      let ak = try a.applyingGalois(k)
      // NTT commutes with σ_k (the Eval form is a permutation).
      #expect(try a.forwardNTT().applyingGalois(k) == ak.forwardNTT())
      // σ_k is a ring homomorphism.
      let product = try (a.forwardNTT() * b.forwardNTT()).inverseNTT()
      let productOfImages = try (ak.forwardNTT() * b.applyingGalois(k).forwardNTT()).inverseNTT()
      #expect(try product.applyingGalois(k) == productOfImages)
      #expect(try (a + b).applyingGalois(k) == ak + b.applyingGalois(k))
      // σ_k ∘ σ_l = σ_(k·l mod 2N).
      for l in elements {
        #expect(try ak.applyingGalois(l) == a.applyingGalois(k * l % (2 * degree)))
      }
    }
    // σ_(2N−1) maps X to X^(2N−1) = −X^(N−1).
    var x = [Int64](repeating: 0, count: degree)
    x[1] = 1
    var image = [Int64](repeating: 0, count: degree)
    image[degree - 1] = -1
    let monomial = try Poly<Coeff>(context: context, signedCoefficients: x)
    #expect(try monomial.applyingGalois(2 * degree - 1) == Poly(context: context, signedCoefficients: image))
  }

  @Test func galoisRejectsEvenOrOutOfRangeElements() throws {
    let context = try PolyArithmeticTests.ring(16)
    let a = Poly<Coeff>.zero(in: context)
    for k in [0, 2, 32, 33, -1] {
      #expect(throws: PolyRingError.invalidGaloisElement(k, degree: 16)) { try a.applyingGalois(k) }
      #expect(throws: PolyRingError.self) { try a.forwardNTT().applyingGalois(k) }
    }
  }
}
