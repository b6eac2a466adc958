import BigNum
import Paillier

import Foundation
import DifferentialPrivacy
import Tabular

extension Analytics {
  /// Running encrypted sums of the columns of many Paillier records: each
  /// column keeps one running product per fixed-point exponent, so adding a
  /// record costs one multiplication modulo n² per value whatever the mix
  /// of exponents (python-paillier's float encoding gives each value its
  /// own), and exponents are aligned once, at the end.
  ///
  /// Needs only the public key. Used by ``PaillierAggregator`` and by
  /// `hekit analyze` on batch files.
  public struct PaillierColumnSums: Sendable {
    /// The key of every ciphertext.
    public let publicKey: Paillier.PublicKey
    /// The number of values per record.
    public let width: Int
    /// The number of records added.
    public private(set) var count = 0
    /// Per column: exponent → the sum of the values at that exponent.
    private var partial: [[Int: Paillier.Ciphertext]]

    /// Empty sums of `width` columns.
    public init(publicKey: Paillier.PublicKey, width: Int) {
      self.publicKey = publicKey
      self.width = max(0, width)
      partial = Array(repeating: [:], count: max(0, width))
    }

    /// Adds records of `width` ciphertexts each, one column per core.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a record
    ///   of another width; `PaillierError` for another key or a window overflow.
    /// - Complexity: one multiplication modulo n² per value.
    public mutating func add(_ records: [[Paillier.Ciphertext]]) throws {
      for (r, record) in records.enumerated() where record.count != width {
        throw AnalyticsError.invalidRequest(reason: "record \(r + 1) holds \(record.count) values where \(width) are expected")
      }
      let key = publicKey
      let sums = try parallelMap(width) { j -> [Int: Paillier.Ciphertext] in
        var groups: [Int: Paillier.Ciphertext] = [:]
        for record in records {
          let c = record[j]
          guard c.publicKey == key else { throw PaillierError.keyMismatch }
          if let sum = groups[c.exponent] { groups[c.exponent] = try sum + c } else { groups[c.exponent] = c }
        }
        return groups
      }
      try merge(sums)
      count += records.count
    }

    /// Adds another party's or shard's sums (same key and width).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)``, `PaillierError/keyMismatch`.
    public mutating func merge(_ other: PaillierColumnSums) throws {
      guard other.width == width else {
        throw AnalyticsError.invalidRequest(reason: "cannot merge sums of \(other.width) columns into \(width)")
      }
      guard other.publicKey == publicKey else { throw PaillierError.keyMismatch }
      try merge(other.partial)
      count += other.count
    }

    private mutating func merge(_ sums: [[Int: Paillier.Ciphertext]]) throws {
      for j in 0..<width {
        for (exponent, c) in sums[j] {
          if let sum = partial[j][exponent] { partial[j][exponent] = try sum + c } else { partial[j][exponent] = c }
        }
      }
    }

    /// The lowest exponent among column j's values (`nil` before any record).
    public func lowestExponent(_ j: Int) -> Int? { partial[j].keys.min() }

    /// Column j's sum, at `exponent` (default: the lowest of its values);
    /// `nil` before any record.
    /// - Throws: `PaillierError/cannotIncreaseExponent(from:to:)` for an
    ///   exponent above the lowest; `PaillierError` on window overflow.
    /// - Complexity: one multi-exponentiation over the distinct exponents.
    public func total(_ j: Int, atExponent exponent: Int? = nil) throws -> Paillier.Ciphertext? {
      guard (0..<width).contains(j), !partial[j].isEmpty else { return nil }
      let groups = partial[j].sorted { $0.key < $1.key }.map(\.value)
      var sum = groups.count == 1 ? groups[0] : try Paillier.Ciphertext.sum(groups)
      if let exponent, exponent != sum.exponent { sum = try sum.decreasingExponent(to: exponent) }
      return sum
    }
  }

  /// The encrypting side under Paillier: turns records into ciphertexts in
  /// the schema's fixed point, with the key holder's public key only.
  ///
  /// A value is encrypted as python-paillier's `EncodedNumber` with mantissa
  /// `X = round(x·2^f)` and exponent `−f/4` (so `hekit decrypt` and pheutil
  /// read it as x up to the rounding), its square as `X²` at exponent `−f/2`,
  /// a histogram indicator at exponent 0. Every value of a column has the
  /// same exponent: unlike python-paillier's float encoding, the exponents
  /// say nothing about the values.
  public struct PaillierClient: Sendable {
    /// The public schema.
    public let schema: Schema
    /// The key holder's public key.
    public let publicKey: Paillier.PublicKey

