import BigNum

/// Converts polynomials in coefficient form from one RNS basis Q = ∏ q_i to
/// another P = ∏ p_j without leaving word arithmetic.
///
/// With y_i = [x_i · (Q/q_i)^-1]_{q_i}, x ≡ Σ y_i · Q/q_i (mod Q), and the sum
/// equals x + u·Q for an integer u in [0, L). Two variants:
/// - ``convertApproximate(_:)`` (the "fast base conversion" of BEHZ) ignores u:
///   the result is x + u·Q mod p_j, good where an extra multiple of Q is
///   harmless or corrected later.
/// - ``convertExact(_:)`` (Halevi–Polyakov–Shoup 2018, §2.2) computes
///   u = round(Σ y_i / q_i) in double precision and subtracts it: the result is
///   the centered representative of x, in (−Q/2, Q/2], mod p_j. It is exact
///   whenever the fractional part of Σ y_i / q_i is not within about
///   L·2^-52 of 1/2, that is for every |x| ≤ Q/2 − L·Q·2^-52; HPS's BFV
///   multiplication needs exactly this (its inputs are far from ±Q/2).
///
/// HEKit uses the HPS variant for BFV; both are O(N·L·L') word operations.
public final class BaseConverter: Sendable {
  /// The ring converted from.
  public let source: PolyContext
  /// The ring converted to (same degree).
  public let target: PolyContext
  /// Row j: [Q/q_i]_{p_j} for each i.
  let puncturedModTarget: [UInt64]
  /// [Q]_{p_j}.
  let productModTarget: [UInt64]
  /// 1 / q_i in double precision.
  let inverseModuli: [Double]
  /// The same constants laid out for the tuned loop (RNSKernels.swift).
  let kernel: ConversionKernel

  /// Precomputes the conversion from `source`'s basis to `target`'s.
  /// - Throws: ``PolyRingError/contextMismatch`` when the degrees differ,
  ///   ``PolyRingError/invalidBasis(_:)`` for more than 16 source moduli.
  public init(from source: PolyContext, to target: PolyContext) throws(PolyRingError) {
    guard source.degree == target.degree else { throw .contextMismatch }
    guard source.basis.count <= 16 else {
      throw .invalidBasis("base conversion takes at most 16 source moduli")
    }
    var punctured: [UInt64] = []
    var product: [UInt64] = []
    for p in target.moduli {
      for big in source.basis.punctured {
        punctured.append(BaseConverter.reduce(big, p))
      }
      product.append(BaseConverter.reduce(source.basis.product, p))
    }
    self.source = source
    self.target = target
    self.puncturedModTarget = punctured
    self.productModTarget = product
    self.inverseModuli = source.moduli.map { 1.0 / Double($0.value) }
    self.kernel = ConversionKernel(
      degree: source.degree, source: source.moduli, inverses: source.basis.puncturedInverse,
      target: target.moduli, punctured: punctured, products: product)
  }

  static func reduce(_ x: BigInteger, _ p: Modulus) -> UInt64 {
    UInt64((try? x.modulo(BigInteger(p.value)))?.uintValue ?? 0)
  }

  /// x + u·Q mod p_j for u in [0, L): BEHZ's fast base conversion.
  /// - Throws: ``PolyRingError/contextMismatch`` when `poly` is not in ``source``.
  public func convertApproximate(_ poly: Poly<Coeff>) throws(PolyRingError) -> Poly<Coeff> {
    try convert(poly, exact: false)
  }

  /// The centered representative of x mod p_j (HPS): exact for
  /// |x| ≤ Q/2 − L·Q·2^-52.
  /// - Throws: ``PolyRingError/contextMismatch`` when `poly` is not in ``source``.
  public func convertExact(_ poly: Poly<Coeff>) throws(PolyRingError) -> Poly<Coeff> {
    try convert(poly, exact: true)
  }

  private func convert(_ poly: Poly<Coeff>, exact: Bool) throws(PolyRingError) -> Poly<Coeff> {
    guard poly.context.isSameRing(as: source) else { throw .contextMismatch }
    let n = source.degree
    let sourceModuli = source.moduli
    let targetModuli = target.moduli
    let inverses = source.basis.puncturedInverse
    let l = sourceModuli.count
    var output = [UInt64](repeating: 0, count: target.wordCount)
    var y = [UInt64](repeating: 0, count: l)  // per coefficient, reused
    output.withUnsafeMutableBufferPointer { out in
      poly.data.withUnsafeBufferPointer { x in
        puncturedModTarget.withUnsafeBufferPointer { punctured in
          y.withUnsafeMutableBufferPointer { y in
            for j in 0..<n {
              var fraction = 0.0
              for i in 0..<l {
                let yi = sourceModuli[i].multiply(x[i &* n &+ j], by: inverses[i])
                y[i] = yi
                fraction += Double(yi) * inverseModuli[i]
              }
              let u = exact ? UInt64(fraction.rounded()) : 0
              for (k, p) in targetModuli.enumerated() {
                // Σ y_i·[Q/q_i]_p < L·2^124 ≤ 2^128 for L ≤ 16: one wide sum.
                var high: UInt64 = 0
                var low: UInt64 = 0
                for i in 0..<l {
                  let t = y[i].multipliedFullWidth(by: punctured[k &* l &+ i])
                  let (s, c) = low.addingReportingOverflow(t.low)
                  low = s
                  high = high &+ t.high &+ (c ? 1 : 0)
                }
                let sum = p.reduce(high: high, low: low)
                let correction = p.multiply(p.reduce(u), productModTarget[k])
                out[k &* n &+ j] = p.subtract(sum, correction)
              }
            }
          }
        }
      }
    }
    return Poly(context: target, uncheckedData: output)
  }
}
