import PolyRing

extension BFV {
  /// A plaintext: a polynomial of R_t, N coefficients in [0, t).
  ///
  /// Build it with an ``Encoder``; it carries the parameter identity.
  public struct Plaintext: Sendable, Equatable {
    /// The parameters the plaintext belongs to.
    public let parameters: Parameters
    /// The coefficients, each in [0, t).
    public let coefficients: [UInt64]

    init(parameters: Parameters, coefficients: [UInt64]) {
      self.parameters = parameters
      self.coefficients = coefficients
    }

    /// Equal when the parameters and coefficients are.
    public static func == (lhs: Plaintext, rhs: Plaintext) -> Bool {
      lhs.parameters.isSame(as: rhs.parameters) && lhs.coefficients == rhs.coefficients
    }

    /// The plaintext lifted to R_q in evaluation form (coefficients centered
    /// in (−t/2, t/2]), for repeated ``Ciphertext/multiply(by:)-swift.method``
    /// and additions: keep it to skip L NTTs per product or sum.
    /// - Complexity: L NTTs.
    public func preparedForMultiplication() -> PreparedPlaintext {
      let ring = parameters.ring
      let n = parameters.degree
      let t = parameters.plaintextModulus
      let half = t / 2
      var words = [UInt64](repeating: 0, count: ring.wordCount)
      for (i, modulus) in ring.moduli.enumerated() {
        for j in 0..<n {
          let m = coefficients[j]
          words[i * n + j] =
            m > half ? modulus.negate(modulus.reduce(t - m)) : modulus.reduce(m)
        }
      }
      // The words are reduced by construction: the checks cannot fail.
      let poly = (try? Poly<Coeff>(context: ring, words: words)) ?? .zero(in: ring)
      return PreparedPlaintext(parameters: parameters, poly: poly.forwardNTT())
    }
  }

  /// A plaintext in evaluation form over q, ready to multiply ciphertexts by.
  public struct PreparedPlaintext: Sendable {
    /// The parameters the plaintext belongs to.
    public let parameters: Parameters
    let poly: Poly<Eval>
  }

  /// Encodes integer vectors into plaintexts and back.
  ///
  /// Batching (t a prime ≡ 1 mod 2N): N slots as two rows of N/2 columns;
  /// slot s is row s / (N/2), column s mod (N/2). Slot-wise sums and products
  /// of ciphertexts act on the slots mod t; row rotations turn each row
  /// left; the column swap exchanges the rows.
  /// Coefficient encoding (any t): the values are the polynomial's coefficients.
  public struct Encoder: Sendable {
    /// The parameters encoded for.
    public let parameters: Parameters

    /// An encoder for a parameter set (batching or not).
    public init(parameters: Parameters) {
      self.parameters = parameters
    }

    /// The number of slots: N.
    public var slotCount: Int { parameters.degree }

    /// Encodes up to N values in [0, t) into the slots (the rest are zero).
    /// - Throws: ``BFVError/batchingUnavailable(plaintextModulus:degree:)``,
    ///   ``BFVError/tooManyValues(count:capacity:)``,
    ///   ``BFVError/plaintextOutOfRange(limit:)``.
    /// - Complexity: one NTT over t.
    public func encode(_ values: [UInt64]) throws(BFVError) -> Plaintext {
      let t = parameters.plaintextModulus
      for value in values where value >= t { throw .plaintextOutOfRange(limit: t) }
      return try encodeReduced(values)
    }

    /// Encodes up to N signed values, |v| ≤ (t − 1)/2, into the slots.
    /// - Throws: as ``encode(_:)-([UInt64])``.
    public func encode(_ values: [Int64]) throws(BFVError) -> Plaintext {
      try encodeReduced(try reduceSigned(values))
    }

    /// Every slot set to one value in [0, t).
    /// - Throws: as ``encode(_:)-([UInt64])``.
    public func encode(broadcasting value: UInt64) throws(BFVError) -> Plaintext {
      try encode([UInt64](repeating: value, count: parameters.degree))
    }

