import BFV
import BigNum
import PolyRing
import Tabular

/// Encrypted probabilities of a batch or of packed records: one ciphertext per
/// plaintext modulus, record r's fixed-point value P in slot `r·slotStride`,
/// decoding to P / 2^(G + 3F).
public struct BFVEncryptedProbabilities: Sendable {
  /// The number of records.
  public let count: Int
  /// The distance between two records' slots.
  public let slotStride: Int
  /// G: the polynomial's coefficients were taken as integers at the scale 2^G.
  public let coefficientBits: Int
  /// round(a_k·2^G), k = 0…3: the coefficients the server used.
  public let integerCoefficients: [Int64]
  /// `ciphertexts[i]`: the values mod t_i.
  public let ciphertexts: [BFV.Ciphertext]

  /// Probabilities from their parts (for formats and transport).
  public init(
    count: Int, slotStride: Int, coefficientBits: Int, integerCoefficients: [Int64], ciphertexts: [BFV.Ciphertext]
  ) {
    self.count = count
    self.slotStride = slotStride
    self.coefficientBits = coefficientBits
    self.integerCoefficients = integerCoefficients
    self.ciphertexts = ciphertexts
  }
}

/// An encrypted probability under BFV: a cubic stand-in for the sigmoid
/// (``SigmoidPolynomial``) evaluated on the encrypted fixed-point logit, so the
/// key holder decrypts p(logit) instead of the logit.
///
/// The server evaluates the polynomial by Horner (depth 2) under every
/// plaintext modulus; ``requiredBits`` must fit the plaintext space, checked at
/// construction. For exact logits in ``validLogits`` the decrypted value is
/// within ``errorBound`` of σ(logit); outside that range it is not a
/// probability. The arithmetic and the bound are derived in
/// <doc:SigmoidScoring>.
///
/// ```swift
/// let sigmoid = try BFVSigmoidScorer(model, featureRanges: ranges, polynomial: .cubic(range: 8))
/// let client = BFVBatchClient(for: sigmoid.scorer)
/// let keys = client.evaluationKeys(relinearization: true)
/// let encrypted = try sigmoid.probabilities(client.encrypt(rows), using: keys)   // server
/// let probabilities = try client.decryptProbabilities(encrypted)
/// ```
///
/// - Warning: BFV is IND-CPA only. Parameters with log2 q below
///   ``minimumLogQ`` are refused (two ciphertext products need the noise
///   budget). The polynomial, its range and G are public.
public struct BFVSigmoidScorer: Sendable {
  /// The logit scorer underneath: its parameters hold P.
  public let scorer: BFVBatchScorer
  /// The polynomial evaluated.
  public let polynomial: SigmoidPolynomial
  /// G: coefficients are taken as integers round(a_k·2^G).
  public let coefficientBits: Int
  /// round(a_k·2^G), k = 0…3.
  public let integerCoefficients: [Int64]
  /// The bit width of 2·max|P| + 1 over the declared feature ranges.
  public let requiredBits: Int
  /// The bound on |decrypted value − σ(exact logit)| for logits in ``validLogits``.
  public let errorBound: Double
  /// Per modulus: the plaintexts Â2·2^F, Â1·2^(2F), Â0·2^(3F) (mod t_i) in every slot.
  let constants: [[BFV.Plaintext]]

  /// The accepted G.
  public static let coefficientBitsRange = 1...40

  /// The smallest log2 q accepted: below it, the noise budget left after
  /// scoring does not cover the polynomial's two products (the N = 4096
  /// preset is refused, N = 8192 accepted; see <doc:SigmoidScoring>).
  public static let minimumLogQ = 150

  /// The value P decodes to P / 2^outputFractionBits, G + 3F.
  public var outputFractionBits: Int { coefficientBits + 3 * scorer.encoding.fractionBits }

  /// The exact logits for which ``errorBound`` holds: |ℓ| ≤ R − δ.
  public var validLogits: ClosedRange<Double> {
    let limit = max(0, polynomial.range - scorer.encoding.errorBound)
    return -limit...limit
  }

