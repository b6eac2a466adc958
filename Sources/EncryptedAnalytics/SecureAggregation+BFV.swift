import BFV
import BigNum
import DifferentialPrivacy
import Tabular

extension SecureAggregation {
  /// The public parameters of BFV secure aggregation: the encoding, and the
  /// plaintext space that makes the sum of `maximumParties` vectors (plus
  /// noise headroom) exact by CRT. Coordinate i of a vector sits in slot
  /// i mod N of ciphertext ⌊i/N⌋; no rotation is needed, so no Galois key,
  /// and flooding works from N = 4096.
  public struct BFVContext: Sendable {
    /// The public encoding.
    public let encoding: VectorEncoding
    /// The plaintext moduli and their parameter sets.
    public let space: BFVPlaintextSpace
    /// The most parties the sum is sized for.
    public let maximumParties: Int

    /// The number of ciphertexts per modulus one vector takes: ⌈d/N⌉.
    public var ciphertextsPerVector: Int { (encoding.dimension + space.degree - 1) / space.degree }

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
      guard maximumParties >= 1, (0...64).contains(headroomBits) else {
        throw AnalyticsError.invalidRequest(reason: "use at least one party and 0...64 headroom bits")
      }
      let largest = BigInteger(maximumParties) * encoding.maximumMagnitude << headroomBits
      space = try BFVPlaintextSpace(largest: largest, preset: preset, plaintextBitWidth: plaintextBitWidth, rotationSteps: nil)
      self.encoding = encoding
      self.maximumParties = maximumParties
    }

    /// A vector's coordinates in chunks of N, one per ciphertext.
    func chunks(_ values: [BigInteger]) -> [[BigInteger]] {
      stride(from: 0, to: values.count, by: space.degree).map { Array(values[$0..<min($0 + space.degree, values.count)]) }
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
      try context.space.check(publicKeys.map(\.parameters))
      self.context = context
      self.publicKeys = publicKeys
    }

    /// The encrypted vector: `[modulus][chunk]`.
    /// - Throws: as ``VectorEncoding/quantize(_:)``; `BFVError`.
    public func encrypt(_ vector: [Double]) throws -> [[BFV.Ciphertext]] {
      let chunks = try context.chunks(context.encoding.quantize(vector))
      return try context.space.encrypt(batches: chunks.count, with: publicKeys) { chunks[$0] }
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
      try context.space.check(publicKeys.map(\.parameters))
      self.context = context
      self.publicKeys = publicKeys
    }

    /// Adds one party's encrypted vector.
    /// - Throws: ``AnalyticsError/tooManyRecords(count:maximum:)`` past
    ///   `maximumParties`; ``AnalyticsError/invalidRequest(reason:)`` for
    ///   another shape; `BFVError/parameterMismatch`.
    public mutating func add(_ update: [[BFV.Ciphertext]]) throws {
      guard update.count == context.space.moduliCount, update.allSatisfy({ $0.count == context.ciphertextsPerVector }) else {
        throw AnalyticsError.invalidRequest(reason: "an update of another shape than this context's")
      }
      guard parties < context.maximumParties else {
        throw AnalyticsError.tooManyRecords(count: parties + 1, maximum: context.maximumParties)
      }
      sum = try sum?.adding(update) ?? update
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
      try context.space.checkFits(BigInteger(parties) * context.encoding.maximumMagnitude + (samples?.map(\.magnitude).max() ?? 0))
      let (noise, space, keys) = (samples.map(context.chunks), context.space, publicKeys)
      let ciphertexts = try context.space.perModulus(batches: context.ciphertextsPerVector) { i, chunk in
        var total = sum[i][chunk]
        if let noise { try total.add(space.encode(noise[chunk], modulus: i)) }
        if flooding { try total.floodNoise(using: keys[i]) }
        return total
      }
      return BFVAggregate(context: context, parties: parties, ciphertexts: ciphertexts, privacy: statement)
    }
  }

  /// An encrypted sum of parties' vectors under BFV: `[modulus][chunk]`.
  public struct BFVAggregate: Sendable {
    /// The public context.
    public let context: BFVContext
    /// The number of parties summed (in the clear).
    public let parties: Int
    /// The encrypted sum.
    public let ciphertexts: [[BFV.Ciphertext]]
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
  }
}

extension BFVKeyHolder {
  /// Decrypts an aggregate into the sum and mean of the parties' vectors.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for an aggregate
  ///   of another shape; `BFVError` from decryption.
  public func decrypt(_ aggregate: SecureAggregation.BFVAggregate) throws -> SecureAggregation.Result {
    let context = aggregate.context
    let slots = try self.slots(aggregate.ciphertexts, batches: context.ciphertextsPerVector)
    let n = space.degree
    let totals = (0..<context.encoding.dimension).map { c in space.crt.centred(slots.map { $0[c / n][c % n] }) }
    return SecureAggregation.Result(
      parties: aggregate.parties, totals: totals, fractionBits: context.encoding.fractionBits, privacy: aggregate.privacy)
  }
}
