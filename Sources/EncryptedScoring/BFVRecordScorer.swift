import BFV
import BigNum
import Tabular

/// Records encrypted for a ``BFVRecordScorer``: per plaintext modulus t_i, one
/// ciphertext holding up to N/B records, record b's fixed-point features in
/// slots b·B + j (j < d) of its block of B slots, zeros in the rest.
public struct BFVPackedRecords: Sendable {
  /// The number of records (blocks past it hold zeros).
  public let count: Int
  /// B: the slots per record, the next power of two ≥ the number of features.
  public let blockSize: Int
  /// `ciphertexts[i]`: the records mod t_i.
  public let ciphertexts: [BFV.Ciphertext]

  /// Records from their parts (for formats and transport).
  public init(count: Int, blockSize: Int, ciphertexts: [BFV.Ciphertext]) {
    self.count = count
    self.blockSize = blockSize
    self.ciphertexts = ciphertexts
  }
}

/// Linear and logistic-regression scoring under BFV in the single-record
/// layout: a record's d features sit in one block of B = 2^⌈log2 d⌉ slots,
/// up to N/B records per ciphertext, and each block is summed by
/// rotate-and-add; record b's score lands in slot b·B.
///
/// Same model, fixed point, plaintext moduli and CRT as ``BFVBatchScorer``
/// (it wraps one): the decrypted score is the exact fixed-point score. Clients
/// use ``BFVRecordClient``; the server needs Galois keys for
/// ``rotationSteps`` only. When to prefer this layout over the batch layout is
/// discussed in <doc:RecordLayout>.
///
/// ```swift
/// let scorer = try BFVRecordScorer(model, featureRanges: ranges, preset: .n4096)
/// let client = BFVRecordClient(for: scorer)                          // keys stay here
/// let packed = try client.encrypt([record])                          // ≤ N/B records
/// let scores = try scorer.score(packed, using: client.evaluationKeys)  // server: public material only
/// let logit = try client.decryptLogits(scores)[0]
/// ```
///
/// - Warning: BFV is IND-CPA only; a decrypted score must not go back to the
///   server. The exponents, feature ranges, block size and number of moduli
///   are public.
public struct BFVRecordScorer: Sendable {
  /// The batch scorer whose model, fixed point and parameters this one shares.
  public let scorer: BFVBatchScorer
  /// B: the slots per record.
  public let blockSize: Int
  /// Per modulus: W_j mod t_i in slot b·B + j of every block, zeros elsewhere.
  let weightPlaintexts: [BFV.PreparedPlaintext]

  /// The model as given.
  public var model: LinearModel { scorer.model }
  /// The model in fixed point, with its error bound.
  public var encoding: FixedPointLinearModel { scorer.encoding }
  /// One parameter set per plaintext modulus t_i.
  public var parameters: [BFV.Parameters] { scorer.parameters }
  /// N/B: the records one ciphertext per modulus holds.
  public var recordsPerCiphertext: Int { parameters[0].slotCount / blockSize }
  /// The left rotations the server performs: 1, 2, 4, …, B/2. The client
  /// generates Galois keys for exactly these.
  public var rotationSteps: [Int] {
    var steps: [Int] = []
    var step = 1
    while step < blockSize {
      steps.append(step)
      step <<= 1
    }
    return steps
  }

  /// The single-record layout of a batch scorer's model, fixed point and
  /// parameters.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` when B exceeds a
  ///   row of N/2 slots; `BFVError` from encoding.
  /// - Complexity: K encodings.
  public init(_ scorer: BFVBatchScorer) throws {
    let d = scorer.encoding.weights.count
    let half = scorer.parameters[0].slotCount / 2
    var block = 1
    while block < d { block <<= 1 }
    guard block <= half else {
      throw ScoringError.invalidModel(
        reason: "\(d) features need blocks of \(block) slots, more than a row of \(half): use the batch layout")
    }
    self.scorer = scorer
    self.blockSize = block
    let slots = scorer.parameters[0].slotCount
    weightPlaintexts = try zip(scorer.parameters, scorer.residueWeights).map { p, weights in
      var values = [UInt64](repeating: 0, count: slots)
      for start in stride(from: 0, to: slots, by: block) {
        for j in 0..<d { values[start + j] = weights[j] }
      }
      return try BFV.Encoder(parameters: p).encode(values).preparedForMultiplication()
    }
  }