    /// A client.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` unless the
    ///   schema's fraction bits are a multiple of 4;
    ///   ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)`` when a
    ///   square could leave the key's plaintext window.
    public init(schema: Schema, publicKey: Paillier.PublicKey) throws {
      try Self.check(schema, publicKey)
      self.schema = schema
      self.publicKey = publicKey
    }

    static func check(_ schema: Schema, _ publicKey: Paillier.PublicKey) throws {
      guard schema.fractionBits % 4 == 0 else {
        throw AnalyticsError.invalidRequest(
          reason: "Paillier exponents are powers of 16: use fraction bits that are a multiple of 4, not \(schema.fractionBits)")
      }
      let largest = schema.quantities.map(schema.maximumMagnitude(of:)).max() ?? 0
      guard largest <= publicKey.maxInt else {
        throw AnalyticsError.doesNotFitPlaintext(needBits: largest.bitWidth + 1, haveBits: publicKey.maxInt.bitWidth)
      }
    }

    /// The exponent of each quantity: `−f/4`, `−f/2` or 0.
    static func exponents(_ schema: Schema) -> [Int] { schema.quantities.map { schema.unitExponent(of: $0) / 4 } }

    /// Encrypts rows of values (one per schema column, in order), over all cores.
    /// - Parameter firstLine: the line of the first row in error messages
    ///   (2: a CSV file with a header line).
    /// - Throws: as ``Schema/integers(for:line:)``; `PaillierError` from encryption.
    /// - Complexity: one encryption per quantity per row.
    public func encrypt(_ rows: [[Double]], firstLine: Int = 2) throws -> [[Paillier.Ciphertext]] {
      let integers = try rows.enumerated().map { r, row in try schema.integers(for: row, line: firstLine + r) }
      let (key, exponents) = (publicKey, Self.exponents(schema))
      return try parallelMap(integers.count) { r in
        try zip(integers[r], exponents).map { m, e in
          try key.encrypt(Paillier.EncodedNumber(mantissa: m, exponent: e, publicKey: key))
        }
      }
    }

    /// Encrypts the schema's columns of a data set (matched by name).
    /// - Throws: ``TabularError/featureMismatch(expected:found:)`` for a
    ///   missing column, and as ``encrypt(_:firstLine:)``.
    public func encrypt(_ data: Dataset) throws -> [[Paillier.Ciphertext]] {
      try encrypt(schema.rows(of: data))
    }

    /// Reads the schema's columns from a CSV file with a header line and
    /// encrypts them.
    /// - Throws: ``TabularError`` naming the line and column of a missing,
    ///   non-numeric, non-finite or out-of-range cell; the file system's error.
    public func encrypt(csvAt url: URL) throws -> [[Paillier.Ciphertext]] {
      try encrypt(Dataset(contentsOf: url, features: schema.columnNames))
    }
  }

  /// The aggregator under Paillier: adds encrypted records (from one client
  /// or many, all under one public key) and releases encrypted totals,
  /// optionally with differential-privacy noise added under encryption.
  ///
  /// It holds only the public key. The record count is known to it; it
  /// encrypts the count (noised, with privacy) for the key holder.
  public struct PaillierAggregator: Sendable {
    /// The public schema.
    public let schema: Schema
    /// The key holder's public key.
    public let publicKey: Paillier.PublicKey
    private var sums: PaillierColumnSums
    private var weighted: PaillierColumnSums?
    private var largestWeight = 0.0
    private var weightMagnitudeSum = 0.0

    /// The number of records added.
    public var count: Int { sums.count }

    /// An empty aggregator.
    /// - Throws: as ``PaillierClient/init(schema:publicKey:)``.
    public init(schema: Schema, publicKey: Paillier.PublicKey) throws {
      try PaillierClient.check(schema, publicKey)
      self.schema = schema
      self.publicKey = publicKey
      sums = PaillierColumnSums(publicKey: publicKey, width: schema.quantities.count)
    }

