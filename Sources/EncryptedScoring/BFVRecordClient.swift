import BFV
import BigNum
import Tabular

/// The key holder's side of ``BFVRecordScorer``: packs records into blocks,
/// encrypts them, generates the server's public material (public keys and
/// Galois keys for the scorer's rotation steps only) and decrypts the
/// results.
///
/// It shares the keys, the CRT and the decryption of every output with a
/// ``BFVBatchClient`` (``batchClient``), so one key holder can use both layouts
/// of one scorer's parameters.
///
/// - Warning: holds the secret keys. Send the server only ``evaluationKeys``
///   and the packed records; never send decrypted results back (IND-CPA^D).
public struct BFVRecordClient: Sendable {
  /// The keys, CRT and decryption, shared with the batch layout.
  public let batchClient: BFVBatchClient
  /// B: the slots per record.
  public let blockSize: Int
  /// What the server needs: the public keys and Galois keys for exactly
  /// ``BFVRecordScorer/rotationSteps`` (plus relinearisation keys when asked
  /// for at initialisation). No secret.
  public let evaluationKeys: BFVEvaluationKeys

  /// The fixed-point model the scorer uses (public).
  public var encoding: FixedPointLinearModel { batchClient.encoding }
  /// The scorer's parameter sets, one per plaintext modulus.
  public var parameters: [BFV.Parameters] { batchClient.parameters }
  /// The records one ciphertext per modulus holds: N/B.
  public var recordsPerCiphertext: Int { parameters[0].slotCount / blockSize }

  /// Fresh keys (from the operating system's CSPRNG) for `scorer`.
  /// - Parameters:
  ///   - scorer: the server's scorer (public).
  ///   - relinearization: also generate relinearisation keys, for a
  ///     ``BFVSigmoidScorer`` on top.
  /// - Complexity: per modulus, a key pair and log2 B Galois keys.
  public init(for scorer: BFVRecordScorer, relinearization: Bool = false) {
    let client = BFVBatchClient(encoding: scorer.encoding, plaintext: scorer.scorer.plaintext)
    self.batchClient = client
    self.blockSize = scorer.blockSize
    self.evaluationKeys = client.evaluationKeys(
      rotationSteps: scorer.rotationSteps, relinearization: relinearization)
  }

  /// The record layout on the keys of an existing batch client (same
  /// parameters as `scorer`).
  /// - Throws: ``ScoringError/layoutMismatch(reason:)`` when the client's
  ///   parameters are not the scorer's.
  public init(_ client: BFVBatchClient, for scorer: BFVRecordScorer, relinearization: Bool = false) throws {
    guard client.parameters.count == scorer.parameters.count,
      zip(client.parameters, scorer.parameters).allSatisfy({ $0.isSame(as: $1) }),
      client.encoding == scorer.encoding
    else {
      throw ScoringError.layoutMismatch(reason: "the client's keys belong to other parameters or another model")
    }
    self.batchClient = client
    self.blockSize = scorer.blockSize
    self.evaluationKeys = client.evaluationKeys(
      rotationSteps: scorer.rotationSteps, relinearization: relinearization)
  }

  /// Quantises up to N/B records and packs record b into block b, one
  /// ciphertext per plaintext modulus.
  /// - Throws: ``TabularError/emptyInput(what:)`` for no records;
  ///   ``TabularError/featureMismatch(expected:found:)`` or
  ///   ``ScoringError/valueOutOfRange(feature:value:range:)`` from
  ///   ``FixedPointLinearModel/quantize(_:)``; `BFVError.tooManyValues(count:capacity:)`
  ///   for more than N/B records.
  /// - Complexity: K encodings and encryptions.
  public func encrypt(_ records: [[Double]]) throws -> BFVPackedRecords {
    guard !records.isEmpty else { throw TabularError.emptyInput(what: "no records to encrypt") }
    guard records.count <= recordsPerCiphertext else {
      throw BFVError.tooManyValues(count: records.count, capacity: recordsPerCiphertext)
    }
    let quantized = try records.map { try encoding.quantize($0) }
    let (parameters, publicKeys, block) = (parameters, batchClient.publicKeys, blockSize)
    let ciphertexts = try parallelMap(parameters.count) { i in
      let t = Int64(parameters[i].plaintextModulus)
      var slots = [UInt64](repeating: 0, count: parameters[i].slotCount)
      for (b, record) in quantized.enumerated() {
        for (j, x) in record.enumerated() {
          let r = x % t
          slots[b * block + j] = UInt64(r < 0 ? r + t : r)
        }
      }
      return try publicKeys[i].encrypt(try BFV.Encoder(parameters: parameters[i]).encode(slots))
    }
    return BFVPackedRecords(count: records.count, blockSize: blockSize, ciphertexts: ciphertexts)
  }

  /// The exact fixed-point scores, as ``BFVBatchClient/decryptScores(_:)``.
  public func decryptScores(_ scores: BFVEncryptedScores) throws -> [Int128] {
    try batchClient.decryptScores(scores)
  }

  /// The logits, each within ``FixedPointLinearModel/errorBound`` of the
  /// model's exact logit, as ``BFVBatchClient/decryptLogits(_:)``.
  public func decryptLogits(_ scores: BFVEncryptedScores) throws -> [Double] {
    try batchClient.decryptLogits(scores)
  }

  /// The labels of a ``BFVLabelScorer``'s output, as ``BFVBatchClient/decryptLabels(_:)``.
  public func decryptLabels(_ labels: BFVEncryptedLabels) throws -> [Int] {
    try batchClient.decryptLabels(labels)
  }

  /// The probabilities of a ``BFVSigmoidScorer``'s output, as
  /// ``BFVBatchClient/decryptProbabilities(_:)``.
  public func decryptProbabilities(_ probabilities: BFVEncryptedProbabilities) throws -> [Double] {
    try batchClient.decryptProbabilities(probabilities)
  }
}
