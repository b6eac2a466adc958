import BFV
import BigNum
import Foundation
import Tabular

/// The encrypted, blinded labels of a batch or of packed records: one
/// ciphertext per plaintext modulus, record r's value in slot `r·slotStride`.
public struct BFVEncryptedLabels: Sendable {
  /// The number of records.
  public let count: Int
  /// The distance between two records' slots (1 in the batch layout, the
  /// block size in the single-record layout).
  public let slotStride: Int
  /// k: the blinding factors were drawn from [2^(k−1), 2^k).
  public let blindingBits: Int
  /// S_thr: the fixed-point threshold the scores were compared with.
  public let thresholdScore: Int128
  /// `ciphertexts[i]`: the blinded values mod t_i.
  public let ciphertexts: [BFV.Ciphertext]

  /// Labels from their parts (for formats and transport).
  public init(count: Int, slotStride: Int, blindingBits: Int, thresholdScore: Int128, ciphertexts: [BFV.Ciphertext]) {
    self.count = count
    self.slotStride = slotStride
    self.blindingBits = blindingBits
    self.thresholdScore = thresholdScore
    self.ciphertexts = ciphertexts
  }
}

/// Label-only scoring under BFV: the key holder learns each record's label
/// (whether its fixed-point score reaches the threshold) and not the score.
///
/// On encrypted scores of either layout the server returns a blinded sign,
/// `Z = r·(S − S_thr) + r′` with fresh random r, r′ per record and query,
/// then floods the noise; the client's label is the sign of Z. Labels agree
/// with the plaintext model's except for records whose exact logit lies within
/// ``FixedPointLinearModel/errorBound`` of the threshold logit. The
/// construction, its exactness and its leakage are in <doc:LabelOnlyScoring>.
///
/// ```swift
/// let labeler = try BFVLabelScorer(model, featureRanges: ranges, preset: .n8192)
/// let client = BFVBatchClient(for: labeler.scorer)
/// let keys = client.evaluationKeys()                          // public keys only
/// let labels = try labeler.labels(client.encrypt(rows), using: keys)   // server
/// print(try client.decryptLabels(labels))                     // [0, 1, 1, …]
/// ```
///
/// - Warning: BFV is IND-CPA only. Each answer also reveals log2 of the
///   score's distance to the threshold to about one bit, and repeated queries
///   on one record narrow it: rate-limit them when that matters. The
///   threshold, k and the fixed point are public.
public struct BFVLabelScorer: Sendable {
  /// The logit scorer underneath: its parameters have room for Z.
  public let scorer: BFVBatchScorer
  /// k: blinding factors r are drawn from [2^(k−1), 2^k).
  public let blindingBits: Int
  /// S_thr = ⌈c·2^F⌉: label 1 exactly when the fixed-point score S ≥ S_thr.
  public let thresholdScore: Int128
  /// The bit width of 2·max|Z| + 1 over the declared ranges.
  public let requiredBits: Int

  /// The accepted blinding widths k.
  public static let blindingBitsRange = 8...62

  /// The smallest log2 q accepted: flooding must hide the noise of scoring and
  /// blinding, which needs budget to spare (the N = 4096 preset is refused,
  /// N = 8192 accepted; see <doc:LabelOnlyScoring>).
  public static let minimumLogQ = 150

  /// A label scorer over a given logit scorer.
  /// - Parameters:
  ///   - scorer: the logit scorer (batch layout; wrap it in a
  ///     ``BFVRecordScorer`` for the single-record layout).
  ///   - blindingBits: k in ``blindingBitsRange``; the plaintext space must
  ///     hold about k more bits than the scores.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for parameters with
  ///   log2 q below ``minimumLogQ``, k outside its range or a threshold
  ///   without a finite logit; ``ScoringError/doesNotFitPlaintext(needBits:haveBits:)``
  ///   when ∏ t_i cannot hold Z.
  public init(_ scorer: BFVBatchScorer, blindingBits: Int = 32) throws {
    guard scorer.parameters[0].logQ >= Self.minimumLogQ else {
      throw ScoringError.invalidModel(
        reason: "label-only scoring floods the noise: log2 q of \(scorer.parameters[0].logQ) is below "
          + "\(Self.minimumLogQ), too little to hide the blinding; use N ≥ 8192")
    }
    let threshold = try Self.thresholdScore(scorer.model, scorer.encoding)
    let need = try Self.requiredBits(scorer.encoding, thresholdScore: threshold, blindingBits: blindingBits)
    guard need <= scorer.plaintextBits else {
      throw ScoringError.doesNotFitPlaintext(needBits: need, haveBits: scorer.plaintextBits)
    }
    self.scorer = scorer
    self.blindingBits = blindingBits
    self.thresholdScore = threshold
    self.requiredBits = need
  }

