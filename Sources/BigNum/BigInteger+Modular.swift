internal import CGMP

extension BigInteger {
  /// `self` to the power `exponent`, modulo `modulus`, in `0 ..< modulus`.
  ///
  /// A negative exponent raises the inverse of `self`.
  ///
  /// - Warning: Variable time (GMP's `mpz_powm`): its duration and memory
  ///   access depend on the exponent's and base's bits. Use it for public
  ///   values only; for a secret exponent or base use
  ///   ``constantTimePower(_:modulus:)``.
  /// - Throws: ``BigNumError/nonPositiveModulus``; ``BigNumError/notInvertible``
  ///   for a negative exponent when `self` has no inverse.
  public func power(_ exponent: BigInteger, modulus: BigInteger) throws(BigNumError) -> BigInteger {
    guard modulus.signum() > 0 else { throw .nonPositiveModulus }
    if exponent.signum() < 0 {
      guard let inverse = inverse(modulo: modulus) else { throw .notInvertible }
      return try inverse.power(-exponent, modulus: modulus)
    }
    return BigInteger.make(secret: isSecret || exponent.isSecret || modulus.isSecret) { r in
      withPointer { b in
        exponent.withPointer { e in modulus.withPointer { m in __gmpz_powm(r, b, e, m) } }
      }
    }
  }

  /// Replaces `self` with `self` to the power `exponent` modulo `modulus`,
  /// reusing this integer's memory: the in-place form of
  /// ``power(_:modulus:)`` for loops that must not allocate.
  ///
  /// - Warning: Variable time, as ``power(_:modulus:)``.
  /// - Throws: as ``power(_:modulus:)``; on error `self` is unchanged.
  public mutating func formPower(_ exponent: BigInteger, modulus: BigInteger) throws(BigNumError) {
    guard modulus.signum() > 0, exponent.signum() >= 0 else {
      self = try power(exponent, modulus: modulus)
      return
    }
    exponent.withPointer { e in
      modulus.withPointer { m in withMutablePointer { r in __gmpz_powm(r, r, e, m) } }
    }
    if exponent.isSecret || modulus.isSecret { storage.isSecret = true }
  }

  /// `self` to the power `exponent` modulo an odd `modulus`, in time and memory
  /// access independent of the exponent's and base's bits (GMP's
  /// `mpz_powm_sec`), for secret exponents or bases.
  ///
  /// The base is first reduced modulo `modulus` (in variable time when it is
  /// negative or not below the modulus). An exponent of zero returns 1 at once.
  ///
  /// - Throws: ``BigNumError/nonPositiveModulus``, ``BigNumError/evenModulus``,
  ///   ``BigNumError/negativeExponent``.
  public func constantTimePower(_ exponent: BigInteger, modulus: BigInteger) throws(BigNumError)
    -> BigInteger
  {
    guard modulus.signum() > 0 else { throw .nonPositiveModulus }
    guard modulus.isOdd else { throw .evenModulus }
    guard exponent.signum() >= 0 else { throw .negativeExponent }
    let secret = isSecret || exponent.isSecret || modulus.isSecret
    if modulus == 1 { return BigInteger.make(secret: secret) { _ in } }
    if exponent.isZero { return BigInteger.make(secret: secret) { __gmpz_set_ui($0, 1) } }
    let base = (signum() < 0 || self >= modulus) ? BigInteger.binary(self, modulus) { __gmpz_mod($0, $1, $2) } : self
    return BigInteger.make(secret: secret) { r in
      base.withPointer { b in
        exponent.withPointer { e in modulus.withPointer { m in __gmpz_powm_sec(r, b, e, m) } }
      }
    }
  }

  /// The inverse of `self` modulo `modulus`, in `0 ..< |modulus|`, or `nil`
  /// when none exists (they share a factor, or the modulus is zero).
  public func inverse(modulo modulus: BigInteger) -> BigInteger? {
    guard !modulus.isZero else { return nil }
    var found = false
    let result = BigInteger.binary(self, modulus) { r, a, m in found = __gmpz_invert(r, a, m) != 0 }
    return found ? result : nil
  }

  /// The greatest common divisor, non-negative (zero only for `gcd(0, 0)`).
  public func greatestCommonDivisor(with other: BigInteger) -> BigInteger {
    BigInteger.binary(self, other) { __gmpz_gcd($0, $1, $2) }
  }

  /// The least common multiple, non-negative (zero when either is zero).
  public func leastCommonMultiple(with other: BigInteger) -> BigInteger {
    BigInteger.binary(self, other) { __gmpz_lcm($0, $1, $2) }
  }
}
