import BFV
import BigNum
import DifferentialPrivacy
import Paillier
import Tabular

/// Secure aggregation of vectors from many parties under one public key (as
/// in federated learning: each party sends an encrypted model update, the
/// aggregator adds them, the key holder decrypts only the sum).
///
/// Each party encodes its vector in fixed point (``VectorEncoding``) and
/// encrypts it with the key holder's public key; the aggregator adds the
/// encrypted vectors coordinate by coordinate with public material only and,
/// if asked, adds differential-privacy noise under encryption (one party's
/// whole vector is the unit of privacy: its ℓ1 or ℓ2 sensitivity from the
/// encoding's bounds); the key holder decrypts the sum and divides by the
/// number of parties for the average.
///
/// Under Paillier one ciphertext per coordinate (``PaillierParty``,
/// ``PaillierAggregator``); under BFV the coordinates fill the slots, N per
/// ciphertext, modulo as many plaintext primes as the sum of
/// `maximumParties` vectors needs (``BFVContext``, ``BFVParty``,
/// ``BFVAggregator``; the key holder is the one ``BFVKeyHolder`` of both
/// analytics and secure aggregation).
///
/// - Warning: The number of parties is known to the aggregator and released
///   in the clear. The aggregator must not hand the key holder individual
///   updates (it could; encryption does not stop it), and the key holder
///   must not be able to pose as the aggregator.
public enum SecureAggregation {
  /// How a party's vector becomes integers: `X_i = round(x_i · 2^f)`, with
  /// every `|x_i| ≤ coordinateBound` and, optionally, `‖X‖₂ ≤ ⌊normBound·2^f⌋`
  /// (clip updates to that norm before encrypting, as DP federated
  /// learning does). The bounds give the differential-privacy sensitivities.
  public struct VectorEncoding: Sendable, Equatable {
    /// The number of coordinates.
    public let dimension: Int
    /// f: coordinates are encoded as `round(x · 2^f)`.
    public let fractionBits: Int
    /// The largest `|x_i|` accepted.
    public let coordinateBound: Double
    /// The largest ℓ2 norm accepted, if any.
    public let normBound: Double?
    /// round(coordinateBound · 2^f).
    let maximumMagnitude: BigInteger
    /// ⌊normBound · 2^f⌋², if any.
    let normBoundSquared: BigInteger?

    /// An encoding.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a dimension
    ///   below 1, f outside 0...52, or bounds that are not positive and finite or
    ///   leave the 62-bit integers at 2^f.
    public init(dimension: Int, fractionBits: Int = 16, coordinateBound: Double, normBound: Double? = nil) throws {
      func fail(_ reason: String) -> AnalyticsError { .invalidRequest(reason: reason) }
      guard dimension >= 1 else { throw fail("a vector needs at least one coordinate") }
      guard (0...52).contains(fractionBits) else { throw fail("fraction bits \(fractionBits) outside 0...52") }
      let scaled = Double(sign: .plus, exponent: fractionBits, significand: coordinateBound).rounded()
      guard coordinateBound > 0, coordinateBound.isFinite, scaled < 0x1p62 else {
        throw fail("the coordinate bound must be positive, finite and below 2^62 at 2^\(fractionBits)")
      }
      if let normBound {
        let norm = Double(sign: .plus, exponent: fractionBits, significand: normBound).rounded(.down)
        guard normBound > 0, normBound.isFinite, norm < 0x1p62, norm >= 1 else {
          throw fail("the norm bound must be positive, finite and below 2^62 at 2^\(fractionBits)")
        }
        normBoundSquared = BigInteger(Int64(norm)).squared()
      } else {
        normBoundSquared = nil
      }
      self.dimension = dimension
      self.fractionBits = fractionBits
      self.coordinateBound = coordinateBound
      self.normBound = normBound
      maximumMagnitude = BigInteger(Int64(scaled))
    }

