import BFV
import BigNum

import Foundation
import Tabular

extension Analytics {
  /// The public parameters of BFV analytics: the schema, the BFV parameter
  /// sets (one per plaintext modulus t_i, one ring), and the slot layout.
  ///
  /// **Layout.** Records sit in slots, their quantities interleaved with a
  /// stride Q (the smallest power of two above the number of quantities plus
  /// one): in each row of N/2 slots, column `k·Q + c` holds record k's
  /// quantity c (class 0 is a 1 per record, so the count comes out too). A
  /// ciphertext holds N/Q records; more records take more ciphertexts.
  ///
  /// **Aggregation.** The aggregator adds the ciphertexts slot-wise, then
  /// rotates by Q, 2Q, …, N/4 and swaps the rows, adding each time: every
  /// slot then holds the *complete* total of its class, so the key holder
  /// decrypts totals and nothing else (no partial sums of records, which the
  /// coefficient-encoding trick of summing all coefficients into one would
  /// leave in the other coefficients). That is log2(N/(2Q)) + 1 key switches
  /// per ciphertext and modulus, with Galois keys for those steps only.
  ///
  /// **Exactness.** Totals are computed modulo every t_i and recombined by
  /// CRT: exact while `2·|total| < T = ∏ t_i`. The context takes as many
  /// batching primes as make `T/2 > maximumRecords · max|X_q| · 2^headroomBits`
  /// for every quantity (and `2^weightBits` more for the values, for
  /// weighted sums); the aggregator checks the actual count, weights and
  /// noise against T before releasing and throws rather than wrap.
  public struct BFVContext: Sendable {
    /// The public schema.
    public let schema: Schema
    /// One parameter set per plaintext modulus (same N and q).
    public let parameters: [BFV.Parameters]
    /// The most records the totals are sized for.
    public let maximumRecords: Int
    /// The interleaving stride Q.
    public let stride: Int
    /// The primes t_i, T and the CRT composition.
    let space: BFV.PlaintextCRT
    /// T = ∏ t_i.
    var crtModulus: BigInteger { space.modulus }

    /// The number of records one ciphertext holds: N/Q.
    public var recordsPerCiphertext: Int { parameters[0].degree / stride }
    /// ⌊log2 T⌋.
    public var plaintextBits: Int { crtModulus.bitWidth - 1 }
    /// The row rotations the aggregator needs Galois keys for: Q, 2Q, …, N/4.
    public var rotationSteps: [Int] {
      Array(sequence(first: stride) { $0 * 2 }.prefix { $0 < parameters[0].degree / 2 })
    }

    /// A context.
    ///
    /// - Parameters:
    ///   - schema: the records' schema.
    ///   - preset: the ring degree N and q (t is replaced by the chosen primes).
    ///     N = 8192 (the default) keeps enough noise budget after the
    ///     rotations to flood the noise before release; N = 4096 does not.
    ///   - plaintextBitWidth: the width of each prime t_i, 16...30; `nil`
    ///     means 20 at N = 4096 and 30 above. Wider primes mean fewer of
    ///     them but less noise budget.
    ///   - maximumRecords: the most records (over all clients) to aggregate.
    ///   - headroomBits: room above the largest possible total for
    ///     differential-privacy noise: noise up to `(2^h − 1)` times the
    ///     largest total fits.
    ///   - weightBits: extra room on the value columns for weighted sums:
    ///     `Σ_r |W_r|` up to `maximumRecords · 2^weightBits` (W_r the
    ///     fixed-point weights).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a bad
    ///   width or too many quantities for N; ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)``
    ///   when 16 primes cannot hold the totals; `BFVError` from the parameters.
    public init(
      schema: Schema, preset: BFV.Preset = .n8192, plaintextBitWidth: Int? = nil, maximumRecords: Int = 1 << 20,
      headroomBits: Int = 16, weightBits: Int = 0
    ) throws {
      let width = plaintextBitWidth ?? (preset == .n4096 ? 20 : 30)
      guard (16...30).contains(width) else {
        throw AnalyticsError.invalidRequest(reason: "plaintext moduli of \(width) bits: use 16 to 30")
      }
      guard maximumRecords >= 1, (0...64).contains(headroomBits), (0...64).contains(weightBits) else {
        throw AnalyticsError.invalidRequest(reason: "maximumRecords must be positive and the headroom and weight bits in 0...64")
      }
      let degree = preset.degree
      var stride = 2
      while stride < schema.quantities.count + 1 { stride *= 2 }
      guard stride <= degree / 2 else {
        throw AnalyticsError.invalidRequest(
          reason: "\(schema.quantities.count) quantities per record do not fit N = \(degree) (at most \(degree / 2 - 1))")
      }
      var largest = BigInteger(maximumRecords) << headroomBits  // the count
      for quantity in schema.quantities {
        var bound = BigInteger(maximumRecords) * schema.maximumMagnitude(of: quantity) << headroomBits
        if case .value = quantity { bound <<= weightBits }
        largest = max(largest, bound)
      }
      space = try .covering(bits: (2 * largest + 1).bitWidth, width: width, preset: preset)
      parameters = space.parameters
      self.schema = schema
      self.maximumRecords = maximumRecords
      self.stride = stride
    }

