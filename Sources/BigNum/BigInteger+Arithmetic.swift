internal import CGMP

// Addition, subtraction, multiplication, division, shifts and bits.
//
// Division comes in two roundings, as in Swift's integers plus a floor form:
// - `/` and `%` truncate towards zero, like `Int`: the remainder has the sign
//   of the dividend (`-7 / 2 == -3`, `-7 % 2 == -1`);
// - `flooredQuotientAndRemainder(dividingBy:)` rounds towards −∞: the
//   remainder has the sign of the divisor (`-7, 2 -> (-4, 1)`);
// - `modulo(_:)` is always in `0 ..< |m|`.
// Each throws `BigNumError.divisionByZero` for a zero divisor.

extension BigInteger {
  public static func + (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    binary(lhs, rhs) { __gmpz_add($0, $1, $2) }
  }

  public static func - (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    binary(lhs, rhs) { __gmpz_sub($0, $1, $2) }
  }

  public static func * (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
    binary(lhs, rhs) { __gmpz_mul($0, $1, $2) }
  }

  public static prefix func - (operand: BigInteger) -> BigInteger {
    unary(operand) { __gmpz_neg($0, $1) }
  }

  public static func += (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withPointer { r in lhs.withMutablePointer { l in __gmpz_add(l, l, r) } }
    if rhs.isSecret { lhs.storage.isSecret = true }
  }

  public static func -= (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withPointer { r in lhs.withMutablePointer { l in __gmpz_sub(l, l, r) } }
    if rhs.isSecret { lhs.storage.isSecret = true }
  }

  public static func *= (lhs: inout BigInteger, rhs: BigInteger) {
    rhs.withPointer { r in lhs.withMutablePointer { l in __gmpz_mul(l, l, r) } }
    if rhs.isSecret { lhs.storage.isSecret = true }
  }

  /// The absolute value.
  public var magnitude: BigInteger { BigInteger.unary(self) { __gmpz_abs($0, $1) } }

  /// `self` squared.
  public func squared() -> BigInteger { BigInteger.binary(self, self) { __gmpz_mul($0, $1, $2) } }

  /// `self` to a non-negative integer power (not modular).
  /// - Throws: ``BigNumError/negativeExponent``; ``BigNumError/invalidBitWidth(_:)``
  ///   when the result would exceed ``maximumBitWidth``.
  public func power(_ exponent: Int) throws(BigNumError) -> BigInteger {
    guard exponent >= 0 else { throw .negativeExponent }
    let estimate = bitWidth.multipliedReportingOverflow(by: exponent)
    guard estimate.overflow == false, estimate.partialValue <= BigInteger.maximumBitWidth else {
      throw .invalidBitWidth(estimate.overflow ? Int.max : estimate.partialValue)
    }
    return BigInteger.unary(self) { __gmpz_pow_ui($0, $1, UInt(exponent)) }
  }

  // MARK: Division

  /// The quotient rounded towards zero, like `Int`'s `/`.
  /// - Throws: ``BigNumError/divisionByZero``.
  public static func / (lhs: BigInteger, rhs: BigInteger) throws(BigNumError) -> BigInteger {
    guard !rhs.isZero else { throw .divisionByZero }
    return binary(lhs, rhs) { __gmpz_tdiv_q($0, $1, $2) }
  }

  /// The remainder of truncating division, with the sign of `lhs`, like `Int`'s `%`.
  /// - Throws: ``BigNumError/divisionByZero``.
  public static func % (lhs: BigInteger, rhs: BigInteger) throws(BigNumError) -> BigInteger {
    guard !rhs.isZero else { throw .divisionByZero }
    return binary(lhs, rhs) { __gmpz_tdiv_r($0, $1, $2) }
  }

  public static func /= (lhs: inout BigInteger, rhs: BigInteger) throws(BigNumError) {
    lhs = try lhs / rhs
  }

  public static func %= (lhs: inout BigInteger, rhs: BigInteger) throws(BigNumError) {
    lhs = try lhs % rhs
  }

  /// Truncating division: `quotient` rounded towards zero, `remainder` with the
  /// sign of `self`, and `self == quotient * divisor + remainder`.
  /// - Throws: ``BigNumError/divisionByZero``.
  public func quotientAndRemainder(dividingBy divisor: BigInteger) throws(BigNumError)
    -> (quotient: BigInteger, remainder: BigInteger)
  {
    try divide(by: divisor) { __gmpz_tdiv_qr($0, $1, $2, $3) }
  }

