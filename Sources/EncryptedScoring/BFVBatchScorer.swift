import BFV
import BigNum
import Tabular

/// Linear and logistic-regression scoring of many records at once under BFV,
/// in the batch layout: one ciphertext per feature, one slot per record
/// (N records per batch), the score `B + Σ W_j·ct_j` computed with
/// plaintext-scalar products and additions only (no evaluation keys).
///
/// The fixed-point score is computed modulo several batching primes t_i and
/// recombined by CRT; the scorer checks at construction that no score over the
/// declared feature ranges can wrap, so the logit error is the quantisation
/// bound ``FixedPointLinearModel/errorBound`` alone (see <doc:FixedPoint>).
/// ``BFVRecordScorer``, ``BFVLabelScorer`` and ``BFVSigmoidScorer`` are built
/// on a batch scorer and share its fixed point, moduli and client.
///
/// ```swift
/// let scorer = try BFVBatchScorer(model, featureRanges: try FixedPointLinearModel.ranges(of: data))
/// let client = BFVBatchClient(for: scorer)                    // keys stay here
/// let batch = try client.encrypt(data.features)               // ≤ N records
/// let scores = try scorer.score(batch)                        // server: public material only
/// let logits = try client.decryptLogits(scores)               // error ≤ scorer.encoding.errorBound
/// ```
///
/// - Warning: BFV is IND-CPA only. A decrypted score must not go back to the
///   server that computed it unless noise flooding was applied. The exponents,
///   feature ranges and the number of moduli are public.
public struct BFVBatchScorer: Sendable {
  /// The model as given.
  public let model: LinearModel
  /// The model in fixed point, with its error bound.
  public let encoding: FixedPointLinearModel
  /// One parameter set per plaintext modulus t_i (same degree and q).
  public let parameters: [BFV.Parameters]
  /// The plaintext moduli as one CRT space.
  public let plaintext: BFV.PlaintextCRT
  /// Per modulus: W_j mod t_i.
  let residueWeights: [[UInt64]]
  /// Per modulus: the intercept B mod t_i in every slot.
  let interceptPlaintexts: [BFV.Plaintext]

  /// The number of records one batch holds: N.
  public var recordsPerBatch: Int { parameters[0].slotCount }

  /// ⌊log2 T⌋ for T = ∏ t_i: the plaintext space of a score, in bits.
  public var plaintextBits: Int { Self.bits(of: parameters) }

  /// A scorer at the smallest fixed-point scale whose error bound meets
  /// `targetError`, on as many batching primes t_i (the largest of the chosen
  /// width with t_i ≡ 1 mod 2N) as the scores need.
  ///
  /// - Parameters:
  ///   - model: the model (its scaler is folded in).
  ///   - featureRanges: the range of every feature (see ``FixedPointLinearModel/ranges(of:)``).
  ///   - preset: the ring degree and q (t is replaced by the chosen primes).
  ///   - plaintextBitWidth: the width of each prime t_i, 16...30; `nil` means
  ///     24 bits at N = 4096 and 30 above. Each bit of t costs about two bits
  ///     of noise budget (see <doc:FixedPoint>).
  ///   - targetError: the largest acceptable logit error bound.
  ///   - maximumModuli: the most plaintext moduli to use (1...6).
  /// - Throws: ``ScoringError/doesNotFitPlaintext(needBits:haveBits:)`` when
  ///   `maximumModuli` primes cannot hold the scores; ``ScoringError/invalidModel(reason:)``
  ///   from the quantisation; `BFVError` from building the parameters.
  /// - Complexity: K parameter sets (each a few NTT tables).
  public init(
    _ model: LinearModel, featureRanges: [ClosedRange<Double>], preset: BFV.Preset = .n8192,
    plaintextBitWidth: Int? = nil, targetError: Double = 1e-6, maximumModuli: Int = 6
  ) throws {
    let encoding = try FixedPointLinearModel.withError(atMost: targetError, model, featureRanges: featureRanges)
    let parameters = try Self.parameterSets(
      holding: encoding.requiredBits, preset: preset, plaintextBitWidth: plaintextBitWidth,
      maximumModuli: maximumModuli)
    try self.init(model, encoding: encoding, parameters: parameters)
  }

