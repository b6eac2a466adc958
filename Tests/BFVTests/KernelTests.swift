import PolyRing
import Testing

/// PolyRing's tuned loops added for BFV (RNSKernels.swift) give the same
/// results as BaseConverter's and RNSScaler's reference loops.
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
}