  /// A sigmoid scorer over a given logit scorer.
  /// - Parameters:
  ///   - scorer: the logit scorer (batch layout; wrap it in a
  ///     ``BFVRecordScorer`` for the single-record layout).
  ///   - polynomial: the stand-in for σ.
  ///   - coefficientBits: G in ``coefficientBitsRange``.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for parameters
  ///   with log2 q below ``minimumLogQ``, G outside its range or coefficients
  ///   too large for it; ``ScoringError/doesNotFitPlaintext(needBits:haveBits:)``
  ///   when ∏ t_i cannot hold P; `BFVError` from encoding.
  public init(_ scorer: BFVBatchScorer, polynomial: SigmoidPolynomial, coefficientBits: Int = 20) throws {
    guard scorer.parameters[0].logQ >= Self.minimumLogQ else {
      throw ScoringError.invalidModel(
        reason: "an encrypted sigmoid needs two ciphertext products: log2 q of \(scorer.parameters[0].logQ) is "
          + "below \(Self.minimumLogQ); use N ≥ 8192")
    }
    let integers = try Self.integerCoefficients(polynomial, coefficientBits)
    let need = Self.requiredBits(scorer.encoding, integers)
    guard need <= scorer.plaintextBits else {
      throw ScoringError.doesNotFitPlaintext(needBits: need, haveBits: scorer.plaintextBits)
    }
    self.scorer = scorer
    self.polynomial = polynomial
    self.coefficientBits = coefficientBits
    self.integerCoefficients = integers
    self.requiredBits = need
    let rounding = Self.roundingError(polynomial, integers, coefficientBits)
    errorBound = (rounding + polynomial.maximumError + scorer.encoding.errorBound / 4) * (1 + 0x1p-40) + 1e-15
    let f = scorer.encoding.fractionBits
    constants = try scorer.parameters.map { p in
      let t = try Modulus(p.plaintextModulus)
      let encoder = BFV.Encoder(parameters: p)
      return try [(2, 1), (1, 2), (0, 3)].map { k, power in
        // c_k · 2^(F·power) mod t
        let value = t.multiply(BFVBatchScorer.residue(Int128(integers[k]), t.value), t.power(2, UInt64(f * power)))
        return try encoder.encode(broadcasting: value)
      }
    }
  }

  /// A sigmoid scorer whose error beyond the polynomial's own is at most
  /// `probabilityError`: the logit is quantised with a bound of
  /// 2·`probabilityError` (costing at most half of it through σ′ ≤ 1/4), G is
  /// the smallest whose coefficient rounding costs at most the other half,
  /// and the batching primes are as many as P needs.
  ///
  /// - Parameters:
  ///   - model: the model (its scaler is folded in).
  ///   - featureRanges: the range of every feature.
  ///   - polynomial: the stand-in for σ; `nil` means ``SigmoidPolynomial/cubic(range:fit:)``
  ///     over [−8, 8], minimax.
  ///   - preset: the ring degree and q.
  ///   - plaintextBitWidth: the width of each prime t_i, as for
  ///     ``BFVBatchScorer/init(_:featureRanges:preset:plaintextBitWidth:targetError:maximumModuli:)``.
  ///   - probabilityError: the error allowed on top of the polynomial's (> 0).
  ///   - maximumModuli: the most plaintext moduli to use (1...6).
  /// - Throws: as ``init(_:polynomial:coefficientBits:)`` and the batch
  ///   scorer's initialiser.
  public init(
    _ model: LinearModel, featureRanges: [ClosedRange<Double>], polynomial: SigmoidPolynomial? = nil,
    preset: BFV.Preset = .n8192, plaintextBitWidth: Int? = nil, probabilityError: Double = 1e-3,
    maximumModuli: Int = 6
  ) throws {
    guard probabilityError > 0, probabilityError.isFinite else {
      throw ScoringError.invalidModel(reason: "the probability error must be a positive number")
    }
    let polynomial = try polynomial ?? SigmoidPolynomial.cubic()
    let encoding = try FixedPointLinearModel.withError(
      atMost: 2 * probabilityError, model, featureRanges: featureRanges)
    let g = try Self.coefficientBits(polynomial, roundingError: probabilityError / 2)
    let need = Self.requiredBits(encoding, try Self.integerCoefficients(polynomial, g))
    let parameters = try BFVBatchScorer.parameterSets(
      holding: need, preset: preset, plaintextBitWidth: plaintextBitWidth, maximumModuli: maximumModuli)
    try self.init(
      BFVBatchScorer(model, encoding: encoding, parameters: parameters), polynomial: polynomial, coefficientBits: g)
  }

