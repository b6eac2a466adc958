/// The precomputed tables of the negacyclic NTT of degree N modulo one prime q.
///
/// The forward transform maps coefficients a_0..a_{N-1} (natural order) to the
/// evaluations a(ψ^(2·bitrev(i)+1)) in bit-reversed order, where ψ is a primitive
/// 2N-th root of unity: the twist by powers of ψ is merged into the butterflies
/// (Longa–Naehrig), so the product of two transforms, inverse-transformed, is
/// the product modulo X^N + 1. The inverse folds N⁻¹ into its last stage.
///
/// Butterflies are Harvey's lazy ones with Shoup constants; the ranges each
/// stage keeps are documented at the loops in `NTTTables+Transform.swift`
/// (scalar kernel) and `NTTTables+SIMD.swift` (SIMD kernel). Built once per
/// (N, q) and shared by every polynomial of a ``PolyContext``.
public final class NTTTables: Sendable {
  /// The ring degree N.
  public let degree: Int
  /// The prime q ≡ 1 mod 2N.
  public let modulus: Modulus
  /// The primitive 2N-th root of unity ψ used.
  public let root: UInt64
  /// Forward twiddles: word k < K is w_k = ψ^bitrev(k), word K + k its Shoup
  /// quotient floor(w_k·2^64/q). K = N for the scalar kernel; K = N/8 for the
  /// SIMD kernel, whose stages t = 4, 2, 1 read ``laneForwardTable`` instead.
  let forwardTable: [UInt64]
  /// Inverse twiddles, laid out the same: w_k = ψ^-bitrev(k), except that entry
  /// 1 has N⁻¹ folded in (it is used only by the last stage).
  let inverseTable: [UInt64]
  /// The SIMD kernel's twiddles of the forward stages t = 4, 2, 1 in the lane
  /// order its register shuffles produce, 48 words per 16 values (empty for
  /// the scalar kernel); see ``laneTwiddles(_:degree:forward:)``.
  let laneForwardTable: [UInt64]
  /// The same for the inverse's stages t = 1, 2, 4.
  let laneInverseTable: [UInt64]
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
    self.inverseDegree = ShoupConstant(nInverse, modulus: modulus)
    self.kernel = degree >= NTTKernel.minimumSIMDDegree ? kernel : .scalar
    if self.kernel == .simd8 {
      // Stages t ≥ 8 use twiddles k < N/8 only.
      self.forwardTable = NTTTables.leading(forward, degree / 8, of: degree)
      self.inverseTable = NTTTables.leading(inverse, degree / 8, of: degree)
      self.laneForwardTable = NTTTables.laneTwiddles(forward, degree: degree, forward: true)
      self.laneInverseTable = NTTTables.laneTwiddles(inverse, degree: degree, forward: false)
    } else {
      self.forwardTable = forward
      self.inverseTable = inverse
      self.laneForwardTable = []
      self.laneInverseTable = []
    }
  }

  /// The largest bit width of q for which both kernels keep their wide lazy
  /// ranges (values below 8q between stages): 8q must fit a word. 62-bit
  /// moduli run the same kernels with Harvey's narrower ranges.
  static let maximumWideBitWidth = 61

  /// Whether q is too wide for the wide lazy ranges.
  var isNarrow: Bool { modulus.bitWidth > NTTTables.maximumWideBitWidth }

  /// The first `count` twiddles of a full table (N values, then N quotients),
  /// as `count` values then `count` quotients.
  static func leading(_ table: [UInt64], _ count: Int, of degree: Int) -> [UInt64] {
    Array(table[0..<count] + table[degree..<(degree + count)])
  }

  /// The twiddles of the stages t = 4, 2, 1 in the lane order of the SIMD
  /// kernel's register layouts (``LaneBlock``): for each block of 16 values,
  /// per stage 8 twiddles then their 8 quotients, stages in the order the
  /// kernel runs them (t = 4, 2, 1 forward; t = 1, 2, 4 inverse).
  /// - Parameter table: a full table (N values, then N quotients).
  static func laneTwiddles(_ table: [UInt64], degree n: Int, forward: Bool) -> [UInt64] {
    // Per lane, the offset of its twiddle from the block's first twiddle of
    // the stage; stage t has N/(2t) groups, block b's first is N/(2t) + (16/2t)·b.
    let four = [0, 0, 0, 0, 1, 1, 1, 1]  // x = [A0..A3 B0..B3]
    let two = [0, 0, 2, 2, 1, 1, 3, 3]  // x = [A0 A1 B0 B1 A4 A5 B4 B5]
    let one = [0, 1, 4, 5, 2, 3, 6, 7]  // x = [A0 A2 B0 B2 A4 A6 B4 B6]
    var lanes: [UInt64] = []
    lanes.reserveCapacity(3 * n)
    for block in 0..<(n / 16) {
      let stages = [(n / 8 + 2 * block, four), (n / 4 + 4 * block, two), (n / 2 + 8 * block, one)]
      for (first, offsets) in forward ? stages : stages.reversed() {
        lanes += offsets.map { table[first + $0] }
        lanes += offsets.map { table[n + first + $0] }
      }
    }
    return lanes
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
