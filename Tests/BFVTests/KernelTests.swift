import BFV
import BigNum
import PolyRing
import Testing

/// PolyRing's tuned loops added for BFV (RNSKernels.swift, PolyContext+Limbs.swift)
/// give the same results as BaseConverter's and RNSScaler's reference loops,
/// and as big-integer arithmetic.
@Suite struct KernelTests {
  @Test func tunedLoopsMatchTheReferences() throws {
    let degree = 64
    let q = try PolyContext(degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [40, 41, 42], degree: degree))
    let p = try PolyContext(degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [61, 61, 61, 61], degree: degree))
    let qp = try PolyContext(degree: degree, moduli: q.moduli + p.moduli)
    var generator = testGenerator(60)
    let x: Poly<Coeff> = Sampler.uniform(in: q, using: &generator)
    let toP = try BaseConverter(from: q, to: p)
    let extended = try toP.extendExactly(x, into: qp)
    #expect(extended.limbs == x.limbs + (try toP.convertExact(x)).limbs)
    #expect(try toP.convertExactly(x) == toP.convertExact(x))
    let y: Poly<Coeff> = Sampler.uniform(in: qp, using: &generator)
    let scaler = try RNSScaler(from: qp, scaledCount: 3, numerator: 65537)
    #expect(try scaler.scaleAndRound(y, into: p).data == scaler.scaleAndRound(y))
    let decryptScaler = try RNSScaler(from: q, scaledCount: 3, numerator: 257)
    let t = try PolyContext(degree: degree, moduli: [257])
    #expect(try decryptScaler.scaleAndRound(x, into: t).data == decryptScaler.scaleAndRound(x))
    #expect(throws: PolyRingError.contextMismatch) { try toP.extendExactly(x, into: q) }
  }

  /// Every unrolled source count (1…8 and beyond) against the reference loops.
  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12])
  func everySourceCount(_ count: Int) throws {
    let degree = 16
    let primes = try Modulus.nttFriendlyPrimes(
      bitWidths: [Int](repeating: 50, count: count) + [60, 61, 59], degree: degree)
    let source = try PolyContext(degree: degree, moduli: Array(primes[..<count]))
    let target = try PolyContext(degree: degree, moduli: Array(primes[count...]))
    let joined = try source.joined(with: target)
    var generator = testGenerator(UInt8(70 + count))
    let x: Poly<Coeff> = Sampler.uniform(in: source, using: &generator)
    let converter = try BaseConverter(from: source, to: target)
    #expect(try converter.convertExactly(x) == converter.convertExact(x))
    let z: Poly<Coeff> = Sampler.uniform(in: joined, using: &generator)
    let scaler = try RNSScaler(from: joined, scaledCount: count, numerator: 1 << 20)
    #expect(try scaler.scaleAndRound(z, into: target).data == scaler.scaleAndRound(z))
  }

  /// Moduli near 2^62 and 16 scaled limbs: the sums no longer fit when the
  /// rounding and kept terms join them, and the loop reduces them apart.
  /// Checked against big integers and the reference loop.
  @Test func widestSumsReduceApart() throws {
    let degree = 16
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [Int](repeating: 62, count: 18), degree: degree)
    let source = try PolyContext(degree: degree, moduli: primes)
    let scaled = try source.subring(limbs: 0..<16)
    let kept = try source.subring(limbs: 16..<18)
    var generator = testGenerator(80)
    let z: Poly<Coeff> = Sampler.uniform(in: source, using: &generator)
    let t: UInt64 = (1 << 61) - 1
    let scaler = try RNSScaler(from: source, scaledCount: 16, numerator: t)
    let result = try scaler.scaleAndRound(z, into: kept).data
    #expect(try result == scaler.scaleAndRound(z))
    let bigS = scaled.basis.product
    for (j, value) in z.composedCoefficients().enumerated() {
      let rounded = try (BigInteger(2) * BigInteger(t) * value + bigS) / (BigInteger(2) * bigS)
      for (k, pk) in kept.moduli.enumerated() {
        #expect(BigInteger(result[k * degree + j]) == (try rounded.modulo(BigInteger(pk.value))))
      }
    }
  }

  /// round(P·x/Q) mod each p_j (the first step of the P-over-q product),
  /// against big integers, and the scaling with the kept term left out.
  @Test func bigNumeratorAndKeptTerm() throws {
    let degree = 32
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [44, 44, 43, 61, 61], degree: degree)
    let q = try PolyContext(degree: degree, moduli: Array(primes[..<3]))
    let p = try PolyContext(degree: degree, moduli: Array(primes[3...]))
    var generator = testGenerator(81)
    let x: Poly<Coeff> = Sampler.uniform(in: q, using: &generator)
    let bigP = p.basis.product
    let bigQ = q.basis.product
    let toP = try RNSScaler(from: q, numerator: bigP, outputModuli: p.moduli)
    var out = [UInt64](repeating: 0, count: p.wordCount)
    x.data.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { output in
        toP.scaleAndRound(scaled: input.baseAddress!, kept: nil, into: output.baseAddress!)
      }
    }
    for (j, value) in x.composedCoefficients().enumerated() {
      // round(P·x/Q) = ⌊(2P·x + Q) / 2Q⌋.
      let rounded = try (BigInteger(2) * bigP * value + bigQ) / (BigInteger(2) * bigQ)
      for (k, pk) in p.moduli.enumerated() {
        #expect(BigInteger(out[k * degree + j]) == (try rounded.modulo(BigInteger(pk.value))))
      }
    }
    #expect(throws: PolyRingError.self) { try RNSScaler(from: q, numerator: BigInteger(7), outputModuli: p.moduli) }

    // P divided away, q kept: the kept term added afterwards gives the whole.
    let pq = try p.joined(with: q)
    let scaler = try RNSScaler(from: pq, scaledCount: 2, numerator: 65537)
    let z: Poly<Coeff> = Sampler.uniform(in: pq, using: &generator)
    let whole = try scaler.scaleAndRound(z, into: q).data
    var part = [UInt64](repeating: 0, count: q.wordCount)
    z.data.withUnsafeBufferPointer { input in
      part.withUnsafeMutableBufferPointer { output in
        scaler.scaleAndRound(scaled: input.baseAddress!, kept: nil, into: output.baseAddress!)
      }
    }
    let factors = scaler.keptFactors
    #expect(factors.count == 3)
    for (i, qi) in q.moduli.enumerated() {
      for j in 0..<degree {
        let keptTerm = qi.multiply(z.data[(2 + i) * degree + j], factors[i])
        #expect(qi.add(part[i * degree + j], keptTerm) == whole[i * degree + j])
      }
    }
  }

  @Test func limbTransformsAndJoinedRings() throws {
    let degree = 32
    let q = try PolyContext(degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [50, 51], degree: degree))
    let p = try PolyContext(degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [61], degree: degree))
    let qp = try q.joined(with: p)
    #expect(qp.moduli == q.moduli + p.moduli)
    #expect(try qp.subring(limbs: 0..<2).isSameRing(as: q))
    #expect(throws: PolyRingError.self) { try qp.subring(limbs: 2..<4) }
    var generator = testGenerator(82)
    let x: Poly<Coeff> = Sampler.uniform(in: qp, using: &generator)
    var words = x.data
    words.withUnsafeMutableBufferPointer { qp.forwardNTT($0.baseAddress!, limbs: 0..<3) }
    #expect(words == x.forwardNTT().data)
    let y: Poly<Eval> = Sampler.uniform(in: qp, using: &generator)
    words.withUnsafeMutableBufferPointer { w in
      y.data.withUnsafeBufferPointer { qp.multiplyPointwise(w.baseAddress!, by: $0.baseAddress!, limbs: 0..<3) }
      qp.inverseNTT(w.baseAddress!, limbs: 0..<3)
    }
    #expect(words == (try x.forwardNTT() * y).inverseNTT().data)
  }
}

/// The product's shortcut for squares (shared coefficient forms) gives the
/// same ciphertext as the general path.
@Suite struct ProductPathTests {
  @Test(arguments: ["tiny", "n4096"])
  func squareMatchesTheGeneralProduct(_ name: String) throws {
    let (p, keys) = EvaluatorTests.fixture(name)
    let encoder = BFV.Encoder(parameters: p)
    let x = try keys.public_.encrypt(try encoder.encode(randomSlots(p, 15)))
    let copy = try BFV.Ciphertext(deserializing: x.serialized(), parameters: p)
    let square = try x.multiplied(by: x)
    let product = try x.multiplied(by: copy)
    #expect(square.serialized() == product.serialized())
    let relinearized = try x.multiplied(by: x, relinearizingWith: keys.relinearization)
    var separate = product
    try separate.relinearize(using: keys.relinearization)
    #expect(relinearized.serialized() == separate.serialized())
  }
}