    /// The vector in fixed point.
    /// - Throws: ``AnalyticsError/dimensionMismatch(expected:found:)``,
    ///   ``AnalyticsError/valueOutOfRange(feature:value:range:)`` for a
    ///   coordinate (named `x[i]`) that is not finite or beyond the bound,
    ///   ``AnalyticsError/invalidRequest(reason:)`` above the norm bound.
    public func quantize(_ vector: [Double]) throws -> [BigInteger] {
      guard vector.count == dimension else { throw AnalyticsError.dimensionMismatch(expected: dimension, found: vector.count) }
      let range = -coordinateBound...coordinateBound
      var norm = BigInteger(0)
      let fixed = try vector.enumerated().map { i, x in
        guard x.isFinite, range.contains(x) else {
          throw AnalyticsError.valueOutOfRange(feature: "x[\(i)]", value: x, range: range)
        }
        let value = BigInteger(Int64(Double(sign: .plus, exponent: fractionBits, significand: x).rounded()))
        norm += value.squared()
        return value
      }
      if let normBoundSquared, norm > normBoundSquared {
        throw AnalyticsError.invalidRequest(
          reason: "the vector's norm exceeds the bound \(normBound ?? 0): clip it before encrypting")
      }
      return fixed
    }

    /// One party's sensitivity: ℓ1 ≤ min(d·M, ⌈√d·C⌉), ℓ2² ≤ min(d·M², C²),
    /// M the largest |X_i| and C the norm bound in fixed point.
    var sensitivity: DifferentialPrivacy.Sensitivity {
      let d = BigInteger(dimension)
      var l1 = d * maximumMagnitude
      var l2 = d * maximumMagnitude.squared()
      if let c2 = normBoundSquared {
        let root = ((try? (d * c2).squareRootFloor()) ?? 0)
        l1 = min(l1, root.squared() == d * c2 ? root : root + 1)
        l2 = min(l2, c2)
      }
      return .init(l1: l1, l2Squared: l2)
    }
  }

  /// The key holder's view of an aggregate: the sum and the mean over parties.
  public struct Result: Sendable, Equatable {
    /// The number of parties summed.
    public let parties: Int
    /// Σ over parties, per coordinate.
    public let sum: [Double]
    /// The sum divided by the number of parties.
    public let mean: [Double]
    /// The bound on each sum coordinate's fixed-point error, before noise:
    /// `parties · 2^−(f+1)` (the mean's is that over `parties`).
    public let sumErrorBound: Double
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?

    init(parties: Int, totals: [BigInteger], fractionBits: Int, privacy: DifferentialPrivacy.Statement?) {
      self.parties = parties
      sum = totals.map { $0.nearestDouble(timesPowerOfTwo: -fractionBits) }
      mean = totals.map { Analytics.Result.fraction($0, exponent: -fractionBits, over: BigInteger(max(parties, 1))) }
      sumErrorBound = Double(parties) * Double(sign: .plus, exponent: -(fractionBits + 1), significand: 1)
      self.privacy = privacy
    }
  }

  /// Noise for a release of `dimension` coordinates, one share.
  static func noise(
    _ privacy: DifferentialPrivacy.Mechanism?, _ encoding: VectorEncoding
  ) throws -> (samples: [BigInteger]?, statement: DifferentialPrivacy.Statement?) {
    guard let privacy else { return (nil, nil) }
    var shares = Analytics.NoiseShares()
    shares.append("sum", encoding.sensitivity, -encoding.fractionBits)
    let (noise, statement) = try shares.calibrate(privacy)
    return ((0..<encoding.dimension).map { _ in noise[0].sample() }, statement)
  }

  // MARK: Paillier

  /// A party under Paillier: encrypts its vector, one ciphertext per
  /// coordinate (mantissa X_i at exponent −f/4).
  public struct PaillierParty: Sendable {
    /// The public encoding.
    public let encoding: VectorEncoding
    /// The key holder's public key.
    public let publicKey: Paillier.PublicKey

    /// A party.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` unless f is a multiple of 4.
    public init(encoding: VectorEncoding, publicKey: Paillier.PublicKey) throws {
      guard encoding.fractionBits % 4 == 0 else {
        throw AnalyticsError.invalidRequest(reason: "Paillier exponents are powers of 16: use fraction bits that are a multiple of 4")
      }
      self.encoding = encoding
      self.publicKey = publicKey
    }

