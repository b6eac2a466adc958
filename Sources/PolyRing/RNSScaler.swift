import BigNum

/// Scales and rounds in RNS: y = round(t · x / Q), the step of BFV's
/// decryption (Q → t) and of its ciphertext multiplication (Q·P → P), after
/// Halevi–Polyakov–Shoup 2018, §2.3 and §4.
///
/// The source ring's basis is Q·P: its first `scaledCount` moduli form Q, the
/// rest (possibly none) form P. With α_i = [(QP/q_i)^-1]_{q_i} and
/// β_j = [(QP/p_j)^-1]_{p_j},
///
///     t·x/Q = Σ_i x_i · (t·α_i·P / q_i) + Σ_j x_j · t·β_j·(P/p_j) − v·t·P
///
/// for an integer v. Write t·α_i·P / q_i = ω_i + θ_i (ω_i an integer, θ_i in
/// [0, 1)): then round(t·x/Q) ≡ Σ_i x_i·[ω_i] + round(Σ_i x_i·θ_i)
/// + x_k·[t·β_k·P/p_k] modulo each output modulus (p_k, or t when P is empty).
/// HPS keep θ_i in double precision; here θ_i is a 128-bit fixed-point
/// fraction and Σ x_i·θ_i a 192-bit sum, so the rounding is exact unless
/// t·x/Q lies within L·2^-66 of a half-integer.
///
/// Precomputation uses BigNum (GMP); the per-coefficient work is word
/// arithmetic: O(N·L·(L + L')) multiplications.
public final class RNSScaler: Sendable {
  /// The ring of the input: basis Q·P.
  public let source: PolyContext
  /// |Q|: the number of leading source moduli that divide.
  public let scaledCount: Int
  /// The numerator t (0 when the numerator does not fit a word, see
  /// ``init(from:numerator:outputModuli:)``).
  public let numerator: UInt64
  /// The moduli of the result: P, or t alone when P is empty.
  public let outputModuli: [Modulus]
  /// θ_i · 2^128 as (high, low) words, per i in Q.
  let fractions: [(high: UInt64, low: UInt64)]
  /// Row k: [ω_i]_{out_k} for each i in Q.
  let integerParts: [UInt64]
  /// [t·β_k·P/p_k]_{p_k} per output modulus (zero when P is empty).
  let extensionFactors: [UInt64]
  /// The same constants laid out for the tuned loop (RNSKernels.swift).
  let kernel: ScalingKernel

  /// Precomputes the constants.
  /// - Parameters:
  ///   - source: the ring of the inputs, basis Q followed by P.
  ///   - scaledCount: |Q|, in 1...L, at most 16.
  ///   - numerator: t ≥ 2, below 2^62.
  /// - Throws: ``PolyRingError/invalidBasis(_:)`` for a bad `scaledCount`,
  ///   ``PolyRingError/invalidModulus(_:)`` for a bad t.
  public convenience init(from source: PolyContext, scaledCount: Int, numerator: UInt64)
    throws(PolyRingError)
  {
    let moduli = source.moduli
    guard scaledCount >= 1, scaledCount <= moduli.count, scaledCount <= 16 else {
      throw .invalidBasis("scale by 1 to min(16, L) leading moduli, not \(scaledCount)")
    }
    let t = try Modulus(numerator)
    let kept = Array(moduli[scaledCount...])
    try self.init(
      source: source, scaledCount: scaledCount, numerator: BigInteger(numerator),
      outputModuli: kept.isEmpty ? [t] : kept)
  }

  /// Scales by all of `source`'s moduli with a numerator of any size:
  /// round(ν·x/Q) mod o for each output modulus o, which must divide ν
  /// (for instance Q → P with ν = P, the first step of a multiplication that
  /// computes in P over Q).
  /// - Parameters:
  ///   - source: the ring of the inputs (Q), at most 16 moduli.
  ///   - numerator: ν ≥ 1.
  ///   - outputModuli: one or more word-size moduli, each dividing ν.
  /// - Throws: ``PolyRingError/invalidBasis(_:)`` for more than 16 source
  ///   moduli, no output modulus, or one that does not divide ν.
  public convenience init(from source: PolyContext, numerator: BigInteger, outputModuli: [Modulus])
    throws(PolyRingError)
  {
    guard source.basis.count <= 16 else {
      throw .invalidBasis("scale by at most 16 moduli, not \(source.basis.count)")
    }
    guard !outputModuli.isEmpty, numerator >= BigInteger(1) else {
      throw .invalidBasis("a scaling needs an output modulus and a positive numerator")
    }
    for o in outputModuli where (try? numerator.modulo(BigInteger(o.value))) != BigInteger(0) {
      throw .invalidBasis("the output modulus \(o.value) does not divide the numerator")
    }
    try self.init(
      source: source, scaledCount: source.basis.count, numerator: numerator,
      outputModuli: outputModuli)
  }

