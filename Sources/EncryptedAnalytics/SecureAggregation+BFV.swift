import BFV
import BigNum
import DifferentialPrivacy
import Tabular

extension SecureAggregation {
  /// The public parameters of BFV secure aggregation: the encoding, and one
  /// BFV parameter set per plaintext prime t_i, as many as make the sum of
  /// `maximumParties` vectors (plus noise headroom) exact by CRT. Coordinate
  /// i of a vector sits in slot i mod N of ciphertext ⌊i/N⌋; no rotation is
  /// needed, so no Galois key, and flooding works from N = 4096.
  public struct BFVContext: Sendable {
    /// The public encoding.
    public let encoding: VectorEncoding
    /// The most parties the sum is sized for.
    public let maximumParties: Int
    /// The same analytics context machinery, one quantity per coordinate chunk.
    let parameters: [BFV.Parameters]
    /// The primes t_i, T and the CRT composition.
    let space: BFV.PlaintextCRT
    /// T = ∏ t_i.
    var crtModulus: BigInteger { space.modulus }

    /// The number of ciphertexts per modulus one vector takes: ⌈d/N⌉.
    public var ciphertextsPerVector: Int { (encoding.dimension + degree - 1) / degree }
    /// The number of plaintext moduli.
    public var moduliCount: Int { parameters.count }
    var degree: Int { parameters[0].degree }

    /// A context.
    /// - Parameters:
    ///   - preset: N and q; the default N = 4096 suffices here (additions only).
    ///   - plaintextBitWidth: the width of each prime t_i, 16...30 (default 20 at N = 4096, 30 above).
    ///   - maximumParties: the most vectors to add.
    ///   - headroomBits: room for differential-privacy noise, as in ``Analytics/BFVContext``.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)``,
    ///   ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)``; `BFVError`.
    public init(
      encoding: VectorEncoding, preset: BFV.Preset = .n4096, plaintextBitWidth: Int? = nil, maximumParties: Int = 1 << 16,
      headroomBits: Int = 16
    ) throws {
      let width = plaintextBitWidth ?? (preset == .n4096 ? 20 : 30)
      guard (16...30).contains(width), maximumParties >= 1, (0...64).contains(headroomBits) else {
        throw AnalyticsError.invalidRequest(
          reason: "use plaintext moduli of 16 to 30 bits, at least one party and 0...64 headroom bits")
      }
      let largest = BigInteger(maximumParties) * encoding.maximumMagnitude << headroomBits
      space = try .covering(bits: (2 * largest + 1).bitWidth, width: width, preset: preset)
      parameters = space.parameters
      self.encoding = encoding
      self.maximumParties = maximumParties
    }

    func combine(_ residues: [UInt64]) -> BigInteger { space.centred(residues) }

    /// Per modulus and chunk, the plaintext of `values` (coordinate order).
    func plaintexts(_ values: [BigInteger]) throws -> [[BFV.Plaintext]] {
      let (d, n) = (encoding.dimension, degree)
      return try parameters.map { p in
        let t = p.plaintextModulus
        let encoder = BFV.Encoder(parameters: p)
        return try (0..<ciphertextsPerVector).map { chunk in
          try encoder.encode(values[(chunk * n)..<min(d, chunk * n + n)].map { Analytics.BFVContext.residue($0, t) })
        }
      }
    }
  }

  /// The key holder under BFV: one key pair per plaintext modulus.
  /// - Warning: holds the secret keys; give parties and the aggregator ``publicKeys``.
  public struct BFVKeyHolder: Sendable {
    /// The public context.
    public let context: BFVContext
    /// One public key per modulus.
    public let publicKeys: [BFV.PublicKey]
    let secretKeys: [BFV.SecretKey]

    /// Fresh keys from the operating system's CSPRNG.
    public init(context: BFVContext) {
      self.context = context
      secretKeys = context.parameters.map { BFV.SecretKey(parameters: $0) }
      publicKeys = secretKeys.map { $0.publicKey() }
    }

    /// Decrypts an aggregate into the sum and mean of the parties' vectors.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for an
    ///   aggregate of another shape; `BFVError` from decryption.
    public func decrypt(_ aggregate: BFVAggregate) throws -> Result {
      let (k, chunks) = (context.moduliCount, context.ciphertextsPerVector)
      guard aggregate.ciphertexts.count == k, aggregate.ciphertexts.allSatisfy({ $0.count == chunks }) else {
        throw AnalyticsError.invalidRequest(reason: "an aggregate of another shape than this context's")
      }
      let (parameters, secretKeys) = (context.parameters, secretKeys)
      let slots = try parallelMap(k * chunks) { task -> [UInt64] in
        let (i, chunk) = task.quotientAndRemainder(dividingBy: chunks)
        return try BFV.Encoder(parameters: parameters[i]).decode(secretKeys[i].decrypt(aggregate.ciphertexts[i][chunk]))
      }
      let n = context.degree
      let totals = (0..<context.encoding.dimension).map { c in
        context.combine((0..<k).map { i in slots[i * chunks + c / n][c % n] })
      }
      return Result(
        parties: aggregate.parties, totals: totals, fractionBits: context.encoding.fractionBits, privacy: aggregate.privacy)
    }
  }

