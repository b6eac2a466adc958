import BFV

/// The public material a BFV scoring server works with, one entry per
/// plaintext modulus t_i: public keys (for noise flooding), and, when the
/// computation needs them, relinearisation keys (ciphertext products) and
/// Galois keys (rotations).
///
/// The key holder makes it with ``BFVBatchClient/evaluationKeys(rotationSteps:relinearization:)``
/// (or ``BFVRecordClient/evaluationKeys``), generating only what the chosen
/// scorer needs, and sends it once; none of it can decrypt. Every server
/// entry point of EncryptedScoring takes this, never a `BFV.SecretKey`.
///
/// - Warning: an evaluation key is an encryption of a function of the secret
///   key: it is safe to publish under the usual circular-security assumption
///   of BFV, like the public key.
public struct BFVEvaluationKeys: Sendable {
  /// One public key per plaintext modulus.
  public let publicKeys: [BFV.PublicKey]
  /// One relinearisation key per plaintext modulus, when products are needed.
  public let relinearizationKeys: [BFV.RelinearizationKey]?
  /// One set of Galois keys per plaintext modulus, when rotations are needed.
  public let galoisKeys: [BFV.GaloisKeys]?

  /// Keys from their parts (for formats and transport).
  public init(
    publicKeys: [BFV.PublicKey], relinearizationKeys: [BFV.RelinearizationKey]? = nil,
    galoisKeys: [BFV.GaloisKeys]? = nil
  ) {
    self.publicKeys = publicKeys
    self.relinearizationKeys = relinearizationKeys
    self.galoisKeys = galoisKeys
  }

  /// The public keys, checked to be one per parameter set and of those parameters.
  /// - Throws: ``ScoringError/missingEvaluationKey(_:)``.
  func publicKeys(for parameters: [BFV.Parameters]) throws -> [BFV.PublicKey] {
    try Self.check(publicKeys, \.parameters, parameters, "public keys")
  }

  /// The relinearisation keys, checked.
  /// - Throws: ``ScoringError/missingEvaluationKey(_:)``.
  func relinearizationKeys(for parameters: [BFV.Parameters]) throws -> [BFV.RelinearizationKey] {
    try Self.check(relinearizationKeys ?? [], \.parameters, parameters, "relinearisation keys")
  }

  /// The Galois keys, checked to hold every step (left rotations of the rows).
  /// - Throws: ``ScoringError/missingEvaluationKey(_:)`` without keys for
  ///   these parameters; `BFVError.missingGaloisKey(step:)` for a missing step.
  func galoisKeys(for parameters: [BFV.Parameters], steps: [Int]) throws -> [BFV.GaloisKeys] {
    let keys = try Self.check(galoisKeys ?? [], \.parameters, parameters, "Galois keys")
    for (key, p) in zip(keys, parameters) {
      let held = Set(key.galoisElements)
      for step in steps where !held.contains(Self.galoisElement(step: step, degree: p.degree)) {
        throw BFVError.missingGaloisKey(step: step)
      }
    }
    return keys
  }

  /// The Galois element of a left row rotation by `step`: 5^step mod 2N
  /// (BFV's slot order, documented on `BFV.GaloisKeys`).
  static func galoisElement(step: Int, degree: Int) -> Int {
    let half = degree / 2
    var e = ((step % half) + half) % half
    var result = 1
    var g = 5
    while e > 0 {
      if e & 1 == 1 { result = result * g % (2 * degree) }
      g = g * g % (2 * degree)
      e >>= 1
    }
    return result
  }

  private static func check<Key>(
    _ keys: [Key], _ keyParameters: KeyPath<Key, BFV.Parameters>, _ parameters: [BFV.Parameters], _ what: String
  ) throws -> [Key] {
    guard keys.count == parameters.count else {
      throw ScoringError.missingEvaluationKey(
        "\(keys.isEmpty ? "no" : "\(keys.count)") \(what) for \(parameters.count) plaintext moduli")
    }
    for (key, p) in zip(keys, parameters) where !key[keyPath: keyParameters].isSame(as: p) {
      throw ScoringError.missingEvaluationKey("\(what) of other BFV parameters than the scorer's")
    }
    return keys
  }
}

extension BFVBatchClient {
  /// The public material a server needs, generated from this client's secret
  /// keys: the public keys, plus Galois keys for exactly `rotationSteps`
  /// (no column swap) and relinearisation keys when asked.
  ///
  /// Generate only what the scorer needs: ``BFVBatchScorer`` needs nothing,
  /// ``BFVRecordScorer`` the steps ``BFVRecordScorer/rotationSteps``,
  /// ``BFVSigmoidScorer`` relinearisation, ``BFVLabelScorer`` the public keys.
  /// - Complexity: per plaintext modulus, L key-switching rows for the
  ///   relinearisation key and for each rotation step.
  public func evaluationKeys(rotationSteps: [Int] = [], relinearization: Bool = false) -> BFVEvaluationKeys {
    BFVEvaluationKeys(
      publicKeys: publicKeys,
      relinearizationKeys: relinearization ? secretKeys.map { $0.relinearizationKey() } : nil,
      galoisKeys: rotationSteps.isEmpty
        ? nil : secretKeys.map { $0.galoisKeys(steps: rotationSteps, includeColumnSwap: false) })
  }
}