  /// Scores a batch and evaluates the polynomial: ``BFVBatchScorer/score(_:)``
  /// then ``probabilities(from:using:)``.
  /// - Throws: as those.
  public func probabilities(_ batch: BFVEncryptedBatch, using keys: BFVEvaluationKeys) throws
    -> BFVEncryptedProbabilities
  {
    try probabilities(from: scorer.score(batch), using: keys)
  }

  /// Evaluates the polynomial on encrypted scores of either layout (from
  /// ``scorer`` or a ``BFVRecordScorer`` built on it). Slots other than the
  /// records' are set to uniform values mod t_i.
  /// - Parameters:
  ///   - scores: the encrypted fixed-point scores (fresh from a scorer: two
  ///     polynomials at the full modulus).
  ///   - keys: public material holding relinearisation keys.
  /// - Throws: ``ScoringError/missingEvaluationKey(_:)`` without
  ///   relinearisation keys for these parameters;
  ///   ``ScoringError/layoutMismatch(reason:)`` for scores of another
  ///   shape; `BFVError` from the arithmetic.
  /// - Complexity: per modulus, one scalar product and two ciphertext products
  ///   with relinearisation; one modulus per core.
  public func probabilities(from scores: BFVEncryptedScores, using keys: BFVEvaluationKeys) throws
    -> BFVEncryptedProbabilities
  {
    let parameters = scorer.parameters
    let relinearization = try keys.relinearizationKeys(for: parameters)
    try scores.checkShape(for: parameters)
    let (ciphertexts, constants, a3) = (scores.ciphertexts, constants, integerCoefficients[3])
    let (count, stride) = (scores.count, scores.slotStride)
    let values = try parallelMap(parameters.count) { i in
      let s = ciphertexts[i]
      let t = parameters[i].plaintextModulus
      var v = s * BFVBatchScorer.residue(Int128(a3), t)  // centred: noise grows by |Â3|, not t/2
      try v.add(constants[i][0])
      var w = try v.multiplied(by: s, relinearizingWith: relinearization[i])
      try w.add(constants[i][1])
      var p = try w.multiplied(by: s, relinearizingWith: relinearization[i])
      try p.add(constants[i][2])
      // Slots other than the records': uniform (they held p of the intercept or of masks).
      var generator = SecureRandom()
      var mask = (0..<parameters[i].slotCount).map { _ in UInt64.random(in: 0..<t, using: &generator) }
      for c in 0..<count { mask[c * stride] = 0 }
      try p.add(try BFV.Encoder(parameters: parameters[i]).encode(mask))
      return p
    }
    return BFVEncryptedProbabilities(
      count: count, slotStride: stride, coefficientBits: coefficientBits, integerCoefficients: integerCoefficients,
      ciphertexts: values)
  }

  /// What an encrypted score S decrypts to through this scorer, computed in
  /// plaintext: p̂(S/2^F) = P / 2^(G+3F), P exact (the reference for tests
  /// and for checking a deployment).
  public func value(forScore score: Int128) -> Double {
    let s = BigInteger(score)
    let f = scorer.encoding.fractionBits
    let a = integerCoefficients.map { BigInteger($0) }
    let p = (a[0] << (3 * f)) + s * ((a[1] << (2 * f)) + s * ((a[2] << f) + s * a[3]))
    return Double(sign: .plus, exponent: -outputFractionBits, significand: p.doubleValue)
  }

  // MARK: Fixed point

  /// The smallest G whose coefficient rounding Σ_k |Â_k/2^G − a_k|·R^k is at
  /// most `roundingError` (or the largest G).
  static func coefficientBits(_ polynomial: SigmoidPolynomial, roundingError target: Double) throws -> Int {
    var g = coefficientBitsRange.lowerBound
    while g < coefficientBitsRange.upperBound,
      roundingError(polynomial, try integerCoefficients(polynomial, g), g) > target
    {
      g += 1
    }
    return g
  }

