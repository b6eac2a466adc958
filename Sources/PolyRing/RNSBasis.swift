public import BigNum

/// An RNS basis: distinct primes q_0, …, q_{L-1} and the constants of the
/// Chinese remainder theorem for Q = ∏ q_i.
///
/// An integer x in [0, Q) is represented by its residues x mod q_i;
/// ``compose(_:)`` rebuilds x with BigNum (GMP) and ``decompose(_:)`` splits it.
/// Neither is a hot-loop operation.
public final class RNSBasis: Sendable {
  /// The moduli, in order.
  public let moduli: [Modulus]
  /// Q = ∏ q_i.
  public let product: BigInteger
  /// Q / q_i.
  let punctured: [BigInteger]
  /// (Q / q_i)^-1 mod q_i, as Shoup constants.
  let puncturedInverse: [ShoupConstant]
  /// Garner's constants (q_0·…·q_{i−1})^-1 mod q_i, for the mixed radix.
  let garnerInverses: [UInt64]

  /// The number of moduli L.
  public var count: Int { moduli.count }

  /// Checks the moduli and precomputes the CRT constants.
  /// - Parameter moduli: one or more distinct primes, each below 2^62.
  /// - Throws: ``PolyRingError/invalidBasis(_:)`` for an empty list,
  ///   ``PolyRingError/invalidModulus(_:)`` for a composite,
  ///   ``PolyRingError/duplicateModulus(_:)`` for a repeated prime.
  public init(_ moduli: [Modulus]) throws(PolyRingError) {
    guard !moduli.isEmpty else { throw .invalidBasis("it needs at least one modulus") }
    var seen = Set<UInt64>()
    for modulus in moduli {
      guard modulus.isPrime else { throw .invalidModulus(modulus.value) }
      guard seen.insert(modulus.value).inserted else { throw .duplicateModulus(modulus.value) }
    }
    var product = BigInteger(1)
    for modulus in moduli { product *= BigInteger(modulus.value) }
    var punctured: [BigInteger] = []
    var inverses: [ShoupConstant] = []
    for modulus in moduli {
      var rest: UInt64 = 1
      var big = BigInteger(1)
      for other in moduli where other != modulus {
        big *= BigInteger(other.value)
        rest = modulus.multiply(rest, modulus.reduce(other.value))
      }
      guard let inverse = modulus.inverse(rest) else { throw .duplicateModulus(modulus.value) }
      punctured.append(big)
      inverses.append(ShoupConstant(inverse, modulus: modulus))
    }
    self.moduli = moduli
    self.product = product
    self.punctured = punctured
    self.puncturedInverse = inverses
    garnerInverses = try moduli.indices.map { i throws(PolyRingError) in
      let q = moduli[i]
      let prefix = moduli[..<i].reduce(UInt64(1)) { q.multiply($0, q.reduce($1.value)) }
      guard let inverse = q.inverse(prefix) else { throw .duplicateModulus(q.value) }
      return inverse
    }
  }