  /// A single-record scorer at the smallest fixed-point scale meeting
  /// `targetError`, on as many batching primes as the scores need (see
  /// ``BFVBatchScorer/init(_:featureRanges:preset:plaintextBitWidth:targetError:maximumModuli:)``
  /// for the parameters).
  /// - Throws: as that initialiser and ``init(_:)``.
  public init(
    _ model: LinearModel, featureRanges: [ClosedRange<Double>], preset: BFV.Preset = .n8192,
    plaintextBitWidth: Int? = nil, targetError: Double = 1e-6, maximumModuli: Int = 6
  ) throws {
    try self.init(
      BFVBatchScorer(
        model, featureRanges: featureRanges, preset: preset, plaintextBitWidth: plaintextBitWidth,
        targetError: targetError, maximumModuli: maximumModuli))
  }

  /// The encrypted fixed-point scores of packed records: per modulus i, the
  /// product with the weights, summed over each block by rotations, plus the
  /// intercept; record b's score in slot b·B (``BFVEncryptedScores/slotStride``
  /// = B), every other slot uniform mod t_i.
  ///
  /// - Parameters:
  ///   - records: from ``BFVRecordClient/encrypt(_:)``.
  ///   - keys: public material holding Galois keys for ``rotationSteps``.
  /// - Throws: ``ScoringError/layoutMismatch(reason:)`` for records of
  ///   another block size, count or number of moduli;
  ///   ``ScoringError/missingEvaluationKey(_:)`` without Galois keys for
  ///   these parameters; `BFVError.missingGaloisKey(step:)` when a step's key
  ///   is missing; `BFVError.parameterMismatch` for ciphertexts of other
  ///   parameters.
  /// - Complexity: per modulus, one plaintext product and log2 B rotations
  ///   (each a key switch, L² NTTs); one modulus per core.
  public func score(_ records: BFVPackedRecords, using keys: BFVEvaluationKeys) throws -> BFVEncryptedScores {
    try check(records)
    let galois = try keys.galoisKeys(for: parameters, steps: rotationSteps)
    let (rows, weights, steps) = (records.ciphertexts, weightPlaintexts, rotationSteps)
    let masks = try maskedIntercepts(count: records.count)
    let sums = try parallelMap(rows.count) { i in
      var sum = try rows[i] * weights[i]
      for step in steps.reversed() { try sum.add(try sum.rotatedRows(by: step, using: galois[i])) }
      try sum.add(masks[i])
      return sum
    }
    return BFVEncryptedScores(count: records.count, ciphertexts: sums, slotStride: blockSize)
  }

  func check(_ records: BFVPackedRecords) throws {
    guard records.ciphertexts.count == parameters.count else {
      throw ScoringError.layoutMismatch(
        reason: "\(records.ciphertexts.count) ciphertexts for \(parameters.count) plaintext moduli")
    }
    guard records.blockSize == blockSize else {
      throw ScoringError.layoutMismatch(
        reason: "records in blocks of \(records.blockSize) slots, the scorer's are \(blockSize)")
    }
    guard (1...recordsPerCiphertext).contains(records.count) else {
      throw ScoringError.layoutMismatch(
        reason: "\(records.count) records: a ciphertext holds 1 to \(recordsPerCiphertext)")
    }
  }

  /// Per modulus: B mod t_i in the first slot of each of the `count` blocks,
  /// fresh uniform values mod t_i (operating system CSPRNG) everywhere else.
  func maskedIntercepts(count: Int) throws -> [BFV.Plaintext] {
    var generator = SecureRandom()
    return try parameters.map { p in
      let t = p.plaintextModulus
      let intercept = BFVBatchScorer.residue(Int128(encoding.intercept), t)
      var values = (0..<p.slotCount).map { _ in UInt64.random(in: 0..<t, using: &generator) }
      for b in 0..<count { values[b * blockSize] = intercept }
      return try BFV.Encoder(parameters: p).encode(values)
    }
  }
}
