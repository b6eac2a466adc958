import BigNum

// The homomorphic operations. Each checks the keys, aligns fixed-point
// exponents (python-paillier's rule: the larger exponent is lowered), checks
// the propagated magnitude bound, and only then computes.

extension Paillier.Ciphertext {
  /// The same plaintext at a lower exponent: `c^(16^(exponent − newExponent))`.
  /// - Throws: ``PaillierError/cannotIncreaseExponent(from:to:)``,
  ///   ``PaillierError/plaintextOutOfRange(limit:)``.
  public func decreasingExponent(to newExponent: Int) throws(PaillierError) -> Paillier.Ciphertext {
    guard newExponent <= exponent else { throw .cannotIncreaseExponent(from: exponent, to: newExponent) }
    if newExponent == exponent { return self }
    let shift = (exponent - newExponent) * Paillier.EncodedNumber.bitsPerDigit
    guard shift <= publicKey.n.bitWidth else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
    let bound = try Paillier.Ciphertext.checked(magnitudeBound.map { $0 << shift }, publicKey)
    return Paillier.Ciphertext(
      unchecked: try raised(to: BigInteger(1) << shift), exponent: newExponent, publicKey: publicKey,
      magnitudeBound: bound)
  }

  /// `E(a) + E(b)`: the product of the ciphertexts modulo `n²`.
  /// - Throws: ``PaillierError/keyMismatch``, ``PaillierError/plaintextOutOfRange(limit:)``.
  public static func + (lhs: Paillier.Ciphertext, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext {
    guard lhs.publicKey == rhs.publicKey else { throw .keyMismatch }
    let target = min(lhs.exponent, rhs.exponent)
    try checkSum(lhs, rhs.magnitudeBound, rhs.exponent, target)
    let a = try lhs.decreasingExponent(to: target)
    let b = try rhs.decreasingExponent(to: target)
    let bound = try checked(sumBound(a.magnitudeBound, b.magnitudeBound), a.publicKey)
    return Paillier.Ciphertext(
      unchecked: product(a.value, b.value, a.publicKey), exponent: target, publicKey: a.publicKey,
      magnitudeBound: bound)
  }

  /// `E(a) + b` for an encoded plaintext: multiplies by `1 + b·n` (no new randomness).
  /// - Throws: ``PaillierError/keyMismatch``, ``PaillierError/plaintextOutOfRange(limit:)``.
  public static func + (lhs: Paillier.Ciphertext, rhs: Paillier.EncodedNumber) throws(PaillierError) -> Paillier.Ciphertext {
    guard lhs.publicKey == rhs.publicKey else { throw .keyMismatch }
    let target = min(lhs.exponent, rhs.exponent)
    try checkSum(lhs, rhs.magnitude, rhs.exponent, target)
    let a = try lhs.decreasingExponent(to: target)
    let b = try rhs.decreasingExponent(to: target)
    let bound = try checked(sumBound(a.magnitudeBound, b.magnitude), a.publicKey)
    let key = a.publicKey
    let plain = b.encoding * key.n + 1
    return Paillier.Ciphertext(
      unchecked: product(a.value, plain, key), exponent: target, publicKey: key, magnitudeBound: bound)
  }

  /// `E(a) + b` for an integer `b` (encoded at exponent ≤ the ciphertext's).
  public static func + (lhs: Paillier.Ciphertext, rhs: BigInteger) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs + Paillier.EncodedNumber(rhs, publicKey: lhs.publicKey, maxExponent: lhs.exponent)
  }