  /// Floor division: `quotient` rounded towards −∞, `remainder` with the sign of
  /// `divisor`, and `self == quotient * divisor + remainder`.
  /// - Throws: ``BigNumError/divisionByZero``.
  public func flooredQuotientAndRemainder(dividingBy divisor: BigInteger) throws(BigNumError)
    -> (quotient: BigInteger, remainder: BigInteger)
  {
    try divide(by: divisor) { __gmpz_fdiv_qr($0, $1, $2, $3) }
  }

  /// The residue of `self` modulo `modulus`, always in `0 ..< |modulus|`.
  /// - Throws: ``BigNumError/divisionByZero``.
  public func modulo(_ modulus: BigInteger) throws(BigNumError) -> BigInteger {
    guard !modulus.isZero else { throw .divisionByZero }
    return BigInteger.binary(self, modulus) { __gmpz_mod($0, $1, $2) }
  }

  /// Whether `divisor` divides `self` exactly (zero divides only zero).
  public func isMultiple(of divisor: BigInteger) -> Bool {
    withPointer { a in divisor.withPointer { d in __gmpz_divisible_p(a, d) != 0 } }
  }

  private func divide(
    by divisor: BigInteger,
    _ body: (
      UnsafeMutablePointer<__mpz_struct>, UnsafeMutablePointer<__mpz_struct>,
      UnsafeMutablePointer<__mpz_struct>, UnsafeMutablePointer<__mpz_struct>
    ) -> Void
  ) throws(BigNumError) -> (quotient: BigInteger, remainder: BigInteger) {
    guard !divisor.isZero else { throw .divisionByZero }
    let secret = isSecret || divisor.isSecret
    let quotient = MPZStorage.make(secret: secret)
    let remainder = MPZStorage.make(secret: secret)
    quotient.withPointer { q in
      remainder.withPointer { r in
        withPointer { n in divisor.withPointer { d in body(q, r, n, d) } }
      }
    }
    return (BigInteger(storage: quotient), BigInteger(storage: remainder))
  }

  // MARK: Shifts and bits

  /// `lhs` times 2^`rhs`; a negative `rhs` shifts right.
  /// - Precondition: the result has at most ``maximumBitWidth`` bits more than `lhs`.
  public static func << (lhs: BigInteger, rhs: Int) -> BigInteger {
    if rhs < 0 { return lhs >> -rhs }
    precondition(rhs <= maximumBitWidth, "shift by \(rhs) bits exceeds BigInteger.maximumBitWidth")
    return unary(lhs) { __gmpz_mul_2exp($0, $1, UInt(rhs)) }
  }

  /// `lhs` divided by 2^`rhs`, rounded towards −∞ (an arithmetic shift, as for
  /// `Int`); a negative `rhs` shifts left.
  public static func >> (lhs: BigInteger, rhs: Int) -> BigInteger {
    if rhs < 0 { return lhs << -rhs }
    return unary(lhs) { __gmpz_fdiv_q_2exp($0, $1, UInt(rhs)) }
  }

  public static func <<= (lhs: inout BigInteger, rhs: Int) { lhs = lhs << rhs }
  public static func >>= (lhs: inout BigInteger, rhs: Int) { lhs = lhs >> rhs }

  /// The number of bits of the magnitude: 0 for zero, 1 for ±1, 8 for 255.
  public var bitWidth: Int {
    withPointer { cgmp_sign($0) == 0 ? 0 : Int(__gmpz_sizeinbase($0, 2)) }
  }

  /// Bit `index` of the two's-complement form (so negative numbers have
  /// infinitely many leading ones), as `Int`'s bit operations see it.
  public func bit(_ index: Int) -> Bool {
    precondition(index >= 0, "bit index must not be negative")
    return withPointer { __gmpz_tstbit($0, UInt(index)) != 0 }
  }

  /// The number of trailing zero bits (0 for zero).
  public var trailingZeroBitCount: Int {
    isZero ? 0 : withPointer { Int(__gmpz_scan1($0, 0)) }
  }
}