    /// The slot (encoder index) of record k's class c in a ciphertext.
    func slot(record k: Int, class c: Int) -> Int {
      let perRow = parameters[0].degree / 2 / stride
      return (k / perRow) * (parameters[0].degree / 2) + (k % perRow) * stride + c
    }

    /// The class of a slot.
    func classOf(slot s: Int) -> Int { (s % (parameters[0].degree / 2)) % stride }

    /// The centred integer with residues `r_i` mod t_i.
    func combine(_ residues: [UInt64]) -> BigInteger { space.centred(residues) }

    /// `x mod t` in [0, t).
    static func residue(_ x: BigInteger, _ t: UInt64) -> UInt64 {
      UInt64((try? x.modulo(BigInteger(t)))?.uintValue ?? 0)  // t > 0
    }

    /// Every slot of class `c` (for `c` in `values`) set to its value mod t, the rest 0.
    func classPlaintext(_ values: [Int: BigInteger], modulus i: Int) throws -> BFV.Plaintext {
      let t = parameters[i].plaintextModulus
      let residues = values.mapValues { Self.residue($0, t) }
      let slots = (0..<parameters[i].degree).map { residues[classOf(slot: $0)] ?? 0 }
      return try BFV.Encoder(parameters: parameters[i]).encode(slots)
    }
  }

  /// The key holder under BFV: one key pair per plaintext modulus, the
  /// Galois keys the aggregator needs, and decryption of releases.
  ///
  /// - Warning: holds the secret keys. Give clients ``publicKeys``, the
  ///   aggregator ``publicKeys`` and ``galoisKeys``; never send a decrypted
  ///   result back to the aggregator unless it flooded the noise.
  public struct BFVKeyHolder: Sendable {
    /// The public context.
    public let context: BFVContext
    /// One public key per modulus.
    public let publicKeys: [BFV.PublicKey]
    /// One set of Galois keys per modulus, for ``BFVContext/rotationSteps``
    /// and the row swap (public material, for the aggregator).
    public let galoisKeys: [BFV.GaloisKeys]
    let secretKeys: [BFV.SecretKey]

    /// Fresh keys from the operating system's CSPRNG.
    /// - Complexity: per modulus, one key pair and log2(N/(2Q)) + 1 Galois keys.
    public init(context: BFVContext) {
      self.context = context
      let steps = context.rotationSteps
      let parameters = context.parameters
      let keys = parallelMap(parameters.count) { i -> (BFV.SecretKey, BFV.PublicKey, BFV.GaloisKeys) in
        let secret = BFV.SecretKey(parameters: parameters[i])
        return (secret, secret.publicKey(), secret.galoisKeys(steps: steps, includeColumnSwap: true))
      }
      secretKeys = keys.map(\.0)
      publicKeys = keys.map(\.1)
      galoisKeys = keys.map(\.2)
    }

    /// Decrypts a release: per modulus, the slots; per class, the CRT of its
    /// residues; then exact means and variances (see ``Result``).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a release
    ///   of another shape, or whose slots of one class disagree (not made by
    ///   a ``BFVAggregator``); `BFVError` from decryption.
    public func decrypt(_ release: BFVRelease) throws -> Result {
      let k = context.parameters.count
      guard release.ciphertexts.count == k, release.weightedSums.map({ $0.count == k }) ?? true else {
        throw AnalyticsError.invalidRequest(reason: "a release of \(release.ciphertexts.count) ciphertexts for \(k) plaintext moduli")
      }
      let all = release.ciphertexts + (release.weightedSums ?? [])
      let (parameters, secretKeys, context) = (context.parameters, secretKeys, context)
      let classes = try parallelMap(all.count) { index -> [UInt64] in
        let i = index % k
        let slots = try BFV.Encoder(parameters: parameters[i]).decode(secretKeys[i].decrypt(all[index]))
        let values = Array(slots.prefix(context.stride))
        for (s, value) in slots.enumerated() where value != values[context.classOf(slot: s)] {
          throw AnalyticsError.invalidRequest(reason: "the slots of one total disagree: not a release of this context")
        }
        return values
      }
      func total(_ c: Int, _ part: Int) -> BigInteger {
        context.combine((0..<k).map { classes[part * k + $0][c] })
      }
      let schema = context.schema
      var totals = Totals()
      if release.statistics.releasesCount { totals.count = total(0, 0) }
      for quantity in release.quantities {
        guard let q = schema.index(of: quantity) else { continue }
        let value = total(1 + q, 0)
        switch quantity {
        case .value(let j): totals.sums[j] = ExactValue(mantissa: value, exponent: -schema.fractionBits)
        case .square(let j): totals.squares[j] = ExactValue(mantissa: value, exponent: -2 * schema.fractionBits)
        case .bin(let j, _): totals.bins[j, default: []].append(value)
        }
      }
      if release.weightedSums != nil {
        for (j, _) in schema.columns.enumerated() {
          guard let q = schema.index(of: .value(j)) else { continue }
          totals.weightedSums[j] = ExactValue(
            mantissa: total(1 + q, 1), exponent: -(schema.fractionBits + release.weightFractionBits))
        }
      }
      return Result(
        totals: totals, schema: schema, statistics: release.statistics, privacy: release.privacy,
        weightedSumErrorBounds: release.weightedSumErrorBounds)
    }
  }