  /// A label scorer on as many batching primes as the blinded values need.
  /// - Parameters: as ``BFVBatchScorer/init(_:featureRanges:preset:plaintextBitWidth:targetError:maximumModuli:)``,
  ///   plus `blindingBits` as ``init(_:blindingBits:)``.
  /// - Throws: as those initialisers.
  public init(
    _ model: LinearModel, featureRanges: [ClosedRange<Double>], preset: BFV.Preset = .n8192,
    plaintextBitWidth: Int? = nil, targetError: Double = 1e-6, blindingBits: Int = 32, maximumModuli: Int = 6
  ) throws {
    let encoding = try FixedPointLinearModel.withError(atMost: targetError, model, featureRanges: featureRanges)
    let threshold = try Self.thresholdScore(model, encoding)
    let need = try Self.requiredBits(encoding, thresholdScore: threshold, blindingBits: blindingBits)
    let parameters = try BFVBatchScorer.parameterSets(
      holding: need, preset: preset, plaintextBitWidth: plaintextBitWidth, maximumModuli: maximumModuli)
    try self.init(BFVBatchScorer(model, encoding: encoding, parameters: parameters), blindingBits: blindingBits)
  }

  /// Scores a batch and blinds the scores: ``BFVBatchScorer/score(_:)`` then
  /// ``labels(from:using:)``.
  /// - Throws: as those.
  public func labels(_ batch: BFVEncryptedBatch, using keys: BFVEvaluationKeys) throws -> BFVEncryptedLabels {
    try labels(from: scorer.score(batch), using: keys)
  }

  /// Blinds encrypted scores of either layout (from ``scorer`` or a
  /// ``BFVRecordScorer`` built on it).
  /// - Parameters:
  ///   - scores: the encrypted fixed-point scores.
  ///   - keys: public material; the public keys are used (for flooding).
  /// - Throws: ``ScoringError/missingEvaluationKey(_:)`` without public
  ///   keys for these parameters; ``ScoringError/layoutMismatch(reason:)``
  ///   for scores of another number of moduli or a count and stride that do
  ///   not fit; `BFVError` from the arithmetic.
  /// - Complexity: per modulus, one plaintext product, two plaintext
  ///   encodings and one encryption of zero (flooding); one modulus per core.
  public func labels(from scores: BFVEncryptedScores, using keys: BFVEvaluationKeys) throws -> BFVEncryptedLabels {
    let parameters = scorer.parameters
    let publicKeys = try keys.publicKeys(for: parameters)
    try scores.checkShape(for: parameters)
    let slots = parameters[0].slotCount
    // One r and r′ per record, shared by every modulus (the same integer Z under each t_i).
    var generator = SecureRandom()
    let k = blindingBits
    let factors = (0..<scores.count).map { _ in
      UInt64.random(in: (UInt64(1) << (k - 1))..<(UInt64(1) << k), using: &generator)
    }
    let offsets = factors.map { UInt64.random(in: 0..<$0, using: &generator) }
    let (threshold, stride, ciphertexts) = (thresholdScore, scores.slotStride, scores.ciphertexts)
    let blinded = try parallelMap(parameters.count) { i in
      let p = parameters[i]
      let t = p.plaintextModulus
      var random = SecureRandom()
      var multipliers = [UInt64](repeating: 0, count: slots)
      var addends = (0..<slots).map { _ in UInt64.random(in: 0..<t, using: &random) }
      for (c, (r, offset)) in zip(factors, offsets).enumerated() {
        multipliers[c * stride] = r % t
        addends[c * stride] = offset % t
      }
      let encoder = BFV.Encoder(parameters: p)
      var z = ciphertexts[i]
      try z.add(try encoder.encode(broadcasting: BFVBatchScorer.residue(-Int128(threshold), t)))
      try z.multiply(by: try encoder.encode(multipliers))
      try z.add(try encoder.encode(addends))
      try z.floodNoise(using: publicKeys[i])
      return z
    }
    return BFVEncryptedLabels(
      count: scores.count, slotStride: stride, blindingBits: k, thresholdScore: threshold, ciphertexts: blinded)
  }

