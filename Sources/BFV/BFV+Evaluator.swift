import PolyRing

// Additive and plaintext operations on ciphertexts. Products of ciphertexts,
// relinearisation and rotations are in BFV+Multiplication.swift and
// BFV+Rotation.swift.

extension BFV.Ciphertext {
  func check(_ other: BFV.Ciphertext) throws(BFVError) {
    try parameters.check(other.parameters)
    guard level == other.level else { throw .levelMismatch(level, other.level) }
  }

  func checkFullLevel() throws(BFVError) {
    guard level == parameters.maximumLevel else {
      throw .invalidCiphertext(
        "products and rotations need the full modulus (level \(parameters.maximumLevel)), this ciphertext is at level \(level): switch down after them")
    }
  }

  /// self += other (polynomial counts may differ: the shorter is padded).
  /// - Throws: ``BFVError/parameterMismatch``.
  public mutating func add(_ other: BFV.Ciphertext) throws(BFVError) {
    try check(other)
    seed = nil
    for (k, poly) in other.polys.enumerated() {
      if k < polys.count { try? polys[k].add(poly) } else { polys.append(poly) }
    }
  }

  /// self −= other.
  /// - Throws: ``BFVError/parameterMismatch``.
  public mutating func subtract(_ other: BFV.Ciphertext) throws(BFVError) {
    try check(other)
    seed = nil
    for (k, poly) in other.polys.enumerated() {
      if k < polys.count { try? polys[k].subtract(poly) } else { polys.append(-poly) }
    }
  }

  /// self = −self (decrypts to −m mod t).
  public mutating func negate() {
    seed = nil
    for k in polys.indices { polys[k].negate() }
  }

  /// self += plaintext (c0 += Δ·m).
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L NTTs (Δ·m into evaluation form).
  public mutating func add(_ plaintext: BFV.Plaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    seed = nil
    parameters.addScaled(plaintext.coefficients, to: &polys[0])
  }

  /// self −= plaintext.
  /// - Throws: ``BFVError/parameterMismatch``.
  public mutating func subtract(_ plaintext: BFV.Plaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    let t = parameters.plaintextModulus
    let negated = plaintext.coefficients.map { $0 == 0 ? 0 : t - $0 }
    seed = nil
    parameters.addScaled(negated, to: &polys[0])
  }

  /// self += plaintext, with the plaintext already in evaluation form: c0 +=
  /// Δ·m' pointwise, m' the plaintext's centered lift (no NTT, against L for
  /// ``add(_:)-(BFV.Plaintext)``). Δ·m' ≡ Δ·m + r·χ mod q with r = q mod t
  /// and χ the 0/1 indicator of the coefficients above t/2: the sum decrypts
  /// the same, with at most t − 1 more noise per coefficient.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L·N Shoup multiplications.
  public mutating func add(_ plaintext: BFV.PreparedPlaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    seed = nil
    addScaled(plaintext, negated: false)
  }

  /// self −= plaintext, with the plaintext in evaluation form (as
  /// ``add(_:)-(BFV.PreparedPlaintext)``).
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L·N Shoup multiplications.
  public mutating func subtract(_ plaintext: BFV.PreparedPlaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    seed = nil
    addScaled(plaintext, negated: true)
  }

  /// c0 ±= Δ_l·m' in evaluation form, at this ciphertext's level l.
  private mutating func addScaled(_ plaintext: BFV.PreparedPlaintext, negated: Bool) {
    let ring = polys[0].context
    let n = parameters.degree
    let deltas = parameters.level(ring.basis.count).delta
    plaintext.poly.withWords { m in
      polys[0].withUnsafeMutableWords { c in
        for (i, modulus) in ring.moduli.enumerated() {
          let delta = deltas[i]
          let base = i &* n
          for j in base..<(base &+ n) {
            let scaled = modulus.multiply(m[j], by: delta)
            c[j] = negated ? modulus.subtract(c[j], scaled) : modulus.add(c[j], scaled)
          }
        }
      }
    }
  }

  /// self ·= plaintext, with the plaintext already in evaluation form (keep
  /// the ``BFV/PreparedPlaintext`` to multiply many ciphertexts by it).
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: one pointwise product per polynomial (no NTT).
  public mutating func multiply(by plaintext: BFV.PreparedPlaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    seed = nil
    let levelRing = polys[0].context
    let limbs = 0..<levelRing.basis.count
    plaintext.poly.withWords { factor in
      for k in polys.indices {
        // The factor's first limbs are its residues at a lower level.
        polys[k].withUnsafeMutableWords { words in
          levelRing.multiplyPointwise(words.baseAddress.unsafelyUnwrapped, by: factor, limbs: limbs)
        }
      }
    }
  }

  /// self ·= plaintext.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L NTTs (the plaintext into evaluation form) and the
  ///   pointwise products.
  public mutating func multiply(by plaintext: BFV.Plaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    try multiply(by: plaintext.preparedForMultiplication())
  }

  /// self ·= scalar (every slot times the same integer, mod t).
  public mutating func multiply(by scalar: UInt64) {
    seed = nil
    let reduced = parameters.plainModulus.reduce(scalar)
    let t = parameters.plaintextModulus
    // The centered representative keeps the noise growth at |scalar| ≤ t/2.
    for k in polys.indices {
      if reduced > t / 2 {
        polys[k].multiply(by: t - reduced)
        polys[k].negate()
      } else {
        polys[k].multiply(by: reduced)
      }
    }
  }

  /// lhs + rhs.
  public static func + (lhs: BFV.Ciphertext, rhs: BFV.Ciphertext) throws(BFVError) -> BFV.Ciphertext {
    var result = lhs
    try result.add(rhs)
    return result
  }

  /// lhs − rhs.
  public static func - (lhs: BFV.Ciphertext, rhs: BFV.Ciphertext) throws(BFVError) -> BFV.Ciphertext {
    var result = lhs
    try result.subtract(rhs)
    return result
  }

  /// −operand.
  public static prefix func - (operand: BFV.Ciphertext) -> BFV.Ciphertext {
    var result = operand
    result.negate()
    return result
  }

  /// ciphertext + plaintext.
  public static func + (lhs: BFV.Ciphertext, rhs: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    var result = lhs
    try result.add(rhs)
    return result
  }

  /// ciphertext − plaintext.
  public static func - (lhs: BFV.Ciphertext, rhs: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    var result = lhs
    try result.subtract(rhs)
    return result
  }

  /// ciphertext + prepared plaintext.
  public static func + (lhs: BFV.Ciphertext, rhs: BFV.PreparedPlaintext) throws(BFVError)
    -> BFV.Ciphertext
  {
    var result = lhs
    try result.add(rhs)
    return result
  }

  /// ciphertext − prepared plaintext.
  public static func - (lhs: BFV.Ciphertext, rhs: BFV.PreparedPlaintext) throws(BFVError)
    -> BFV.Ciphertext
  {
    var result = lhs
    try result.subtract(rhs)
    return result
  }

  /// ciphertext · plaintext.
  public static func * (lhs: BFV.Ciphertext, rhs: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    var result = lhs
    try result.multiply(by: rhs)
    return result
  }

  /// ciphertext · prepared plaintext.
  public static func * (lhs: BFV.Ciphertext, rhs: BFV.PreparedPlaintext) throws(BFVError)
    -> BFV.Ciphertext
  {
    var result = lhs
    try result.multiply(by: rhs)
    return result
  }

  /// ciphertext · scalar.
  public static func * (lhs: BFV.Ciphertext, rhs: UInt64) -> BFV.Ciphertext {
    var result = lhs
    result.multiply(by: rhs)
    return result
  }
}