  /// Records encrypted for a ``BFVAggregator``: `ciphertexts[i][b]` is batch
  /// b of the records modulo t_i, in the context's slot layout.
  public struct BFVTable: Sendable {
    /// The number of records.
    public let count: Int
    /// Per modulus, per batch of ``BFVContext/recordsPerCiphertext`` records.
    public let ciphertexts: [[BFV.Ciphertext]]

    /// A table from its parts (for formats and transport).
    public init(count: Int, ciphertexts: [[BFV.Ciphertext]]) {
      self.count = count
      self.ciphertexts = ciphertexts
    }
  }

  /// The encrypting side under BFV: any party with the key holder's public
  /// keys turns records into a ``BFVTable``.
  public struct BFVClient: Sendable {
    /// The public context.
    public let context: BFVContext
    /// The key holder's public keys, one per modulus.
    public let publicKeys: [BFV.PublicKey]

    /// A client.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for keys that
    ///   do not match the context's parameters.
    public init(context: BFVContext, publicKeys: [BFV.PublicKey]) throws {
      guard publicKeys.count == context.parameters.count,
        zip(publicKeys, context.parameters).allSatisfy({ $0.parameters.identity == $1.identity })
      else {
        throw AnalyticsError.invalidRequest(reason: "the public keys do not match the context's parameters")
      }
      self.context = context
      self.publicKeys = publicKeys
    }

    /// Encrypts rows of values (one per schema column, in order).
    /// - Parameter firstLine: the line of the first row in error messages.
    /// - Throws: as ``Schema/integers(for:line:)``;
    ///   ``AnalyticsError/tooManyRecords(count:maximum:)``; `BFVError`.
    /// - Complexity: K·⌈rows·Q/N⌉ encryptions, over all cores.
    public func encrypt(_ rows: [[Double]], firstLine: Int = 2) throws -> BFVTable {
      guard !rows.isEmpty else { throw TabularError.emptyInput(what: "no records to encrypt") }
      guard rows.count <= context.maximumRecords else {
        throw AnalyticsError.tooManyRecords(count: rows.count, maximum: context.maximumRecords)
      }
      let schema = context.schema
      let integers = try rows.enumerated().map { r, row in try schema.integers(for: row, line: firstLine + r) }
      let perCiphertext = context.recordsPerCiphertext
      let batches = (integers.count + perCiphertext - 1) / perCiphertext
      let (context, keys) = (self.context, publicKeys)
      let k = context.parameters.count
      let flat = try parallelMap(k * batches) { task -> BFV.Ciphertext in
        let (i, b) = task.quotientAndRemainder(dividingBy: batches)
        let parameters = context.parameters[i]
        let t = parameters.plaintextModulus
        var slots = [UInt64](repeating: 0, count: parameters.degree)
        for record in 0..<min(perCiphertext, integers.count - b * perCiphertext) {
          slots[context.slot(record: record, class: 0)] = 1
          for (q, x) in integers[b * perCiphertext + record].enumerated() {
            slots[context.slot(record: record, class: 1 + q)] = BFVContext.residue(x, t)
          }
        }
        return try keys[i].encrypt(try BFV.Encoder(parameters: parameters).encode(slots))
      }
      return BFVTable(count: rows.count, ciphertexts: (0..<k).map { Array(flat[($0 * batches)..<(($0 + 1) * batches)]) })
    }

    /// Encrypts the schema's columns of a data set (matched by name).
    /// - Throws: as ``encrypt(_:firstLine:)`` and for a missing column.
    public func encrypt(_ data: Dataset) throws -> BFVTable { try encrypt(context.schema.rows(of: data)) }

    /// Reads the schema's columns from a CSV file with a header and encrypts them.
    /// - Throws: ``TabularError`` naming the line and column of a bad cell.
    public func encrypt(csvAt url: URL) throws -> BFVTable {
      try encrypt(Dataset(contentsOf: url, features: context.schema.columnNames))
    }
  }
}