  public static func + (lhs: Paillier.Ciphertext, rhs: Int) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs + BigInteger(rhs)
  }

  /// `E(a) + b` for a real `b`, encoded as python-paillier does with `max_exponent` the ciphertext's.
  public static func + (lhs: Paillier.Ciphertext, rhs: Double) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs + Paillier.EncodedNumber(rhs, publicKey: lhs.publicKey, maxExponent: lhs.exponent)
  }

  public static func + (lhs: BigInteger, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs + lhs }
  public static func + (lhs: Int, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs + lhs }
  public static func + (lhs: Double, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs + lhs }

  /// `−E(a)`: the inverse of the ciphertext modulo `n²`.
  public static prefix func - (operand: Paillier.Ciphertext) -> Paillier.Ciphertext {
    let inverse = operand.value.inverse(modulo: operand.publicKey.nSquared) ?? operand.value  // a unit always inverts
    return Paillier.Ciphertext(
      unchecked: inverse, exponent: operand.exponent, publicKey: operand.publicKey,
      magnitudeBound: operand.magnitudeBound)
  }

  public static func - (lhs: Paillier.Ciphertext, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try lhs + (-rhs) }
  public static func - (lhs: Paillier.Ciphertext, rhs: BigInteger) throws(PaillierError) -> Paillier.Ciphertext { try lhs + (-rhs) }
  public static func - (lhs: Paillier.Ciphertext, rhs: Int) throws(PaillierError) -> Paillier.Ciphertext { try lhs + -BigInteger(rhs) }
  public static func - (lhs: Paillier.Ciphertext, rhs: Double) throws(PaillierError) -> Paillier.Ciphertext { try lhs + (-rhs) }
  public static func - (lhs: BigInteger, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try (-rhs) + lhs }
  public static func - (lhs: Int, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try (-rhs) + lhs }

  /// `k · E(a)`: the ciphertext to the power `k` (its inverse to `|k|` for negative `k`).
  /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)`` when `|k| > maxInt` or
  ///   `|k| · bound` could leave the window.
  /// - Complexity: one power modulo `n²` with a `|k|`-bit exponent.
  public static func * (lhs: Paillier.Ciphertext, rhs: Paillier.EncodedNumber) throws(PaillierError) -> Paillier.Ciphertext {
    guard lhs.publicKey == rhs.publicKey else { throw .keyMismatch }
    let k = try rhs.mantissa()
    let bound = try checked(lhs.magnitudeBound.map { $0 * k.magnitude }, lhs.publicKey)
    return Paillier.Ciphertext(
      unchecked: try lhs.raised(to: k), exponent: lhs.exponent + rhs.exponent, publicKey: lhs.publicKey,
      magnitudeBound: bound)
  }

  public static func * (lhs: Paillier.Ciphertext, rhs: BigInteger) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs * Paillier.EncodedNumber(rhs, publicKey: lhs.publicKey)
  }

  public static func * (lhs: Paillier.Ciphertext, rhs: Int) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs * BigInteger(rhs)
  }

  /// `x · E(a)` for a real `x`, encoded as python-paillier does (the exponents add).
  public static func * (lhs: Paillier.Ciphertext, rhs: Double) throws(PaillierError) -> Paillier.Ciphertext {
    try lhs * Paillier.EncodedNumber(rhs, publicKey: lhs.publicKey)
  }

  public static func * (lhs: BigInteger, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs * lhs }
  public static func * (lhs: Int, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs * lhs }
  public static func * (lhs: Double, rhs: Paillier.Ciphertext) throws(PaillierError) -> Paillier.Ciphertext { try rhs * lhs }

  /// The same plaintext under fresh randomness: `c · ρ mod n²`. Do this before
  /// sending a computed ciphertext to a party who saw its inputs.
  public func rerandomized(mode: Paillier.EncryptionMode = .djn) throws(PaillierError) -> Paillier.Ciphertext {
    let rho = try publicKey.obfuscator(mode: mode)
    return Paillier.Ciphertext(
      unchecked: Paillier.Ciphertext.product(value, rho, publicKey), exponent: exponent, publicKey: publicKey,
      magnitudeBound: magnitudeBound)
  }

  // MARK: Bounds

  /// Throws when lowering `lhs`'s and the other operand's exponent to `target`
  /// and adding could leave the window.
  private static func checkSum(
    _ lhs: Paillier.Ciphertext, _ otherBound: BigInteger?, _ otherExponent: Int, _ target: Int
  ) throws(PaillierError) {
    let key = lhs.publicKey
    let shifts = [(lhs.exponent - target), (otherExponent - target)].map { $0 * Paillier.EncodedNumber.bitsPerDigit }
    guard shifts.allSatisfy({ $0 <= key.n.bitWidth }) else { throw .plaintextOutOfRange(limit: key.maxInt) }
    _ = try checked(
      sumBound(lhs.magnitudeBound.map { $0 << shifts[0] }, otherBound.map { $0 << shifts[1] }), key)
  }

  static func sumBound(_ a: BigInteger?, _ b: BigInteger?) -> BigInteger? {
    guard let a, let b else { return nil }
    return a + b
  }
}