  /// A party under BFV: encrypts its vector with the key holder's public keys.
  public struct BFVParty: Sendable {
    /// The public context.
    public let context: BFVContext
    /// The key holder's public keys.
    public let publicKeys: [BFV.PublicKey]

    /// A party.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for keys of other parameters.
    public init(context: BFVContext, publicKeys: [BFV.PublicKey]) throws {
      guard publicKeys.count == context.moduliCount,
        zip(publicKeys, context.parameters).allSatisfy({ $0.parameters.identity == $1.identity })
      else {
        throw AnalyticsError.invalidRequest(reason: "the public keys do not match the context's parameters")
      }
      self.context = context
      self.publicKeys = publicKeys
    }

    /// The encrypted vector: `[modulus][chunk]`.
    /// - Throws: as ``VectorEncoding/quantize(_:)``; `BFVError`.
    public func encrypt(_ vector: [Double]) throws -> [[BFV.Ciphertext]] {
      let plain = try context.plaintexts(try context.encoding.quantize(vector))
      let (keys, chunks) = (publicKeys, context.ciphertextsPerVector)
      let flat = try parallelMap(context.moduliCount * chunks) { task in
        let (i, chunk) = task.quotientAndRemainder(dividingBy: chunks)
        return try keys[i].encrypt(plain[i][chunk])
      }
      return (0..<context.moduliCount).map { Array(flat[($0 * chunks)..<(($0 + 1) * chunks)]) }
    }
  }

  /// The aggregator under BFV: adds parties' encrypted vectors slot-wise.
  public struct BFVAggregator: Sendable {
    /// The public context.
    public let context: BFVContext
    let publicKeys: [BFV.PublicKey]
    private var sum: [[BFV.Ciphertext]]?
    /// The number of parties added.
    public private(set) var parties = 0

    /// An empty aggregator, with the key holder's public keys (for flooding).
    /// - Throws: as ``BFVParty/init(context:publicKeys:)``.
    public init(context: BFVContext, publicKeys: [BFV.PublicKey]) throws {
      _ = try BFVParty(context: context, publicKeys: publicKeys)
      self.context = context
      self.publicKeys = publicKeys
    }

    /// Adds one party's encrypted vector.
    /// - Throws: ``AnalyticsError/tooManyRecords(count:maximum:)`` past
    ///   `maximumParties`; ``AnalyticsError/invalidRequest(reason:)`` for
    ///   another shape; `BFVError/parameterMismatch`.
    public mutating func add(_ update: [[BFV.Ciphertext]]) throws {
      guard update.count == context.moduliCount, update.allSatisfy({ $0.count == context.ciphertextsPerVector }) else {
        throw AnalyticsError.invalidRequest(reason: "an update of another shape than this context's")
      }
      guard parties < context.maximumParties else {
        throw AnalyticsError.tooManyRecords(count: parties + 1, maximum: context.maximumParties)
      }
      if let current = sum {
        sum = try zip(current, update).map { try zip($0, $1).map { try $0 + $1 } }
      } else {
        sum = update
      }
      parties += 1
    }

    /// The encrypted sum, noised first if asked (one party's vector is the
    /// unit of privacy), with the ciphertext noise flooded by default.
    /// - Throws: ``TabularError/emptyInput(what:)`` before any party;
    ///   ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)`` if the sum
    ///   plus noise could wrap; ``DifferentialPrivacyError/invalidParameters(reason:)``; `BFVError`.
    public func release(privacy: DifferentialPrivacy.Mechanism? = nil, flooding: Bool = true) throws -> BFVAggregate {
      guard let sum else { throw TabularError.emptyInput(what: "no party's vector to aggregate") }
      let (samples, statement) = try SecureAggregation.noise(privacy, context.encoding)
      let bound = BigInteger(parties) * context.encoding.maximumMagnitude + (samples?.map(\.magnitude).max() ?? 0)
      guard bound < context.crtModulus >> 1 else {
        throw AnalyticsError.doesNotFitPlaintext(needBits: (2 * bound + 1).bitWidth, haveBits: context.crtModulus.bitWidth - 1)
      }
      let noise = try samples.map { try context.plaintexts($0) }
      let (k, chunks, keys) = (context.moduliCount, context.ciphertextsPerVector, publicKeys)
      let flat = try parallelMap(k * chunks) { task -> BFV.Ciphertext in
        let (i, chunk) = task.quotientAndRemainder(dividingBy: chunks)
        var total = sum[i][chunk]
        if let noise { try total.add(noise[i][chunk]) }
        if flooding { try total.floodNoise(using: keys[i]) }
        return total
      }
      return BFVAggregate(
        parties: parties, ciphertexts: (0..<k).map { Array(flat[($0 * chunks)..<(($0 + 1) * chunks)]) }, privacy: statement)
    }
  }

  /// An encrypted sum of parties' vectors under BFV: `[modulus][chunk]`.
  public struct BFVAggregate: Sendable {
    /// The number of parties summed (in the clear).
    public let parties: Int
    /// The encrypted sum.
    public let ciphertexts: [[BFV.Ciphertext]]
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
  }
}
