import BFV
import BigNum

/// The BFV side shared by ``Analytics`` and ``SecureAggregation``: one
/// parameter set per batching prime t_i (one ring, one q), as many primes as
/// make the largest total exact by CRT over T = ∏ t_i, and the Galois steps
/// the aggregator rotates by (none for vector sums).
public struct BFVPlaintextSpace: Sendable {
  /// The primes t_i, their parameter sets and the CRT composition.
  public let crt: BFV.PlaintextCRT
  /// The row rotations the aggregator needs Galois keys for (with the row
  /// swap); `nil`: no rotation, no Galois key.
  public let rotationSteps: [Int]?

  /// One parameter set per plaintext modulus (same N and q).
  public var parameters: [BFV.Parameters] { crt.parameters }
  /// The number of plaintext moduli K.
  public var moduliCount: Int { crt.parameters.count }
  /// The ring degree N.
  public var degree: Int { crt.parameters[0].degree }
  /// ⌊log2 T⌋.
  public var plaintextBits: Int { crt.bits }

  /// The fewest `width`-bit primes whose product holds every total in
  /// `[−largest, largest]`.
  /// - Parameter plaintextBitWidth: 16...30; `nil` means 20 at N = 4096 and 30 above.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a bad width;
  ///   ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)`` when 16
  ///   primes are too few; `BFVError` from the parameters.
  init(largest: BigInteger, preset: BFV.Preset, plaintextBitWidth: Int?, rotationSteps: [Int]?) throws {
    let width = plaintextBitWidth ?? (preset == .n4096 ? 20 : 30)
    guard (16...30).contains(width) else {
      throw AnalyticsError.invalidRequest(reason: "plaintext moduli of \(width) bits: use 16 to 30")
    }
    // The fewest of the (at most 16) batching primes whose product exceeds 2^needed.
    let needed = (2 * largest + 1).bitWidth
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: width, degree: preset.degree, atMost: 16)
    guard !primes.isEmpty else {
      throw AnalyticsError.invalidRequest(reason: "no \(width)-bit prime is 1 mod 2N: use wider plaintext moduli")
    }
    var (used, product) = (1, BigInteger(primes[0]))
    while product.bitWidth - 1 < needed && used < primes.count {
      product *= BigInteger(primes[used])
      used += 1
    }
    guard product.bitWidth - 1 >= needed else {
      throw AnalyticsError.doesNotFitPlaintext(needBits: needed, haveBits: product.bitWidth - 1)
    }
    crt = try BFV.PlaintextCRT(preset: preset, plaintextModuli: Array(primes.prefix(used)))
    self.rotationSteps = rotationSteps
  }

  /// Checks keys (given by their parameters) against the space: one per modulus, in order.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` otherwise.
  func check(_ keys: [BFV.Parameters]) throws {
    guard keys.count == moduliCount, zip(keys, parameters).allSatisfy({ $0.identity == $1.identity }) else {
      throw AnalyticsError.invalidRequest(reason: "the keys do not match the context's parameters")
    }
  }

  /// Checks that a total of magnitude at most `bound` cannot wrap modulo T.
  /// - Throws: ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)`` unless `bound < T/2`.
  func checkFits(_ bound: BigInteger) throws {
    guard bound < crt.modulus >> 1 else {
      throw AnalyticsError.doesNotFitPlaintext(needBits: (2 * bound + 1).bitWidth, haveBits: plaintextBits)
    }
  }

  /// Checks that the noise can be flooded, if asked.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for flooding after
  ///   rotations at N = 4096 (about 30 bits of noise budget remain: too few
  ///   to hide the noise to 2⁻⁴⁰).
  func checkFlooding(_ flooding: Bool) throws {
    if flooding && rotationSteps != nil && degree < 8192 {
      throw AnalyticsError.invalidRequest(
        reason: "noise flooding after the slot sums needs N >= 8192: N = 4096 keeps about 30 bits of noise budget, too few to hide the noise to 2^-40")
    }
  }

  /// `x mod t` in [0, t).
  static func residue(_ x: BigInteger, _ t: UInt64) -> UInt64 {
    if let word = x.intValue, let modulus = Int(exactly: t) {  // the usual case: no allocation
      let r = word % modulus
      return UInt64(r < 0 ? r + modulus : r)
    }
    return UInt64((try? x.modulo(BigInteger(t)))?.uintValue ?? 0)  // t > 0
  }

  /// Slots (at most N, the rest 0) modulo t_i, encoded.
  func encode(_ slots: [BigInteger], modulus i: Int) throws -> BFV.Plaintext {
    let t = parameters[i].plaintextModulus
    return try BFV.Encoder(parameters: parameters[i]).encode(slots.map { Self.residue($0, t) })
  }

  /// Per modulus i and batch b, the slots `batch(b)` (at most N) mod t_i
  /// encrypted under `keys[i]`, over all cores.
  func encrypt(batches: Int, with keys: [BFV.PublicKey], _ batch: @Sendable (Int) -> [BigInteger]) throws -> [[BFV.Ciphertext]] {
    try perModulus(batches: batches) { i, b in try keys[i].encrypt(encode(batch(b), modulus: i)) }
  }

  /// `body(i, b)` for every modulus i and batch b, over all cores: `[i][b]`.
  func perModulus<T: Sendable>(batches: Int, _ body: @Sendable (Int, Int) throws -> T) throws -> [[T]] {
    let k = moduliCount
    let flat = try parallelMap(k * batches) { task in
      let (i, b) = task.quotientAndRemainder(dividingBy: batches)
      return try body(i, b)
    }
    return (0..<k).map { Array(flat[($0 * batches)..<(($0 + 1) * batches)]) }
  }
}

