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

  /// self ·= plaintext, with the plaintext already in evaluation form (keep
  /// the ``BFV/PreparedPlaintext`` to multiply many ciphertexts by it).
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: 2L NTTs per polynomial.
  public mutating func multiply(by plaintext: BFV.PreparedPlaintext) throws(BFVError) {
    try parameters.check(plaintext.parameters)
    seed = nil
    var factor = plaintext.poly
    let levelRing = polys[0].context
    if level < parameters.maximumLevel {
      let words = Array(factor.data.prefix(levelRing.wordCount))
      factor = try wrapping { () throws(PolyRingError) in try Poly<Eval>(context: levelRing, words: words) }
    }
    for k in polys.indices {
      var x = polys[k].forwardNTT()
      try? x.multiply(factor)
      polys[k] = x.inverseNTT()
    }
  }

  /// self ·= plaintext.
  /// - Throws: ``BFVError/parameterMismatch``.
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
