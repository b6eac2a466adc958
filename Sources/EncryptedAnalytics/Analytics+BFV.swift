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
    /// The plaintext moduli, their parameter sets and the rotation steps Q, 2Q, …, N/4.
    public let space: BFVPlaintextSpace
    /// The most records the totals are sized for.
    public let maximumRecords: Int
    /// The interleaving stride Q.
    public let stride: Int

    /// The number of records one ciphertext holds: N/Q.
    public var recordsPerCiphertext: Int { space.degree / stride }

    /// A context.
    ///
    /// - Parameters:
    ///   - schema: the records' schema.
    ///   - preset: the ring degree N and q (t is replaced by the chosen primes).
    ///     N = 8192 (the default) keeps enough noise budget after the
    ///     rotations to flood the noise before release; N = 4096 does not.
    ///   - plaintextBitWidth: the width of each prime t_i, 16...30; `nil`
    ///     means 20 at N = 4096 and 30 above.
    ///   - maximumRecords: the most records (over all clients) to aggregate.
    ///   - headroomBits: room for differential-privacy noise up to
    ///     `(2^h − 1)` times the largest total.
    ///   - weightBits: extra room on the value columns for weighted sums:
    ///     `Σ_r |W_r|` up to `maximumRecords · 2^weightBits`.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a bad
    ///   width or too many quantities for N; ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)``
    ///   when 16 primes cannot hold the totals; `BFVError` from the parameters.
    public init(
      schema: Schema, preset: BFV.Preset = .n8192, plaintextBitWidth: Int? = nil, maximumRecords: Int = 1 << 20,
      headroomBits: Int = 16, weightBits: Int = 0
    ) throws {
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
      space = try BFVPlaintextSpace(
        largest: largest, preset: preset, plaintextBitWidth: plaintextBitWidth,
        rotationSteps: Array(sequence(first: stride) { $0 * 2 }.prefix { $0 < degree / 2 }))
      self.schema = schema
      self.maximumRecords = maximumRecords
      self.stride = stride
    }

    /// The slot (encoder index) of record k's class c in a ciphertext.
    func slot(record k: Int, class c: Int) -> Int {
      let row = space.degree / 2
      return (k / (row / stride)) * row + (k % (row / stride)) * stride + c
    }

    /// The class of a slot.
    func classOf(slot s: Int) -> Int { (s % (space.degree / 2)) % stride }

    /// Every slot of class `c` (for `c` in `values`) set to its value, the rest 0, mod t_i.
    func classPlaintext(_ values: [Int: BigInteger], modulus i: Int) throws -> BFV.Plaintext {
      try space.encode((0..<space.degree).map { values[classOf(slot: $0)] ?? 0 }, modulus: i)
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
      try context.space.check(publicKeys.map(\.parameters))
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
      let (perCiphertext, context) = (context.recordsPerCiphertext, context)
      let batches = (integers.count + perCiphertext - 1) / perCiphertext
      let ciphertexts = try context.space.encrypt(batches: batches, with: publicKeys) { b in
        var slots = [BigInteger](repeating: 0, count: context.space.degree)
        for (record, quantities) in integers[(b * perCiphertext)..<min((b + 1) * perCiphertext, integers.count)].enumerated() {
          slots[context.slot(record: record, class: 0)] = 1
          for (q, x) in quantities.enumerated() { slots[context.slot(record: record, class: 1 + q)] = x }
        }
        return slots
      }
      return BFVTable(count: rows.count, ciphertexts: ciphertexts)
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

extension BFVKeyHolder {
  /// Decrypts an analytics release: per modulus, the slots; per class, the
  /// CRT of its residues; then exact means and variances (see ``Analytics/Result``).
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a release of
  ///   another shape, or whose slots of one class disagree (not made by an
  ///   ``Analytics/BFVAggregator``); `BFVError` from decryption.
  public func decrypt(_ release: Analytics.BFVRelease) throws -> Analytics.Result {
    let context = release.context
    let parts = [release.ciphertexts] + (release.weightedSums.map { [$0] } ?? [])
    guard parts.allSatisfy({ $0.count == space.moduliCount }) else {
      throw AnalyticsError.invalidRequest(reason: "a release of \(release.ciphertexts.count) ciphertexts for \(space.moduliCount) plaintext moduli")
    }
    // [modulus][part] → per part and modulus, the first Q slots (one per class).
    let slots = try self.slots((0..<space.moduliCount).map { i in parts.map { $0[i] } }, batches: parts.count)
    let classes = try slots.map { perPart in
      try perPart.map { slots in
        let values = Array(slots.prefix(context.stride))
        for (s, value) in slots.enumerated() where value != values[context.classOf(slot: s)] {
          throw AnalyticsError.invalidRequest(reason: "the slots of one total disagree: not a release of this context")
        }
        return values
      }
    }
    func total(_ c: Int, _ part: Int) -> BigInteger { space.crt.centred(classes.map { $0[part][c] }) }
    let schema = context.schema
    var totals = Analytics.Totals()
    if release.statistics.releasesCount { totals.count = total(0, 0) }
    for quantity in release.quantities {
      guard let q = schema.index(of: quantity) else { continue }
      totals.set(quantity, .init(mantissa: total(1 + q, 0), exponent: schema.unitExponent(of: quantity)))
    }
    if release.weightedSums != nil {
      for j in schema.columns.indices {
        guard let q = schema.index(of: .value(j)) else { continue }
        totals.weightedSums[j] = .init(mantissa: total(1 + q, 1), exponent: -(schema.fractionBits + release.weightFractionBits))
      }
    }
    return Analytics.Result(
      totals: totals, schema: schema, statistics: release.statistics, privacy: release.privacy,
      weightedSumErrorBounds: release.weightedSumErrorBounds)
  }
}