  /// The common precomputation. The output moduli are the kept ones (source
  /// moduli after `scaledCount`) when there are any; otherwise each divides ν.
  init(source: PolyContext, scaledCount: Int, numerator bigT: BigInteger, outputModuli output: [Modulus])
    throws(PolyRingError)
  {
    let moduli = source.moduli
    let q = Array(moduli[..<scaledCount])
    let p = Array(moduli[scaledCount...])
    let bigQ = q.reduce(BigInteger(1)) { $0 * BigInteger($1.value) }
    let bigP = p.reduce(BigInteger(1)) { $0 * BigInteger($1.value) }
    let bigQP = bigQ * bigP
    func residue(_ x: BigInteger, _ m: Modulus) -> UInt64 {
      UInt64((try? x.modulo(BigInteger(m.value)))?.uintValue ?? 0)
    }
    var fractions: [(high: UInt64, low: UInt64)] = []
    var integerParts = [UInt64](repeating: 0, count: output.count * q.count)
    for (i, qi) in q.enumerated() {
      let big = BigInteger(qi.value)
      let cofactor = (try? bigQP / big) ?? BigInteger(0)
      guard let alpha = qi.inverse(residue(cofactor, qi)) else {
        throw .duplicateModulus(qi.value)
      }
      let product = bigT * BigInteger(alpha) * bigP
      guard let division = try? product.quotientAndRemainder(dividingBy: big),
        let scaled = try? (division.remainder << 128) / big
      else { throw .invalidModulus(qi.value) }
      let omega = division.quotient
      let mask = (BigInteger(1) << 64) - BigInteger(1)
      let low = UInt64((try? scaled.modulo(mask + BigInteger(1)))?.uintValue ?? 0)
      let high = UInt64((scaled >> 64).uintValue ?? 0)
      fractions.append((high: high, low: low))
      for (k, m) in output.enumerated() { integerParts[k * q.count + i] = residue(omega, m) }
    }
    var extensionFactors = [UInt64](repeating: 0, count: output.count)
    if !p.isEmpty {
      for (k, pk) in p.enumerated() {
        let big = BigInteger(pk.value)
        let cofactor = (try? bigQP / big) ?? BigInteger(0)
        guard let beta = pk.inverse(residue(cofactor, pk)) else {
          throw .duplicateModulus(pk.value)
        }
        let rest = (try? bigP / big) ?? BigInteger(0)
        extensionFactors[k] = residue(bigT * BigInteger(beta) * rest, pk)
      }
    }
    self.source = source
    self.scaledCount = scaledCount
    self.numerator = bigT.bitWidth <= 64 ? UInt64(bigT.uintValue ?? 0) : 0
    self.outputModuli = output
    self.fractions = fractions
    self.integerParts = integerParts
    self.extensionFactors = extensionFactors
    self.kernel = ScalingKernel(
      scaled: q, outputs: output, fractions: fractions, integerParts: integerParts,
      extensionFactors: p.isEmpty ? nil : extensionFactors)
  }

  /// round(t·x/Q) for each coefficient x, modulo each output modulus,
  /// limb-major: N values per output modulus.
  /// - Throws: ``PolyRingError/contextMismatch`` when `poly` is not in ``source``.
  /// - Complexity: O(N·|Q|·(1 + L_out)) word multiplications, one allocation.
  public func scaleAndRound(_ poly: Poly<Coeff>) throws(PolyRingError) -> [UInt64] {
    guard poly.context.isSameRing(as: source) else { throw .contextMismatch }
    let n = source.degree
    let qCount = scaledCount
    let output = outputModuli
    let extended = source.basis.count > qCount
    var result = [UInt64](repeating: 0, count: n * output.count)
    result.withUnsafeMutableBufferPointer { out in
      poly.data.withUnsafeBufferPointer { x in
        integerParts.withUnsafeBufferPointer { omega in
          for j in 0..<n {
            // Σ x_i·θ_i·2^128 as a 192-bit sum (top, middle, bottom); top
            // is Σ of up to 16 words below 2^62·(1 − 2^-128): it may pass
            // 2^64, so its carries go to topHigh.
            var topHigh: UInt64 = 0
            var top: UInt64 = 0
            var middle: UInt64 = 0
            var bottom: UInt64 = 0
            for i in 0..<qCount {
              let xi = x[i &* n &+ j]
              let lowPart = xi.multipliedFullWidth(by: fractions[i].low)
              let highPart = xi.multipliedFullWidth(by: fractions[i].high)
              var c: Bool
              (bottom, c) = bottom.addingReportingOverflow(lowPart.low)
              let carry: UInt64 = c ? 1 : 0
              (middle, c) = middle.addingReportingOverflow(lowPart.high)
              var carryTop: UInt64 = c ? 1 : 0
              (middle, c) = middle.addingReportingOverflow(highPart.low)
              carryTop &+= c ? 1 : 0
              (middle, c) = middle.addingReportingOverflow(carry)
              carryTop &+= c ? 1 : 0
              (top, c) = top.addingReportingOverflow(highPart.high &+ carryTop)
              topHigh &+= c ? 1 : 0
            }
            // round(Σ x_i·θ_i) = integer part + (fraction ≥ 1/2).
            let (rounded, c) = top.addingReportingOverflow(middle &>> 63)
            let roundedHigh = topHigh &+ (c ? 1 : 0)
            for (k, m) in output.enumerated() {
              var high: UInt64 = 0
              var low: UInt64 = 0
              for i in 0..<qCount {
                // ≤ 16 terms below 2^124: the sum stays below 2^128.
                let product = x[i &* n &+ j].multipliedFullWidth(by: omega[k &* qCount &+ i])
                let (s, c) = low.addingReportingOverflow(product.low)
                low = s
                high = high &+ product.high &+ (c ? 1 : 0)
              }
              var value = m.add(m.reduce(high: high, low: low), m.reduce(high: roundedHigh, low: rounded))
              if extended {
                let xk = x[(qCount &+ k) &* n &+ j]
                value = m.add(value, m.multiply(xk, extensionFactors[k]))
              }
              out[k &* n &+ j] = value
            }
          }
        }
      }
    }
    return result
  }
}