    /// Adds encrypted records, and with `weights` (one per record) also the
    /// weighted column sums `Σ w_r·x_r` (dot products of each column with the
    /// weights, as one multi-exponentiation per column; the weights are
    /// encoded exactly, as python-paillier encodes floats).
    ///
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a record
    ///   of the wrong width or exponents (not made for this schema), weights
    ///   that do not match the records or are not finite, or weights given
    ///   for some batches only; `PaillierError` for another key.
    public mutating func add(_ records: [[Paillier.Ciphertext]], weights: [Double]? = nil) throws {
      let exponents = PaillierClient.exponents(schema)
      for (r, record) in records.enumerated() {
        guard record.count == exponents.count else {
          throw AnalyticsError.invalidRequest(
            reason: "record \(r + 1) holds \(record.count) values where the schema has \(exponents.count)")
        }
        for (q, c) in record.enumerated() where c.exponent != exponents[q] {
          throw AnalyticsError.invalidRequest(
            reason: "record \(r + 1), value \(q + 1): exponent \(c.exponent) where the schema's scale needs \(exponents[q])")
        }
      }
      if let weights {
        guard weights.count == records.count, weights.allSatisfy(\.isFinite) else {
          throw AnalyticsError.invalidRequest(reason: "give one finite weight per record (\(weights.count) for \(records.count) records)")
        }
        guard count == 0 || weighted != nil else {
          throw AnalyticsError.invalidRequest(reason: "weights must come with every batch of records or with none")
        }
        var batch = PaillierColumnSums(publicKey: publicKey, width: schema.columns.count)
        if !records.isEmpty {
          let columns = schema.columns.count
          let products = try parallelMap(columns) { j in
            try Paillier.Ciphertext.dotProduct(records.map { $0[j] }, weights)
          }
          try batch.add([products])
        }
        if weighted == nil { weighted = batch } else { try weighted?.merge(batch) }
        largestWeight = max(largestWeight, weights.map(\.magnitude).max() ?? 0)
        weightMagnitudeSum += weights.map(\.magnitude).reduce(0, +)
      } else if weighted != nil {
        throw AnalyticsError.invalidRequest(reason: "weights must come with every batch of records or with none")
      }
      try sums.add(records)
    }

    /// Adds another aggregator's records (another shard or party).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for another
    ///   schema or a mix of weighted and unweighted; `PaillierError/keyMismatch`.
    public mutating func merge(_ other: PaillierAggregator) throws {
      guard other.schema == schema else { throw AnalyticsError.invalidRequest(reason: "cannot merge aggregates of another schema") }
      guard (weighted == nil) == (other.weighted == nil) || count == 0 || other.count == 0 else {
        throw AnalyticsError.invalidRequest(reason: "cannot merge weighted and unweighted aggregates")
      }
      try sums.merge(other.sums)
      if let theirs = other.weighted {
        if weighted == nil { weighted = theirs } else { try weighted?.merge(theirs) }
      }
      largestWeight = max(largestWeight, other.largestWeight)
      weightMagnitudeSum += other.weightMagnitudeSum
    }

    /// The encrypted totals `statistics` need, re-randomised, noised first
    /// when `privacy` is given (see ``DifferentialPrivacy``): one share for
    /// the count, each released sum and sum of squares, each histogram and
    /// each weighted sum.
    ///
    /// - Throws: ``TabularError/emptyInput(what:)`` before any record;
    ///   ``AnalyticsError/invalidRequest(reason:)`` for statistics the
    ///   records cannot give; ``DifferentialPrivacyError/invalidParameters(reason:)``;
    ///   `PaillierError` on window overflow.
    /// - Complexity: one multi-exponentiation per released total (exponents
    ///   align), one encryption for the count, one obfuscator per total.
    public func release(_ statistics: Statistics, privacy: DifferentialPrivacy.Mechanism? = nil) throws -> PaillierRelease {
      guard count > 0 else { throw TabularError.emptyInput(what: "no records to aggregate") }
      let released = try schema.released(statistics)
      let indices = released.compactMap(schema.index(of:))
      let exponents = PaillierClient.exponents(schema)
      var totals = try indices.map { q in try sums.total(q, atExponent: exponents[q]).unwrapped() }
      var weightedTotals = try weighted.map { w in try schema.columns.indices.map { try w.total($0).unwrapped() } }
      var countValue = BigInteger(count)
      var statement: DifferentialPrivacy.Statement?
      if let privacy {
        let (n, d) = BigInteger.fraction(exactly: largestWeight > 0 ? largestWeight : 1) ?? (1, 1)  // finite
        let weightedShares = try weightedTotals?.enumerated().map { j, total in
          // max |w|·max |X| in units of 2^(4E), E the total's exponent, rounded up.
          let shift = -schema.fractionBits - 4 * total.exponent
          let numerator = n * schema.maximumMagnitudes[j] << max(shift, 0)
          let denominator = d << max(-shift, 0)
          return (try (numerator + denominator - 1) / denominator, 4 * total.exponent)  // denominator ≥ 1
        }
        let shares = schema.noiseShares(
          count: statistics.releasesCount, quantities: released, weightedSums: weightedShares ?? [])
        let (noise, stated) = try shares.calibrate(privacy)
        if statistics.releasesCount { countValue += noise[0].sample() }
        totals = try zip(totals, shares.shareOf).map { total, share in try total.adding(noise[share].sample()) }
        let firstWeighted = shares.names.count - (weightedShares?.count ?? 0)
        weightedTotals = try weightedTotals?.enumerated().map { j, total in
          try total.adding(noise[firstWeighted + j].sample())
        }
        statement = stated
      }
      let key = publicKey
      let countCiphertext = statistics.releasesCount ? try key.encrypt(countValue) : nil
      let all = totals + (weightedTotals ?? [])
      let fresh = try parallelMap(all.count) { try all[$0].rerandomized() }
      let half = Double(sign: .plus, exponent: -(schema.fractionBits + 1), significand: 1)
      return PaillierRelease(
        schema: schema, statistics: statistics, quantities: released, count: countCiphertext,
        totals: Array(fresh.prefix(totals.count)),
        weightedSums: weightedTotals == nil ? nil : Array(fresh.dropFirst(totals.count)),
        weightedSumErrorBounds: weightedTotals == nil ? nil : schema.columns.map { _ in weightMagnitudeSum * half },
        privacy: statement)
    }
  }

