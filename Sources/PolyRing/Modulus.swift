/// A word-size modulus q < 2^62 with its precomputed reduction constants.
///
/// Ranges: unless a method says otherwise, inputs and outputs are in [0, q).
/// Lazy variants document a wider range; 4q < 2^64 holds for every valid q,
/// which is what Harvey's lazy NTT butterflies rely on.
public struct Modulus: Sendable, Hashable, CustomStringConvertible {
  /// The largest supported modulus bit width: 4q must fit a word.
  public static let maximumBitWidth = 62

  /// The modulus q.
  public let value: UInt64
  /// The number of significant bits of q.
  public let bitWidth: Int
  /// floor(2^128 / q), high and low words (Barrett's constant).
  @usableFromInline let barrettHigh: UInt64
  @usableFromInline let barrettLow: UInt64
  /// floor(2^(2s) / q) · 2^(63−s) for s = ``bitWidth``: Barrett's single-word
  /// constant (in (2^s, 2^(s+1)]) shifted so that the quotient estimate is the
  /// high word of one product, for products of two residues.
  @usableFromInline let productRatio: UInt64
  /// Whether q is a power of two (then residues are masks, and Barrett's
  /// shifted constant 2^64 would not fit a word).
  @usableFromInline let isPowerOfTwo: Bool

  /// Precomputes Barrett's constant for q.
  /// - Parameter value: the modulus, in 2...2^62 - 1 (need not be prime here;
  ///   the NTT and RNS layers check primality).
  /// - Throws: ``PolyRingError/invalidModulus(_:)`` when q is out of range.
  public init(_ value: UInt64) throws(PolyRingError) {
    guard value >= 2, value >> Modulus.maximumBitWidth == 0 else {
      throw .invalidModulus(value)
    }
    self.value = value
    self.bitWidth = UInt64.bitWidth - value.leadingZeroBitCount
    // floor(2^128 / q) by long division of (1, 0, 0) by q.
    let (q1, r1) = value.dividingFullWidth((high: 1, low: 0))  // 2^64 = q1*q + r1
    let (q0, _) = value.dividingFullWidth((high: r1, low: 0))
    self.barrettHigh = q1
    self.barrettLow = q0
    let s = self.bitWidth
    // 2^(2s) / q as a double-word division: 2^(2s) = (2^(2s-64), 0) for s ≥ 32.
    let ratio =
      s >= 32
      ? value.dividingFullWidth((high: UInt64(1) << (2 * s - 64), low: 0)).quotient
      : (UInt64(1) << (2 * s)) / value
    self.isPowerOfTwo = value.nonzeroBitCount == 1
    self.productRatio = isPowerOfTwo ? 0 : ratio << (63 - s)
  }

  /// q in decimal.
  public var description: String { "\(value)" }

  /// Moduli are equal when their values are (the constants follow from q).
  public static func == (lhs: Modulus, rhs: Modulus) -> Bool { lhs.value == rhs.value }
  /// Hashes q.
  public func hash(into hasher: inout Hasher) { hasher.combine(value) }

  // MARK: Reduction

  /// Reduces any word: x mod q. Barrett with floor(2^64 / q).
  /// - Complexity: one high multiplication, one low, one conditional subtraction.
  @inlinable @inline(__always)
  public func reduce(_ x: UInt64) -> UInt64 {
    let estimate = x.multipliedFullWidth(by: barrettHigh).high  // ≤ floor(x / q)
    let r = x &- estimate &* value  // [0, 2q)
    return Swift.min(r, r &- value)
  }

  /// Reduces any double word: (high·2^64 + low) mod q. Barrett with
  /// floor(2^128 / q) (as in SEAL): the quotient estimate is floor(x·R / 2^128),
  /// at most one below floor(x / q) for every x < 2^128.
  @inlinable @inline(__always)
  public func reduce(high: UInt64, low: UInt64) -> UInt64 {
    // floor(x · floor(2^128/q) / 2^128), approximated from below by at most 1.
    let carry = low.multipliedFullWidth(by: barrettLow).high
    let lowHigh = low.multipliedFullWidth(by: barrettHigh)
    let (sum1, c1) = lowHigh.low.addingReportingOverflow(carry)
    let carry2 = lowHigh.high &+ (c1 ? 1 : 0)
    let highLow = high.multipliedFullWidth(by: barrettLow)
    let (_, c2) = highLow.low.addingReportingOverflow(sum1)
    let estimate = high &* barrettHigh &+ highLow.high &+ carry2 &+ (c2 ? 1 : 0)
    let r = low &- estimate &* value  // [0, 2q)
    return Swift.min(r, r &- value)
  }