    /// The slots, each in [0, t).
    /// - Throws: ``BFVError/batchingUnavailable(plaintextModulus:degree:)`` or
    ///   ``BFVError/parameterMismatch``.
    public func decode(_ plaintext: Plaintext) throws(BFVError) -> [UInt64] {
      try parameters.check(plaintext.parameters)
      guard let plainRing = parameters.plainRing else {
        throw .batchingUnavailable(plaintextModulus: parameters.plaintextModulus, degree: parameters.degree)
      }
      let coefficients = try wrapping { () throws(PolyRingError) in
        try Poly<Coeff>(context: plainRing, words: plaintext.coefficients)
      }
      let evaluations = coefficients.forwardNTT().data
      return parameters.slotIndex.map { evaluations[$0] }
    }

    /// The slots as signed values in (−t/2, t/2].
    /// - Throws: as ``decode(_:)``.
    public func decodeSigned(_ plaintext: Plaintext) throws(BFVError) -> [Int64] {
      signed(try decode(plaintext))
    }

    /// Coefficient encoding: up to N values in [0, t) as the coefficients.
    /// - Throws: ``BFVError/tooManyValues(count:capacity:)`` or
    ///   ``BFVError/plaintextOutOfRange(limit:)``.
    public func encodeCoefficients(_ values: [UInt64]) throws(BFVError) -> Plaintext {
      let t = parameters.plaintextModulus
      guard values.count <= parameters.degree else {
        throw .tooManyValues(count: values.count, capacity: parameters.degree)
      }
      for value in values where value >= t { throw .plaintextOutOfRange(limit: t) }
      let padded = values + [UInt64](repeating: 0, count: parameters.degree - values.count)
      return Plaintext(parameters: parameters, coefficients: padded)
    }

    /// Coefficient encoding of signed values, |v| ≤ (t − 1)/2.
    /// - Throws: as ``encodeCoefficients(_:)-([UInt64])``.
    public func encodeCoefficients(_ values: [Int64]) throws(BFVError) -> Plaintext {
      try encodeCoefficients(try reduceSigned(values))
    }

    /// The coefficients, each in [0, t).
    /// - Throws: ``BFVError/parameterMismatch``.
    public func decodeCoefficients(_ plaintext: Plaintext) throws(BFVError) -> [UInt64] {
      try parameters.check(plaintext.parameters)
      return plaintext.coefficients
    }

    /// The coefficients as signed values in (−t/2, t/2].
    public func decodeCoefficientsSigned(_ plaintext: Plaintext) throws(BFVError) -> [Int64] {
      signed(try decodeCoefficients(plaintext))
    }

    private func encodeReduced(_ values: [UInt64]) throws(BFVError) -> Plaintext {
      guard let plainRing = parameters.plainRing else {
        throw .batchingUnavailable(plaintextModulus: parameters.plaintextModulus, degree: parameters.degree)
      }
      guard values.count <= parameters.degree else {
        throw .tooManyValues(count: values.count, capacity: parameters.degree)
      }
      var evaluations = [UInt64](repeating: 0, count: parameters.degree)
      for (slot, value) in values.enumerated() { evaluations[parameters.slotIndex[slot]] = value }
      let poly = try wrapping { () throws(PolyRingError) in
        try Poly<Eval>(context: plainRing, words: evaluations)
      }
      return Plaintext(parameters: parameters, coefficients: poly.inverseNTT().data)
    }

    private func reduceSigned(_ values: [Int64]) throws(BFVError) -> [UInt64] {
      let t = parameters.plaintextModulus
      let limit = (t - 1) / 2
      var result: [UInt64] = []
      result.reserveCapacity(values.count)
      for v in values {
        guard v.magnitude <= limit else { throw .plaintextOutOfRange(limit: limit + 1) }
        result.append(v < 0 ? t - v.magnitude : UInt64(v))
      }
      return result
    }

    private func signed(_ values: [UInt64]) -> [Int64] {
      let t = parameters.plaintextModulus
      return values.map { $0 > t / 2 ? -Int64(t - $0) : Int64($0) }
    }
  }
}