  /// Encrypted totals from a ``PaillierAggregator``, for the key holder
  /// (`Paillier.PrivateKey.decrypt(_:)`).
  public struct PaillierRelease: Sendable {
    /// The schema of the records.
    public let schema: Schema
    /// The statistics asked for.
    public let statistics: Statistics
    /// The quantity of each total, in order.
    public let quantities: [Schema.Quantity]
    /// The encrypted count (`nil` unless a count, mean or variance was asked for).
    public let count: Paillier.Ciphertext?
    /// The encrypted totals of ``quantities``.
    public let totals: [Paillier.Ciphertext]
    /// Per column, the encrypted weighted sum (when weights were given).
    public let weightedSums: [Paillier.Ciphertext]?
    /// Per column, the bound on the weighted sum's fixed-point error.
    public let weightedSumErrorBounds: [Double]?
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
  }
}

extension Paillier.Ciphertext {
  /// The ciphertext plus an integer at its own exponent (noise).
  fileprivate func adding(_ mantissa: BigInteger) throws -> Paillier.Ciphertext {
    try self + Paillier.EncodedNumber(mantissa: mantissa, exponent: exponent, publicKey: publicKey)
  }
}

extension Optional where Wrapped == Paillier.Ciphertext {
  /// The total, which exists once a record was added.
  fileprivate func unwrapped() throws -> Paillier.Ciphertext {
    guard let self else { throw TabularError.emptyInput(what: "no records to aggregate") }
    return self
  }
}

extension Paillier.PrivateKey {
  /// Decrypts an analytics release into statistics: exact integer totals,
  /// then means and variances computed exactly and rounded once (see
  /// ``Analytics/Result`` for the fixed-point error).
  ///
  /// - Throws: `PaillierError/keyMismatch` for a release under another key,
  ///   `PaillierError/decodingOverflow` for a total outside the window.
  public func decrypt(_ release: Analytics.PaillierRelease) throws -> Analytics.Result {
    let all = release.totals + (release.weightedSums ?? [])
    let decoded = try parallelMap(all.count) { i -> Analytics.ExactValue in
      let encoded = try self.decryptEncoded(all[i])
      return Analytics.ExactValue(mantissa: try encoded.mantissa(), exponent: 4 * encoded.exponent)
    }
    var totals = Analytics.Totals()
    if let count = release.count { totals.count = try decryptEncoded(count).integerValue() }
    for (quantity, value) in zip(release.quantities, decoded) { totals.set(quantity, value) }
    if release.weightedSums != nil {
      for (j, value) in decoded.dropFirst(release.totals.count).enumerated() { totals.weightedSums[j] = value }
    }
    return Analytics.Result(
      totals: totals, schema: release.schema, statistics: release.statistics, privacy: release.privacy,
      weightedSumErrorBounds: release.weightedSumErrorBounds)
  }
}