  /// a · b mod q for a, b in [0, q) (use ``reduce(high:low:)`` on
  /// `multipliedFullWidth` for unreduced words).
  /// - Complexity: two wide and one low multiplication (Barrett, HAC 14.42).
  @inlinable @inline(__always)
  public func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let p = a.multipliedFullWidth(by: b)
    return reduceProduct(high: p.high, low: p.low)
  }

  /// x mod q for a double word x = (high, low) < 2^(2s), s = ``bitWidth``:
  /// every product of two residues, plus a residue (q² + q < 2^(2s)).
  /// Barrett with one word: q̂ = ⌊⌊x / 2^(s-1)⌋ · ⌊2^(2s)/q⌋ / 2^(s+1)⌋ is at
  /// most 2 below ⌊x / q⌋ (HAC 14.42), so x − q̂q is in [0, 3q).
  @inlinable @inline(__always)
  public func reduceProduct(high: UInt64, low: UInt64) -> UInt64 {
    assert(bitWidth >= 2 && (bitWidth >= 32 || high == 0 && low >> (2 * bitWidth) == 0))
    if isPowerOfTwo { return low & (value &- 1) }
    return reduceOddProduct(high: high, low: low)
  }

  /// ``reduceProduct(high:low:)`` for q not a power of two (every modulus of
  /// a ``PolyContext``): no branch, for hot loops.
  @usableFromInline @inline(__always)
  func reduceOddProduct(high: UInt64, low: UInt64) -> UInt64 {
    assert(!isPowerOfTwo)
    let s = UInt64(bitWidth)
    let x1 = (high &<< (65 &- s)) | (low &>> (s &- 1))  // < 2^(s+1)
    // ⌊x1 · ratio / 2^(s+1)⌋ = ⌊x1 · ratio · 2^(63−s) / 2^64⌋.
    let estimate = x1.multipliedFullWidth(by: productRatio).high
    var r = low &- estimate &* value  // [0, 3q)
    r = Swift.min(r, r &- value)
    return Swift.min(r, r &- value)
  }

  /// a + b mod q for a, b in [0, q).
  @inlinable @inline(__always)
  public func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let s = a &+ b
    return Swift.min(s, s &- value)
  }

  /// a − b mod q for a, b in [0, q).
  @inlinable @inline(__always)
  public func subtract(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let d = a &- b
    return Swift.min(d, d &+ value)
  }

  /// −a mod q for a in [0, q).
  @inlinable @inline(__always)
  public func negate(_ a: UInt64) -> UInt64 {
    let d = value &- a  // (0, q] for a in [0, q)
    return Swift.min(d, d &- value)
  }

  /// Reduces x in [0, 2q) to [0, q) (one conditional subtraction).
  @inlinable @inline(__always)
  public func reduceOnce(_ x: UInt64) -> UInt64 { Swift.min(x, x &- value) }

  /// x · 2^64 mod q, for building Shoup quotients and Montgomery-free constants.
  func shiftedQuotient(_ x: UInt64) -> UInt64 {
    value.dividingFullWidth((high: x, low: 0)).quotient
  }

  // MARK: Powers and inverses

  /// base^exponent mod q by square and multiply (public exponents only).
  public func power(_ base: UInt64, _ exponent: UInt64) -> UInt64 {
    var result: UInt64 = 1 % value
    var b = reduce(base)
    var e = exponent
    while e != 0 {
      if e & 1 == 1 { result = multiply(result, b) }
      b = multiply(b, b)
      e >>= 1
    }
    return result
  }

  /// a^-1 mod q, or nil when gcd(a, q) ≠ 1 (extended Euclid).
  public func inverse(_ a: UInt64) -> UInt64? {
    var (r0, r1) = (Int128(value), Int128(reduce(a)))
    var (t0, t1): (Int128, Int128) = (0, 1)
    while r1 != 0 {
      let quotient = r0 / r1
      (r0, r1) = (r1, r0 - quotient * r1)
      (t0, t1) = (t1, t0 - quotient * t1)
    }
    guard r0 == 1 else { return nil }
    if t0 < 0 { t0 += Int128(value) }
    return UInt64(t0)
  }
}

/// A constant w in [0, q) with its Shoup quotient floor(w · 2^64 / q), for fast
/// multiplication of many values by the same w.
public struct ShoupConstant: Sendable, Hashable {
  /// The constant w, in [0, q).
  public let value: UInt64
  /// floor(w · 2^64 / q).
  public let quotient: UInt64

  /// Precomputes w's quotient for modulus q.
  /// - Parameters:
  ///   - value: w; it is reduced mod q first.
  ///   - modulus: q.
  public init(_ value: UInt64, modulus: Modulus) {
    let w = modulus.reduce(value)
    self.value = w
    self.quotient = modulus.shiftedQuotient(w)
  }
}

extension Modulus {
  /// x · w mod q, lazily: the result is in [0, 2q) for any word x.
  /// - Complexity: one high and two low multiplications (Shoup).
  @inlinable @inline(__always)
  public func multiplyLazy(_ x: UInt64, by w: ShoupConstant) -> UInt64 {
    let estimate = x.multipliedFullWidth(by: w.quotient).high
    return x &* w.value &- estimate &* value
  }

  /// x · w mod q in [0, q) for any word x.
  @inlinable @inline(__always)
  public func multiply(_ x: UInt64, by w: ShoupConstant) -> UInt64 {
    reduceOnce(multiplyLazy(x, by: w))
  }
}