  /// round(a_k·2^G).
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for G outside its
  ///   range or a coefficient whose integer passes 2^62.
  static func integerCoefficients(_ polynomial: SigmoidPolynomial, _ g: Int) throws -> [Int64] {
    guard coefficientBitsRange.contains(g) else {
      throw ScoringError.invalidModel(
        reason: "coefficients at 2^\(g): use \(coefficientBitsRange.lowerBound) to \(coefficientBitsRange.upperBound) bits")
    }
    return try polynomial.coefficients.map { a in
      let scaled = Double(sign: .plus, exponent: g, significand: a).rounded()
      guard scaled.magnitude < 0x1p62 else {
        throw ScoringError.invalidModel(reason: "the sigmoid coefficient \(a) leaves the 62-bit integers at 2^\(g)")
      }
      return Int64(scaled)
    }
  }

  /// Σ_k |Â_k/2^G − a_k|·R^k.
  static func roundingError(_ polynomial: SigmoidPolynomial, _ integers: [Int64], _ g: Int) -> Double {
    var total = 0.0
    var power = 1.0
    for (a, integer) in zip(polynomial.coefficients, integers) {
      total += abs(Double(sign: .plus, exponent: -g, significand: Double(integer)) - a) * power
      power *= polynomial.range
    }
    return total
  }

  /// max|P| = Σ_k |Â_k|·2^((3−k)F)·M^k over |S| ≤ M = scoreMagnitude.
  static func maximumValue(_ encoding: FixedPointLinearModel, _ integers: [Int64]) -> BigInteger {
    let m = BigInteger(encoding.scoreMagnitude)
    let f = encoding.fractionBits
    var total = BigInteger(0)
    var power = BigInteger(1)
    for k in 0..<4 {
      total += BigInteger(integers[k].magnitude) * (power << ((3 - k) * f))
      power *= m
    }
    return total
  }

  /// The bit width of 2·max|P| + 1.
  static func requiredBits(_ encoding: FixedPointLinearModel, _ integers: [Int64]) -> Int {
    (maximumValue(encoding, integers) * BigInteger(2) + BigInteger(1)).bitWidth
  }
}

extension BFVBatchClient {
  /// The values of a ``BFVSigmoidScorer``'s output: P (CRT-recombined,
  /// centred) divided by 2^(G + 3F). Within the scorer's
  /// ``BFVSigmoidScorer/errorBound`` of σ(exact logit) for logits in its
  /// ``BFVSigmoidScorer/validLogits``; outside them, p̂(logit), not a probability.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for another number
  ///   of moduli; ``ScoringError/layoutMismatch(reason:)`` for a count,
  ///   stride or G that does not fit; ``ScoringError/invalidResult(reason:)``
  ///   for a value outside ±max|P| (another scorer, or noise beyond the
  ///   budget); `BFVError` from decryption.
  public func decryptProbabilities(_ probabilities: BFVEncryptedProbabilities) throws -> [Double] {
    let g = probabilities.coefficientBits
    guard BFVSigmoidScorer.coefficientBitsRange.contains(g), probabilities.integerCoefficients.count == 4 else {
      throw ScoringError.layoutMismatch(
        reason: "a sigmoid output of \(g)-bit coefficients, \(probabilities.integerCoefficients.count) of them")
    }
    let residues = try decryptResidues(
      probabilities.ciphertexts, count: probabilities.count, slotStride: probabilities.slotStride)
    let bound = BFVSigmoidScorer.maximumValue(encoding, probabilities.integerCoefficients)
    let scale = -(g + 3 * encoding.fractionBits)
    return try residues.map { slot in
      let p = basis.centred(slot)
      guard p.magnitude <= bound else {
        throw ScoringError.invalidResult(reason: "a decrypted sigmoid value lies outside ±\(bound)")
      }
      return Double(sign: .plus, exponent: scale, significand: p.doubleValue)
    }
  }
}
