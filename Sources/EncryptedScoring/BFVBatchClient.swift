import BFV
import BigNum
import Tabular

/// A batch of up to N records encrypted for a ``BFVBatchScorer``: for each
/// plaintext modulus t_i and each feature j, one ciphertext whose slot r holds
/// record r's fixed-point feature value mod t_i.
public struct BFVEncryptedBatch: Sendable {
  /// The number of records (the slots past it hold zeros).
  public let count: Int
  /// `ciphertexts[i][j]`: modulus i, feature j.
  public let ciphertexts: [[BFV.Ciphertext]]

  /// A batch from its parts (for formats and transport).
  public init(count: Int, ciphertexts: [[BFV.Ciphertext]]) {
    self.count = count
    self.ciphertexts = ciphertexts
  }
}

/// The encrypted fixed-point scores of a batch: one ciphertext per plaintext
/// modulus, slot `r·slotStride` holding record r's score mod t_i.
///
/// The batch layout (``BFVBatchScorer``) puts record r in slot r (stride 1);
/// the single-record layout (``BFVRecordScorer``) in the first slot of its
/// block (stride = the block size).
public struct BFVEncryptedScores: Sendable {
  /// The number of records scored.
  public let count: Int
  /// `ciphertexts[i]`: the scores mod t_i.
  public let ciphertexts: [BFV.Ciphertext]
  /// The distance between two records' slots: 1 in the batch layout, the
  /// block size in the single-record layout.
  public let slotStride: Int

  /// Scores from their parts (for formats and transport).
  public init(count: Int, ciphertexts: [BFV.Ciphertext], slotStride: Int = 1) {
    self.count = count
    self.ciphertexts = ciphertexts
    self.slotStride = slotStride
  }
}

/// The key holder's side of ``BFVBatchScorer``: one BFV key pair per plaintext
/// modulus, quantisation and encryption of records, decryption and CRT
/// recombination of the scores into logits.
///
/// - Warning: holds the secret keys. Send the server only the batches (and,
///   if it must encrypt, ``publicKeys``); never send decrypted scores back to
///   it (IND-CPA^D).
public struct BFVBatchClient: Sendable {
  /// The fixed-point model the scorer uses (public).
  public let encoding: FixedPointLinearModel
  /// The scorer's parameter sets, one per plaintext modulus.
  public let parameters: [BFV.Parameters]
  /// One public key per parameter set.
  public let publicKeys: [BFV.PublicKey]
  let secretKeys: [BFV.SecretKey]
  /// The CRT over the plaintext moduli.
  let basis: BFV.PlaintextCRT

  /// Fresh keys (from the operating system's CSPRNG) for `scorer`'s parameters.
  public init(for scorer: BFVBatchScorer) {
    self.init(encoding: scorer.encoding, plaintext: scorer.plaintext)
  }

  /// Fresh keys for given parameter sets (the scorers of every layout and
  /// output share them).
  init(encoding: FixedPointLinearModel, plaintext: BFV.PlaintextCRT) {
    self.encoding = encoding
    parameters = plaintext.parameters
    secretKeys = parameters.map { BFV.SecretKey(parameters: $0) }
    publicKeys = secretKeys.map { $0.publicKey() }
    basis = plaintext
  }

  /// Quantises and encrypts up to N records (rows of feature values in the
  /// model's order).
  /// - Throws: ``TabularError/emptyInput(what:)`` for no records;
  ///   ``TabularError/featureMismatch(expected:found:)`` or
  ///   ``ScoringError/valueOutOfRange(feature:value:range:)`` from
  ///   ``FixedPointLinearModel/quantize(_:)``; `BFVError/tooManyValues(count:capacity:)`
  ///   for more than N records.
  /// - Complexity: K·d encodings and encryptions, spread over all cores.
  public func encrypt(_ records: [[Double]]) throws -> BFVEncryptedBatch {
    guard !records.isEmpty else { throw TabularError.emptyInput(what: "no records to encrypt") }
    let capacity = parameters[0].slotCount
    guard records.count <= capacity else { throw BFVError.tooManyValues(count: records.count, capacity: capacity) }
    let quantized = try records.map { try encoding.quantize($0) }
    let d = encoding.features.count
    let (basis, publicKeys) = (basis, publicKeys)
    // One task per (modulus i, feature j), over all cores.
    let flat = try parallelMap(parameters.count * d) { k in
      let (i, j) = k.quotientAndRemainder(dividingBy: d)
      return try publicKeys[i].encrypt(basis.encode(quantized.lazy.map { $0[j] }, modulus: i))
    }
    let ciphertexts = parameters.indices.map { i in Array(flat[(i * d)..<((i + 1) * d)]) }
    return BFVEncryptedBatch(count: records.count, ciphertexts: ciphertexts)
  }

  /// The fixed-point scores `S` of the batch, recombined from the K residues
  /// (Garner's mixed-radix CRT) and centred in (−T/2, T/2).
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for scores of another
  ///   number of moduli; ``ScoringError/layoutMismatch(reason:)`` for a
  ///   count or stride that does not fit the slots;
  ///   ``ScoringError/invalidResult(reason:)`` for a value outside the
  ///   range of this model's scores (not one its scorer computed);
  ///   `BFVError` from decryption.
  public func decryptScores(_ scores: BFVEncryptedScores) throws -> [Int128] {
    let residues = try decryptResidues(scores.ciphertexts, count: scores.count, slotStride: scores.slotStride)
    let limit = encoding.scoreMagnitude
    return try residues.map { slot in
      guard let value = basis.centredInt128(slot), value.magnitude <= limit else {
        throw ScoringError.invalidResult(
          reason: "a decrypted score lies outside ±\(limit), the range of this model's scores")
      }
      return value
    }
  }

  /// Decrypts K ciphertexts (one per modulus) and gathers, for each of
  /// `count` records, its K residues from slot `r·slotStride`.
  /// - Throws: as ``decryptScores(_:)``.
  func decryptResidues(_ ciphertexts: [BFV.Ciphertext], count: Int, slotStride: Int) throws -> [[UInt64]] {
    guard ciphertexts.count == parameters.count else {
      throw ScoringError.invalidModel(
        reason: "\(ciphertexts.count) result ciphertexts for \(parameters.count) plaintext moduli")
    }
    let slots = parameters[0].slotCount
    guard (0...slots).contains(count), (1...slots).contains(slotStride), count == 0 || (count - 1) * slotStride < slots
    else {
      throw ScoringError.layoutMismatch(
        reason: "\(count) records at a stride of \(slotStride) slots do not fit \(slots) slots")
    }
    let (parameters, secretKeys) = (parameters, secretKeys)
    let decoded = try parallelMap(parameters.count) { i in
      try BFV.Encoder(parameters: parameters[i]).decode(secretKeys[i].decrypt(ciphertexts[i]))
    }
    return (0..<count).map { r in decoded.map { $0[r * slotStride] } }
  }

  /// The logits of the batch: ``decryptScores(_:)`` divided by 2^F. Each is
  /// within ``FixedPointLinearModel/errorBound`` of the model's exact logit.
  /// - Throws: as ``decryptScores(_:)``.
  public func decryptLogits(_ scores: BFVEncryptedScores) throws -> [Double] {
    try decryptScores(scores).map(encoding.logit)
  }
}