  /// ⌈c·2^F⌉ for the model's threshold logit c.
  static func thresholdScore(_ model: LinearModel, _ encoding: FixedPointLinearModel) throws -> Int128 {
    let cut = model.kind == .logistic ? log(model.threshold / (1 - model.threshold)) : model.threshold
    let scaled = Double(sign: .plus, exponent: encoding.fractionBits, significand: cut).rounded(.up)
    guard scaled.isFinite, scaled.magnitude < 0x1p100 else {
      throw ScoringError.invalidModel(reason: "the threshold \(model.threshold) has no usable fixed-point logit")
    }
    return Int128(scaled)
  }

  /// The bit width of 2·max|Z| + 1, max|Z| = (2^k − 1)·max|D| + 2^k − 2 with
  /// max|D| = scoreMagnitude + |S_thr|.
  static func requiredBits(_ encoding: FixedPointLinearModel, thresholdScore: Int128, blindingBits k: Int) throws
    -> Int
  {
    guard blindingBitsRange.contains(k) else {
      throw ScoringError.invalidModel(
        reason: "blinding factors of \(k) bits: use \(blindingBitsRange.lowerBound) to \(blindingBitsRange.upperBound)")
    }
    return (maximumBlinded(encoding, thresholdScore: thresholdScore, blindingBits: k) * BigInteger(2) + BigInteger(1))
      .bitWidth
  }

  static func maximumBlinded(_ encoding: FixedPointLinearModel, thresholdScore: Int128, blindingBits k: Int)
    -> BigInteger
  {
    let d = BigInteger(encoding.scoreMagnitude) + BigInteger(thresholdScore.magnitude)
    let r = BigInteger(1) << k
    return (r - BigInteger(1)) * d + r - BigInteger(2)
  }
}

extension BFVBatchClient {
  /// The labels of a ``BFVLabelScorer``'s output: 1 where the blinded value
  /// Z (CRT-recombined, centred) is ≥ 0, that is where S ≥ S_thr.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for another number
  ///   of moduli; ``ScoringError/layoutMismatch(reason:)`` for a count or
  ///   stride that does not fit; ``ScoringError/invalidResult(reason:)``
  ///   for a value outside ±max|Z| (not a correct blinded score: another
  ///   scorer, or noise beyond the budget); `BFVError` from decryption.
  public func decryptLabels(_ labels: BFVEncryptedLabels) throws -> [Int] {
    guard BFVLabelScorer.blindingBitsRange.contains(labels.blindingBits) else {
      throw ScoringError.layoutMismatch(reason: "blinding factors of \(labels.blindingBits) bits")
    }
    let residues = try decryptResidues(labels.ciphertexts, count: labels.count, slotStride: labels.slotStride)
    let bound = BFVLabelScorer.maximumBlinded(
      encoding, thresholdScore: labels.thresholdScore, blindingBits: labels.blindingBits)
    return try residues.map { slot in
      let z = basis.centred(slot)
      guard z.magnitude <= bound else {
        throw ScoringError.invalidResult(reason: "a blinded label value lies outside ±\(bound)")
      }
      return z.signum() >= 0 ? 1 : 0
    }
  }
}

extension BFVEncryptedScores {
  /// Checks that the scores have one ciphertext per parameter set and 1 to N
  /// records at a stride that fits the slots.
  /// - Throws: ``ScoringError/layoutMismatch(reason:)``.
  func checkShape(for parameters: [BFV.Parameters]) throws {
    guard ciphertexts.count == parameters.count else {
      throw ScoringError.layoutMismatch(
        reason: "\(ciphertexts.count) score ciphertexts for \(parameters.count) plaintext moduli")
    }
    let slots = parameters[0].slotCount
    guard (1...slots).contains(count), (1...slots).contains(slotStride), (count - 1) * slotStride < slots else {
      throw ScoringError.layoutMismatch(
        reason: "\(count) records at a stride of \(slotStride) slots do not fit \(slots) slots")
    }
  }
}