  /// x in [0, Q) from its residues: Σ [x_i·(Q/q_i)^-1]_{q_i} · Q/q_i mod Q.
  /// - Parameter residues: L values, residue i in [0, q_i).
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)`` or
  ///   ``PolyRingError/coefficientOutOfRange(index:modulus:)``.
  /// - Complexity: L big-integer multiply-adds and one reduction.
  public func compose(_ residues: [UInt64]) throws(PolyRingError) -> BigInteger {
    guard residues.count == count else {
      throw .lengthMismatch(expected: count, actual: residues.count)
    }
    for (i, r) in residues.enumerated() where r >= moduli[i].value {
      throw .coefficientOutOfRange(index: i, modulus: moduli[i].value)
    }
    return composeUnchecked(residues)
  }

  func composeUnchecked(_ residues: some Collection<UInt64>) -> BigInteger {
    var sum = BigInteger(0)
    for (i, r) in residues.enumerated() {
      let y = moduli[i].multiply(r, by: puncturedInverse[i])
      sum += punctured[i] * BigInteger(y)
    }
    // The sum is below L·Q; subtract Q until reduced (no division needed).
    while !(sum < product) { sum -= product }
    return sum
  }

  /// The residues x mod q_i of any integer x (negative values wrap mod Q).
  /// - Complexity: L big-integer reductions.
  public func decompose(_ x: BigInteger) -> [UInt64] {
    moduli.map { modulus in
      // modulo(_:) throws only for a zero modulus; q_i ≥ 2.
      let r = (try? x.modulo(BigInteger(modulus.value))) ?? BigInteger(0)
      return UInt64(r.uintValue ?? 0)
    }
  }

  /// The centered representative of x mod Q, in (−Q/2, Q/2].
  public func centered(_ x: BigInteger) -> BigInteger {
    x > product >> 1 ? x - product : x
  }

  /// The centered value in (−Q/2, Q/2] of the integer with these residues,
  /// or `nil` when it does not fit an `Int128`; word arithmetic only.
  ///
  /// The value v ∈ [0, Q) is written in mixed radix, v = a_0 + a_1·q_0 +
  /// a_2·q_0·q_1 + … (Garner); the digits of Q − 1 − v are q_i − 1 − a_i, so
  /// the sign of the centered value is a comparison of digits from the top
  /// and its magnitude is composed only as wide as it is.
  /// - Parameter residues: L values, residue i in [0, q_i) (larger ones are reduced).
  /// - Complexity: O(L²) word operations.
  public func centeredInt128(_ residues: some Collection<UInt64>) -> Int128? {
    let (negative, digits) = centeredDigits(residues)
    var m: UInt128 = 0
    for k in stride(from: digits.count - 1, through: 0, by: -1) {
      let (product, o1) = m.multipliedReportingOverflow(by: UInt128(moduli[k].value))
      let (sum, o2) = product.addingReportingOverflow(UInt128(digits[k]))
      if o1 || o2 { return nil }
      m = sum
    }
    guard m <= UInt128(Int128.max) else { return nil }
    return negative ? -Int128(m) - 1 : Int128(m)
  }

  /// The centered value in (−Q/2, Q/2] of the integer with these residues,
  /// exactly (as ``centeredInt128(_:)``, composed in big integers only as wide as it is).
  /// - Complexity: O(L²) word operations and L big-integer multiply-adds.
  public func centered(residues: some Collection<UInt64>) -> BigInteger {
    let (negative, digits) = centeredDigits(residues)
    var m = BigInteger(0)
    for k in stride(from: digits.count - 1, through: 0, by: -1) {
      m = m * BigInteger(moduli[k].value) + BigInteger(digits[k])
    }
    return negative ? -m - BigInteger(1) : m
  }

  /// Whether the centered value of the residues is negative, and the mixed-radix
  /// digits of m ≥ 0 where the centered value is m or −(m + 1).
  func centeredDigits(_ residues: some Collection<UInt64>) -> (negative: Bool, digits: [UInt64]) {
    var digits: [UInt64] = []
    digits.reserveCapacity(count)
    for (i, r) in zip(moduli.indices, residues) {
      let q = moduli[i]
      // The value of the digits so far, mod q_i (Horner from the top digit).
      var partial: UInt64 = 0
      for k in stride(from: i - 1, through: 0, by: -1) {
        partial = q.add(q.multiply(partial, q.reduce(moduli[k].value)), q.reduce(digits[k]))
      }
      digits.append(q.multiply(q.subtract(q.reduce(r), partial), garnerInverses[i]))
    }
    var negative = false
    for i in stride(from: count - 1, through: 0, by: -1) {
      let complement = moduli[i].value - 1 - digits[i]
      if digits[i] != complement {
        negative = digits[i] > complement
        break
      }
    }
    return negative ? (true, digits.indices.map { moduli[$0].value - 1 - digits[$0] }) : (false, digits)
  }
}

extension Poly where Form == Coeff {
  /// The coefficients as integers in [0, Q), composed by CRT.
  /// - Complexity: N compositions of L limbs (big-integer arithmetic).
  public func composedCoefficients() -> [BigInteger] {
    let n = context.degree
    let basis = context.basis
    return (0..<n).map { j in
      basis.composeUnchecked((0..<basis.count).lazy.map { data[$0 * n + j] })
    }
  }

  /// The coefficients as integers in (−Q/2, Q/2].
  public func centeredCoefficients() -> [BigInteger] {
    composedCoefficients().map(context.basis.centered)
  }

  /// A polynomial from integer coefficients (any sign; reduced mod Q).
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)``.
  public init(context: PolyContext, coefficients: [BigInteger]) throws(PolyRingError) {
    guard coefficients.count == context.degree else {
      throw .lengthMismatch(expected: context.degree, actual: coefficients.count)
    }
    let n = context.degree
    var data = [UInt64](repeating: 0, count: context.wordCount)
    for (j, c) in coefficients.enumerated() {
      for (i, r) in context.basis.decompose(c).enumerated() { data[i * n + j] = r }
    }
    self.init(context: context, uncheckedData: data)
  }
}
