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
  let basis: ResidueBasis

  /// Fresh keys (from the operating system's CSPRNG) for `scorer`'s parameters.
  public init(for scorer: BFVBatchScorer) {
    self.init(encoding: scorer.encoding, parameters: scorer.parameters)
  }

  /// Fresh keys for given parameter sets (the scorers of every layout and
  /// output share them).
  init(encoding: FixedPointLinearModel, parameters: [BFV.Parameters]) {
    self.encoding = encoding
    self.parameters = parameters
    secretKeys = parameters.map { BFV.SecretKey(parameters: $0) }
    publicKeys = secretKeys.map { $0.publicKey() }
    basis = ResidueBasis(parameters.map(\.plaintextModulus))
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
  ///   number of moduli; ``EncryptedMLError/layoutMismatch(reason:)`` for a
  ///   count or stride that does not fit the slots;
  ///   ``EncryptedMLError/invalidResult(reason:)`` for a value outside the
  ///   range of this model's scores (not one its scorer computed);
  ///   `BFVError` from decryption.
  public func decryptScores(_ scores: BFVEncryptedScores) throws -> [Int128] {
    let residues = try decryptResidues(scores.ciphertexts, count: scores.count, slotStride: scores.slotStride)
    let limit = encoding.scoreMagnitude
    return try residues.map { slot in
      guard let value = basis.centredInt128(slot), value.magnitude <= limit else {
        throw EncryptedMLError.invalidResult(
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
      throw EncryptedMLError.invalidModel(
        reason: "\(ciphertexts.count) result ciphertexts for \(parameters.count) plaintext moduli")
    }
    let slots = parameters[0].slotCount
    guard (0...slots).contains(count), (1...slots).contains(slotStride), count == 0 || (count - 1) * slotStride < slots
    else {
      throw EncryptedMLError.layoutMismatch(
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

/// Garner's mixed-radix CRT over pairwise distinct primes t_0, …, t_{K−1}
/// (odd, below 2^31): K residues to the centred integer in (−T/2, T/2),
/// T = ∏ t_i, for any K (T may pass 2^128).
///
/// The value v ∈ [0, T) is first written in mixed radix, v = a_0 + a_1·t_0 +
/// a_2·t_0·t_1 + …, with word arithmetic only; the digits of T − 1 − v are
/// t_i − 1 − a_i, so the sign of the centred value is a comparison of digits
/// from the top, and its magnitude is composed only as wide as it is.
public struct ResidueBasis: Sendable {
  /// The primes t_i.
  public let moduli: [UInt64]
  /// Garner's constants: (t_0·…·t_{i−1})⁻¹ mod t_i.
  let inverses: [UInt64]

  /// - Parameter moduli: pairwise distinct odd primes below 2^31 (the
  ///   plaintext moduli of a batch; checked where the keys are read).
  public init(_ moduli: [UInt64]) {
    self.moduli = moduli
    inverses = moduli.indices.map { i in
      let t = moduli[i]
      var prefix: UInt64 = 1
      for k in 0..<i { prefix = BFVBatchClient.mulmod(prefix, moduli[k] % t, t) }
      return BFVBatchClient.powmod(prefix, t - 2, t)  // t is prime
    }
  }

  /// The mixed-radix digits a_i ∈ [0, t_i) of the value with these residues.
  func digits(_ residues: [UInt64]) -> [UInt64] {
    var digits: [UInt64] = []
    digits.reserveCapacity(moduli.count)
    for i in moduli.indices {
      let t = moduli[i]
      // The value of the digits so far, mod t (Horner from the top digit).
      var partial: UInt64 = 0
      for k in stride(from: i - 1, through: 0, by: -1) {
        partial = (BFVBatchClient.mulmod(partial, moduli[k] % t, t) + digits[k] % t) % t
      }
      let difference = (residues[i] % t + t - partial) % t
      digits.append(BFVBatchClient.mulmod(difference, inverses[i], t))
    }
    return digits
  }

  /// Whether the centred value is negative (v > (T − 1)/2), and the digits of
  /// the non-negative number m with centred value m or −(m + 1).
  func centredDigits(_ residues: [UInt64]) -> (negative: Bool, digits: [UInt64]) {
    let a = digits(residues)
    var negative = false
    for i in stride(from: moduli.count - 1, through: 0, by: -1) {
      let complement = moduli[i] - 1 - a[i]
      if a[i] != complement {
        negative = a[i] > complement
        break
      }
    }
    return negative ? (true, a.indices.map { moduli[$0] - 1 - a[$0] }) : (false, a)
  }

  /// Whether the centred value of the residues is negative.
  func isNegative(_ residues: [UInt64]) -> Bool { centredDigits(residues).negative }

  /// The centred value, or `nil` when it does not fit an Int128.
  public func centredInt128(_ residues: [UInt64]) -> Int128? {
    let (negative, d) = centredDigits(residues)
    var m: UInt128 = 0
    for k in stride(from: d.count - 1, through: 0, by: -1) {
      let (product, o1) = m.multipliedReportingOverflow(by: UInt128(moduli[k]))
      let (sum, o2) = product.addingReportingOverflow(UInt128(d[k]))
      if o1 || o2 { return nil }
      m = sum
    }
    guard m <= UInt128(Int128.max) else { return nil }
    return negative ? -Int128(m) - 1 : Int128(m)
  }

  /// The centred value, exactly.
  public func centred(_ residues: [UInt64]) -> BigInteger {
    let (negative, d) = centredDigits(residues)
    var m = BigInteger(0)
    for k in stride(from: d.count - 1, through: 0, by: -1) {
      m = m * BigInteger(moduli[k]) + BigInteger(d[k])
    }
    return negative ? -m - BigInteger(1) : m
  }
}
