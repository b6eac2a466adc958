import BigNum
import BFV

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
/// modulus, slot r holding record r's score mod t_i.
public struct BFVEncryptedScores: Sendable {
  /// The number of records scored.
  public let count: Int
  /// `ciphertexts[i]`: the scores mod t_i.
  public let ciphertexts: [BFV.Ciphertext]

  /// Scores from their parts (for formats and transport).
  public init(count: Int, ciphertexts: [BFV.Ciphertext]) {
    self.count = count
    self.ciphertexts = ciphertexts
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
  /// Garner's constants: (t_0·…·t_{i−1})⁻¹ mod t_i.
  let garnerInverses: [UInt64]

  /// Fresh keys (from the operating system's CSPRNG) for `scorer`'s parameters.
  public init(for scorer: BFVBatchScorer) {
    encoding = scorer.encoding
    parameters = scorer.parameters
    secretKeys = parameters.map { BFV.SecretKey(parameters: $0) }
    publicKeys = secretKeys.map { $0.publicKey() }
    let moduli = parameters.map(\.plaintextModulus)
    garnerInverses = moduli.indices.map { i in
      let t = moduli[i]
      var prefix: UInt64 = 1
      for k in 0..<i { prefix = Self.mulmod(prefix, moduli[k] % t, t) }
      return Self.powmod(prefix, t - 2, t)  // t is prime
    }
  }

  /// Quantises and encrypts up to N records (rows of feature values in the
  /// model's order).
  /// - Throws: ``EncryptedMLError/emptyInput(what:)`` for no records;
  ///   ``EncryptedMLError/featureMismatch(expected:found:)`` or
  ///   ``EncryptedMLError/valueOutOfRange(feature:value:range:)`` from
  ///   ``FixedPointLinearModel/quantize(_:)``; `BFVError/tooManyValues(count:capacity:)`
  ///   for more than N records.
  /// - Complexity: K·d encodings and encryptions, spread over all cores.
  public func encrypt(_ records: [[Double]]) throws -> BFVEncryptedBatch {
    guard !records.isEmpty else { throw EncryptedMLError.emptyInput(what: "no records to encrypt") }
    let capacity = parameters[0].slotCount
    guard records.count <= capacity else { throw BFVError.tooManyValues(count: records.count, capacity: capacity) }
    let quantized = try records.map { try encoding.quantize($0) }
    let d = encoding.features.count
    let (parameters, publicKeys) = (parameters, publicKeys)
    // One task per (modulus i, feature j), over all cores.
    let flat = try parallelMap(parameters.count * d) { k in
      let (i, j) = k.quotientAndRemainder(dividingBy: d)
      let t = Int64(parameters[i].plaintextModulus)
      let slots = quantized.map { record in
        let r = record[j] % t
        return UInt64(r < 0 ? r + t : r)
      }
      return try publicKeys[i].encrypt(try BFV.Encoder(parameters: parameters[i]).encode(slots))
    }
    let ciphertexts = parameters.indices.map { i in Array(flat[(i * d)..<((i + 1) * d)]) }
    return BFVEncryptedBatch(count: records.count, ciphertexts: ciphertexts)
  }

  /// The fixed-point scores `S` of the batch, recombined from the K residues
  /// (Garner's mixed-radix CRT) and centred in (−T/2, T/2).
  /// - Throws: ``EncryptedMLError/invalidModel(reason:)`` for scores of another
  ///   number of moduli; `BFVError` from decryption.
  public func decryptScores(_ scores: BFVEncryptedScores) throws -> [Int128] {
    guard scores.ciphertexts.count == parameters.count else {
      throw EncryptedMLError.invalidModel(
        reason: "\(scores.ciphertexts.count) score ciphertexts for \(parameters.count) plaintext moduli")
    }
    let (parameters, secretKeys) = (parameters, secretKeys)
    let residues = try parallelMap(parameters.count) { i in
      try BFV.Encoder(parameters: parameters[i]).decode(secretKeys[i].decrypt(scores.ciphertexts[i]))
    }
    let moduli = parameters.map(\.plaintextModulus)
    var product: UInt128 = 1
    for t in moduli { product *= UInt128(t) }
    let count = max(0, min(scores.count, residues[0].count))
    return (0..<count).map { r in
      // value = a_0 + a_1·t_0 + a_2·t_0·t_1 + …, each a_i in [0, t_i).
      var value: UInt128 = 0
      var radix: UInt128 = 1
      for i in moduli.indices {
        let t = moduli[i]
        let current = UInt64(value % UInt128(t))
        let difference = (residues[i][r] + t - current) % t
        let digit = Self.mulmod(difference, garnerInverses[i], t)
        value += UInt128(digit) * radix
        radix *= UInt128(t)
      }
      return value > product / 2 ? -Int128(product - value) : Int128(value)
    }
  }

  /// The logits of the batch: ``decryptScores(_:)`` divided by 2^F. Each is
  /// within ``FixedPointLinearModel/errorBound`` of the model's exact logit.
  /// - Throws: as ``decryptScores(_:)``.
  public func decryptLogits(_ scores: BFVEncryptedScores) throws -> [Double] {
    try decryptScores(scores).map(encoding.logit)
  }

  static func mulmod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    return m.dividingFullWidth((high % m, low)).remainder
  }

  static func powmod(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
    var result: UInt64 = 1 % m
    var b = base % m
    var e = exponent
    while e > 0 {
      if e & 1 == 1 { result = mulmod(result, b, m) }
      b = mulmod(b, b, m)
      e >>= 1
    }
    return result
  }
}