/// The key holder of BFV analytics and secure aggregation: one key pair per
/// plaintext modulus, the Galois keys the aggregator needs, and decryption
/// of releases and aggregates.
///
/// - Warning: holds the secret keys. Give clients and parties ``publicKeys``,
///   the aggregator ``publicKeys`` and ``galoisKeys``; never send a decrypted
///   result back to the aggregator unless it flooded the noise.
public struct BFVKeyHolder: Sendable {
  /// The public plaintext space.
  public let space: BFVPlaintextSpace
  /// One public key per modulus.
  public let publicKeys: [BFV.PublicKey]
  /// One set of Galois keys per modulus for the space's rotation steps and
  /// the row swap (public material, for the aggregator); empty without rotations.
  public let galoisKeys: [BFV.GaloisKeys]
  let secretKeys: [BFV.SecretKey]

  /// Fresh keys from the operating system's CSPRNG.
  /// - Complexity: per modulus, one key pair and one Galois key per rotation step plus one.
  public init(space: BFVPlaintextSpace) {
    self.space = space
    let (parameters, steps) = (space.parameters, space.rotationSteps)
    let keys = parallelMap(parameters.count) { i -> (BFV.SecretKey, BFV.PublicKey, BFV.GaloisKeys?) in
      let secret = BFV.SecretKey(parameters: parameters[i])
      return (secret, secret.publicKey(), steps.map { secret.galoisKeys(steps: $0, includeColumnSwap: true) })
    }
    secretKeys = keys.map(\.0)
    publicKeys = keys.map(\.1)
    galoisKeys = keys.compactMap(\.2)
  }

  /// Keys for an analytics context.
  public init(context: Analytics.BFVContext) { self.init(space: context.space) }

  /// Keys for a secure-aggregation context.
  public init(context: SecureAggregation.BFVContext) { self.init(space: context.space) }

  /// The slots of `ciphertexts[i][b]` (modulo t_i), over all cores.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` unless there are
  ///   `batches` ciphertexts per modulus; `BFVError` from decryption.
  func slots(_ ciphertexts: [[BFV.Ciphertext]], batches: Int) throws -> [[[UInt64]]] {
    guard ciphertexts.count == space.moduliCount, ciphertexts.allSatisfy({ $0.count == batches }) else {
      throw AnalyticsError.invalidRequest(reason: "ciphertexts of another shape than this context's")
    }
    let (parameters, secretKeys) = (space.parameters, secretKeys)
    return try space.perModulus(batches: batches) { i, b in
      try BFV.Encoder(parameters: parameters[i]).decode(secretKeys[i].decrypt(ciphertexts[i][b]))
    }
  }
}

extension Array where Element == [BFV.Ciphertext] {
  /// The slot-wise sum of two `[modulus][batch]` tables of one shape.
  func adding(_ other: Self) throws -> Self { try zip(self, other).map { try zip($0, $1).map { try $0 + $1 } } }
}
