internal import CGMP

// Exact rationals at the edges of BigInteger: a Double as the fraction it is,
// a fraction or a scaled integer back to the nearest Double, and integer
// square roots. The differential-privacy samplers, the analytics results and
// Paillier's decoding share them.
extension BigInteger {
  /// A finite `Double` as the exact fraction `numerator / denominator`, the
  /// denominator a power of two, the sign on the numerator.
  /// - Parameter x: any finite value; subnormals included.
  /// - Returns: `nil` for NaN and the infinities.
  public static func fraction(exactly x: Double) -> (numerator: BigInteger, denominator: BigInteger)? {
    guard x.isFinite else { return nil }
    var m = x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)
    if m == 0 { return (0, 1) }
    var e = (x.isNormal ? Int(x.exponent) : Int(Double.leastNormalMagnitude.exponent)) - 52
    let zeros = m.trailingZeroBitCount
    m >>= UInt64(zeros)
    e += zeros
    let numerator = x < 0 ? -BigInteger(m) : BigInteger(m)
    return e >= 0 ? (numerator << e, 1) : (numerator, BigInteger(1) << -e)
  }

  /// `self · 2^k` rounded once to the nearest `Double` (the top 64 bits with a
  /// sticky bit for the rest); ±infinity beyond the range of `Double`, and
  /// results in the subnormal range are rounded twice.
  public func nearestDouble(timesPowerOfTwo k: Int = 0) -> Double {
    if isZero { return 0 }
    let magnitude = self.magnitude
    let bits = magnitude.bitWidth
    var scale = k
    var word: UInt64
    if bits <= 64 {
      word = UInt64(magnitude.uintValue ?? 0)
    } else {
      let drop = bits - 64
      let top = magnitude >> drop
      word = UInt64(top.uintValue ?? 0)
      if (top << drop) != magnitude { word |= 1 }
      scale += drop
    }
    var result = Double(word)
    if scale > 4096 {
      result = .infinity
    } else if scale < -4096 {
      result = 0
    } else {
      // Two steps, so that neither overflows before the final result.
      let first = scale / 2
      result = Double(sign: .plus, exponent: first, significand: result)
      result = Double(sign: .plus, exponent: scale - first, significand: result)
    }
    return signum() < 0 ? -result : result
  }

  /// `self / divisor` as the nearest `Double` (within one rounding).
  /// - Throws: ``BigNumError/divisionByZero``.
  public func nearestDouble(dividedBy divisor: BigInteger) throws(BigNumError) -> Double {
    guard !divisor.isZero else { throw .divisionByZero }
    if isZero { return 0 }
    // Scale so that the quotient keeps at least 65 significant bits; a
    // non-zero remainder sets the lowest bit (sticky), so that a quotient
    // just above a tie is not taken for the tie. Then round once.
    let shift = max(0, 66 - (magnitude.bitWidth - divisor.bitWidth))
    let (quotient, remainder) = try (self << shift).quotientAndRemainder(dividingBy: divisor)
    // The quotient has at least 65 bits, so the sticky bit is below the rounding position.
    var sticky = quotient
    if !remainder.isZero && !quotient.magnitude.bit(0) { sticky += BigInteger(quotient.signum() < 0 ? -1 : 1) }
    return sticky.nearestDouble(timesPowerOfTwo: -shift)
  }

  /// ⌊√self⌋.
  /// - Throws: ``BigNumError/negativeValue`` for a negative value.
  /// - Complexity: GMP's `mpz_sqrt`, about one multiplication of the size of `self`.
  public func squareRootFloor() throws(BigNumError) -> BigInteger {
    guard signum() >= 0 else { throw .negativeValue }
    return BigInteger.unary(self) { __gmpz_sqrt($0, $1) }
  }
}