  /// The parameter sets of `preset` on the fewest batching primes t_i of the
  /// chosen width (the largest with t_i ≡ 1 mod 2N) whose product T has
  /// `⌊log2 T⌋ ≥ neededBits`, or on `maximumModuli` primes when none suffice
  /// (the caller's check then refuses them with the numbers). Shared by the
  /// scorers of every layout and output.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for a width outside
  ///   16...30; `BFVError` from building the parameters.
  static func parameterSets(
    holding neededBits: Int, preset: BFV.Preset, plaintextBitWidth: Int?, maximumModuli: Int
  ) throws -> [BFV.Parameters] {
    let width = plaintextBitWidth ?? (preset == .n4096 ? 24 : 30)
    guard (16...30).contains(width) else {
      throw ScoringError.invalidModel(reason: "plaintext moduli of \(width) bits: use 16 to 30")
    }
    let count = min(max(maximumModuli, 1), 6)
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: width, degree: preset.degree, atMost: count)
    // The fewest primes whose product holds every value.
    var used = 1
    while used < primes.count && bits(of: primes.prefix(used)) < neededBits { used += 1 }
    let base = try BFV.Parameters(preset: preset)
    return try primes.prefix(used).map {
      try BFV.Parameters(degree: base.degree, coefficientModuli: base.coefficientModuli, plaintextModulus: $0)
    }
  }

  /// A scorer for a given quantisation on given parameter sets.
  ///
  /// - Parameters:
  ///   - model: the model `encoding` was made from.
  ///   - encoding: the fixed-point model.
  ///   - parameters: 1 to 6 batching parameter sets of one degree with
  ///     pairwise distinct prime plaintext moduli below 2^31.
  /// - Throws: ``ScoringError/doesNotFitPlaintext(needBits:haveBits:)`` when
  ///   `2·|S| < ∏ t_i` fails for some record inside the ranges (the scores
  ///   would wrap; refused unless `encoding.requiredBits ≤ ⌊log2 ∏ t_i⌋`);
  ///   ``ScoringError/invalidModel(reason:)`` for unusable
  ///   parameters or an encoding of other features; `BFVError` from encoding.
  public init(_ model: LinearModel, encoding: FixedPointLinearModel, parameters: [BFV.Parameters]) throws {
    func fail(_ reason: String) -> ScoringError { .invalidModel(reason: reason) }
    guard encoding.features == model.features else { throw fail("the fixed-point model has other features") }
    guard (1...6).contains(parameters.count) else { throw fail("1 to 6 plaintext moduli, not \(parameters.count)") }
    guard parameters.allSatisfy({ $0.supportsBatching && $0.degree == parameters[0].degree }) else {
      throw fail("the BFV parameters must all batch and share one degree")
    }
    let moduli = parameters.map(\.plaintextModulus)
    guard Set(moduli).count == moduli.count, moduli.allSatisfy({ $0 < 1 << 31 }) else {  // batching t is prime
      throw fail("the plaintext moduli must be distinct and below 2^31")
    }
    guard Self.holds(encoding, moduli[...]) else {
      throw ScoringError.doesNotFitPlaintext(needBits: encoding.requiredBits, haveBits: Self.bits(of: parameters))
    }
    self.model = model
    self.encoding = encoding
    self.parameters = parameters
    plaintext = try BFV.PlaintextCRT(parameters: parameters)
    residueWeights = moduli.map { t in encoding.weights.map { Self.residue(Int128($0), t) } }
    interceptPlaintexts = try parameters.map { p in
      try BFV.Encoder(parameters: p).encode(broadcasting: Self.residue(Int128(encoding.intercept), p.plaintextModulus))
    }
  }

  /// The encrypted fixed-point scores of a batch: per modulus i,
  /// `B + Σ_j W_j·ct_ij` (mod t_i, slot by slot).
  ///
  /// Needs no key at all: only the ciphertexts and the public model. Slots
  /// past `batch.count` are filled with fresh uniform values (they would
  /// otherwise decrypt to the intercept).
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` for a
  ///   batch of another shape; `BFVError/parameterMismatch` for ciphertexts
  ///   under other parameters.
  /// - Complexity: K·d scalar products and additions of ciphertexts, one
  ///   modulus per core.
  public func score(_ batch: BFVEncryptedBatch) throws -> BFVEncryptedScores {
    guard batch.ciphertexts.count == parameters.count,
      batch.ciphertexts.allSatisfy({ $0.count == encoding.features.count })
    else {
      throw TabularError.featureMismatch(
        expected: encoding.features, found: (0..<(batch.ciphertexts.first?.count ?? 0)).map { "column \($0 + 1)" })
    }
    // One task per modulus, over all cores.
    let (rows, weights, intercepts, parameters) = (batch.ciphertexts, residueWeights, interceptPlaintexts, parameters)
    let count = batch.count
    let sums = try parallelMap(rows.count) { i in
      var sum = try rows[i][0] * weights[i][0] + intercepts[i]
      for j in 1..<rows[i].count { try sum.add(rows[i][j] * weights[i][j]) }
      // The slots past the records would decrypt to the intercept B: fill
      // them with fresh uniform values so the key holder learns nothing of
      // the model from them.
      if count < parameters[i].slotCount {
        let t = parameters[i].plaintextModulus
        var generator = SecureRandom()
        var mask = [UInt64](repeating: 0, count: parameters[i].slotCount)
        for slot in count..<mask.count { mask[slot] = UInt64.random(in: 0..<t, using: &generator) }
        try sum.add(BFV.Encoder(parameters: parameters[i]).encode(mask))
      }
      return sum
    }
    return BFVEncryptedScores(count: count, ciphertexts: sums)
  }

  // MARK: Plaintext moduli

  /// Whether `requiredBits ≤ ⌊log2 T⌋`: then |S| < 2^(requiredBits−1) ≤ T/2 for
  /// every record in range, so the centred CRT value is S itself. (A bit
  /// stricter than `2·|S| < T`, so that the refusal's numbers say it all.)
  static func holds(_ encoding: FixedPointLinearModel, _ moduli: ArraySlice<UInt64>) -> Bool {
    encoding.requiredBits <= bits(of: moduli)
  }

  /// ⌊log2 ∏ t⌋, exact for any number of moduli (six of 30 bits pass 2^128).
  static func bits(of moduli: ArraySlice<UInt64>) -> Int {
    var product = BigInteger(1)
    for t in moduli { product *= BigInteger(t) }
    return product.bitWidth - 1
  }

  static func bits(of parameters: [BFV.Parameters]) -> Int { bits(of: parameters.map(\.plaintextModulus)[...]) }

  static func residue(_ value: Int128, _ t: UInt64) -> UInt64 {
    let r = value % Int128(t)
    return UInt64(r < 0 ? r + Int128(t) : r)
  }
}