    /// The encrypted vector.
    /// - Throws: as ``VectorEncoding/quantize(_:)``; `PaillierError`.
    public func encrypt(_ vector: [Double]) throws -> [Paillier.Ciphertext] {
      let fixed = try encoding.quantize(vector)
      let (key, exponent) = (publicKey, -encoding.fractionBits / 4)
      return try parallelMap(fixed.count) { i in
        try key.encrypt(Paillier.EncodedNumber(mantissa: fixed[i], exponent: exponent, publicKey: key))
      }
    }
  }

  /// The aggregator under Paillier: adds parties' encrypted vectors.
  public struct PaillierAggregator: Sendable {
    /// The public encoding.
    public let encoding: VectorEncoding
    private var sums: Analytics.PaillierColumnSums

    /// The number of parties added.
    public var parties: Int { sums.count }

    /// An empty aggregator.
    /// - Throws: as ``PaillierParty/init(encoding:publicKey:)``.
    public init(encoding: VectorEncoding, publicKey: Paillier.PublicKey) throws {
      _ = try PaillierParty(encoding: encoding, publicKey: publicKey)
      self.encoding = encoding
      sums = Analytics.PaillierColumnSums(publicKey: publicKey, width: encoding.dimension)
    }

    /// Adds one party's encrypted vector.
    /// - Throws: ``AnalyticsError/dimensionMismatch(expected:found:)``,
    ///   ``AnalyticsError/invalidRequest(reason:)`` for another exponent;
    ///   `PaillierError/keyMismatch`.
    public mutating func add(_ update: [Paillier.Ciphertext]) throws {
      guard update.count == encoding.dimension else {
        throw AnalyticsError.dimensionMismatch(expected: encoding.dimension, found: update.count)
      }
      guard update.allSatisfy({ $0.exponent == -encoding.fractionBits / 4 }) else {
        throw AnalyticsError.invalidRequest(reason: "an update not encoded at this encoding's scale")
      }
      try sums.add([update])
    }

    /// The encrypted sum, noised first if asked, re-randomised.
    /// - Throws: ``TabularError/emptyInput(what:)`` before any party;
    ///   ``DifferentialPrivacyError/invalidParameters(reason:)``; `PaillierError`.
    public func release(privacy: DifferentialPrivacy.Mechanism? = nil) throws -> PaillierAggregate {
      guard parties > 0 else { throw TabularError.emptyInput(what: "no party's vector to aggregate") }
      let (samples, statement) = try SecureAggregation.noise(privacy, encoding)
      let sums = sums
      let result = try parallelMap(encoding.dimension) { i -> Paillier.Ciphertext in
        guard var total = try sums.total(i) else { throw TabularError.emptyInput(what: "no party's vector") }
        if let samples {
          total = try total + Paillier.EncodedNumber(mantissa: samples[i], exponent: total.exponent, publicKey: total.publicKey)
        }
        return try total.rerandomized()
      }
      return PaillierAggregate(encoding: encoding, parties: parties, sum: result, privacy: statement)
    }
  }

  /// An encrypted sum of parties' vectors under Paillier.
  public struct PaillierAggregate: Sendable {
    /// The public encoding.
    public let encoding: VectorEncoding
    /// The number of parties summed (in the clear).
    public let parties: Int
    /// The encrypted sum, per coordinate.
    public let sum: [Paillier.Ciphertext]
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
  }
}

extension Paillier.PrivateKey {
  /// Decrypts an aggregate of parties' vectors.
  /// - Throws: `PaillierError/keyMismatch`, `PaillierError/decodingOverflow`.
  public func decrypt(_ aggregate: SecureAggregation.PaillierAggregate) throws -> SecureAggregation.Result {
    let sum = aggregate.sum
    let totals = try parallelMap(sum.count) { i -> BigInteger in
      let encoded = try self.decryptEncoded(sum[i])
      // Back to units of 2^−f: the aggregator keeps the parties' exponent −f/4.
      let shift = 4 * encoded.exponent + aggregate.encoding.fractionBits
      guard shift >= 0 else { throw AnalyticsError.invalidRequest(reason: "a sum below the encoding's scale") }
      return try encoded.mantissa() << shift
    }
    return SecureAggregation.Result(
      parties: aggregate.parties, totals: totals, fractionBits: aggregate.encoding.fractionBits, privacy: aggregate.privacy)
  }
}
