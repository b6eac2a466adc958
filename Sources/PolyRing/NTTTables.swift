/// The precomputed tables of the negacyclic NTT of degree N modulo one prime q.
///
/// The forward transform maps coefficients a_0..a_{N-1} (natural order) to the
/// evaluations a(ψ^(2·bitrev(i)+1)) in bit-reversed order, where ψ is a primitive
/// 2N-th root of unity: the twist by powers of ψ is merged into the butterflies
/// (Longa–Naehrig), so the product of two transforms, inverse-transformed, is
/// the product modulo X^N + 1. The inverse folds N⁻¹ into its last stage.
///
/// Butterflies are Harvey's lazy ones with Shoup constants; the ranges each
/// stage keeps are documented at the loops in `NTTTables+Transform.swift`.
/// Built once per (N, q) and shared by every polynomial of a ``PolyContext``.
public final class NTTTables: Sendable {
  /// The ring degree N.
  public let degree: Int
  /// The prime q ≡ 1 mod 2N.
  public let modulus: Modulus
  /// The primitive 2N-th root of unity ψ used.
  public let root: UInt64
  /// Forward twiddles: word k < N is w_k = ψ^bitrev(k), word N + k its Shoup
  /// quotient floor(w_k·2^64/q) (two halves, so that SIMD loads are contiguous).
  let forwardTable: [UInt64]
  /// Inverse twiddles, laid out the same: w_k = ψ^-bitrev(k), except that entry
  /// 1 has N⁻¹ folded in (it is used only by the last stage).
  let inverseTable: [UInt64]
  /// The kernel the transforms run (``NTTKernel/preferred`` unless N is small).
  public let kernel: NTTKernel
  /// N⁻¹ mod q with its Shoup quotient.
  let inverseDegree: ShoupConstant

  /// Builds the tables for degree N and prime q.
  /// - Parameters:
  ///   - degree: N, a power of two in ``PolyContext/supportedDegrees``.
  ///   - modulus: a prime q ≡ 1 mod 2N.
  /// - Throws: ``PolyRingError/invalidDegree(_:supported:)``,
  ///   ``PolyRingError/invalidModulus(_:)`` (not prime) or
  ///   ``PolyRingError/notNTTFriendly(modulus:degree:)``.
  /// - Complexity: O(N) multiplications and one root search.
  public convenience init(degree: Int, modulus: Modulus) throws(PolyRingError) {
    try self.init(
      degree: degree, modulus: modulus,
      kernel: degree >= NTTKernel.minimumSIMDDegree ? NTTKernel.preferred : .scalar)
  }

  /// Builds the tables with a given kernel (tests and the kernel measurement).
  init(degree: Int, modulus: Modulus, kernel: NTTKernel) throws(PolyRingError) {
    guard PolyContext.supportedDegrees.contains(degree), degree.nonzeroBitCount == 1 else {
      throw .invalidDegree(degree, supported: PolyContext.supportedDegrees)
    }
    let psi = try modulus.primitiveRoot(degree: degree)
    guard let psiInverse = modulus.inverse(psi),
      let nInverse = modulus.inverse(UInt64(degree))
    else { throw .invalidModulus(modulus.value) }
    let logN = degree.trailingZeroBitCount
    var forward = [UInt64](repeating: 0, count: 2 * degree)
    var inverse = [UInt64](repeating: 0, count: 2 * degree)
    var power: UInt64 = 1
    var inversePower: UInt64 = 1
    for i in 0..<degree {
      let k = NTTTables.bitReversed(i, bits: logN)
      let w = ShoupConstant(power, modulus: modulus)
      let wi = ShoupConstant(inversePower, modulus: modulus)
      forward[k] = w.value
      forward[degree + k] = w.quotient
      inverse[k] = wi.value
      inverse[degree + k] = wi.quotient
      power = modulus.multiply(power, psi)
      inversePower = modulus.multiply(inversePower, psiInverse)
    }
    // The last inverse stage uses ψ^-bitrev(1) only, times N⁻¹.
    let last = ShoupConstant(modulus.multiply(inverse[1], nInverse), modulus: modulus)
    inverse[1] = last.value
    inverse[degree + 1] = last.quotient
    self.degree = degree
    self.modulus = modulus
    self.root = psi
    self.forwardTable = forward
    self.inverseTable = inverse
    self.inverseDegree = ShoupConstant(nInverse, modulus: modulus)
    self.kernel = degree >= NTTKernel.minimumSIMDDegree ? kernel : .scalar
  }

  static func bitReversed(_ value: Int, bits: Int) -> Int {
    bits == 0 ? 0 : Int(UInt(value).bitReversed >> (UInt.bitWidth - bits))
  }
}

extension UInt {
  fileprivate var bitReversed: UInt {
    var v = self
    var r: UInt = 0
    for _ in 0..<UInt.bitWidth {
      r = (r << 1) | (v & 1)
      v >>= 1
    }
    return r
  }
}
