import BigNum

import Foundation
import DifferentialPrivacy
import Tabular

/// Encrypted analytics: statistics of numeric columns (count, sum, mean,
/// variance, weighted sums, histograms) computed by a server on encrypted
/// records, with optional differential-privacy noise, under Paillier or BFV.
///
/// The parties:
/// - **clients** encrypt records (rows of a CSV file) under the key holder's
///   public key, in the fixed point of a public ``Schema``;
/// - the **aggregator** adds the ciphertexts up with public material only
///   and releases encrypted totals, noised if asked
///   (``DifferentialPrivacy``);
/// - the **key holder** decrypts the totals into a ``Result``.
///
/// Paillier: ``PaillierClient``, ``PaillierAggregator``,
/// `Paillier.PrivateKey.decrypt(_:)`. BFV: ``BFVContext``, ``BFVKeyHolder``,
/// ``BFVClient``, ``BFVAggregator``. Many parties' vectors (federated model
/// updates) are summed by ``SecureAggregation``.
///
/// - Warning: Comparisons are never done under encryption: a client puts
///   each value into its histogram bin in plaintext and encrypts one 0/1
///   indicator per bin, and the server only adds indicators. The schema
///   (names, ranges, bin edges, scale) and the number of records are public.
public enum Analytics {}

extension Analytics {
  /// The statistics a release may contain.
  public struct Statistics: OptionSet, Sendable, Hashable {
    /// The bits of the set.
    public let rawValue: Int
    /// A set from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The number of records.
    public static let count = Statistics(rawValue: 1)
    /// Each column's sum.
    public static let sum = Statistics(rawValue: 2)
    /// Each column's mean (the key holder divides the sum by the count).
    public static let mean = Statistics(rawValue: 4)
    /// Each column's variance (from the sums of squares, the sums and the count).
    public static let variance = Statistics(rawValue: 8)
    /// Each binned column's histogram counts.
    public static let histogram = Statistics(rawValue: 16)
    /// All of the above.
    public static let all: Statistics = [.count, .sum, .mean, .variance, .histogram]

    /// Whether the count is released (for a count, a mean or a variance).
    public var releasesCount: Bool { !intersection([.count, .mean, .variance]).isEmpty }
    /// Whether the column sums are released.
    public var releasesSums: Bool { !intersection([.sum, .mean, .variance]).isEmpty }
    /// Whether the sums of squares are released.
    public var releasesSquares: Bool { contains(.variance) }

    /// Parses a comma-separated list: `count`, `sum`, `mean`, `variance`,
    /// `std` (a variance), `histogram`, `all`.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for another word.
    public init(parsing list: String) throws {
      self = []
      for word in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
        switch word {
        case "count": insert(.count)
        case "sum": insert(.sum)
        case "mean": insert(.mean)
        case "variance", "var", "std": insert(.variance)
        case "histogram": insert(.histogram)
        case "all": insert(.all)
        default:
          throw AnalyticsError.invalidRequest(
            reason: "unknown statistic '\(word)' (use count, sum, mean, variance, std, histogram or all)")
        }
      }
      guard !isEmpty else { throw AnalyticsError.invalidRequest(reason: "no statistic asked for") }
    }
  }

  /// The public description of the encrypted records: which columns, the
  /// range each value must lie in, the fixed-point scale, and what else each
  /// record carries (squares for variances, histogram indicators).
  ///
  /// A value x of a column is encrypted as the integer `X = round(x · 2^f)`
  /// (f = ``fractionBits``), so `|x − X/2^f| ≤ 2^−(f+1)`; its square as `X²`
  /// (scale `2^2f`); each histogram bin as a 0/1 indicator. Every record
  /// thus carries the ``quantities`` in one fixed order.
  ///
  /// - Warning: The ranges are public and bound the differential-privacy
  ///   sensitivities: take them from domain knowledge, not from the data
  ///   (a range computed from the data reveals its minimum and maximum).
  public struct Schema: Sendable, Equatable {
    /// One column: its name in the CSV header, its declared range and,
    /// optionally, histogram bin edges.
    public struct Column: Sendable, Equatable {
      /// The header name.
      public let name: String
      /// The values a record may hold; clients refuse others.
      public let range: ClosedRange<Double>
      /// Ascending bin edges `e_0 < … < e_k` covering the range: bin i holds
      /// `e_i ≤ x < e_{i+1}`, the last bin also `x = e_k`. `nil`: no histogram.
      public let histogramEdges: [Double]?

      /// A column.
      public init(_ name: String, range: ClosedRange<Double>, histogramEdges: [Double]? = nil) {
        self.name = name
        self.range = range
        self.histogramEdges = histogramEdges
      }

      /// The number of histogram bins (0 without edges).
      public var binCount: Int { max(0, (histogramEdges?.count ?? 0) - 1) }

      /// The bin of a value inside the range (a plaintext comparison).
      func bin(of x: Double) -> Int {
        guard let edges = histogramEdges else { return 0 }
        var low = 0
        var high = edges.count - 2  // the last bin
        while low < high {  // the last i with edges[i] ≤ x
          let mid = (low + high + 1) / 2
          if edges[mid] <= x { low = mid } else { high = mid - 1 }
        }
        return low
      }
    }

    /// One integer each record carries.
    public enum Quantity: Sendable, Hashable {
      /// `X_j` for column j.
      case value(Int)
      /// `X_j²` for column j.
      case square(Int)
      /// The indicator of bin b of column j.
      case bin(Int, Int)
    }

    /// The columns, in record order.
    public let columns: [Column]
    /// f: values are encoded as `round(x · 2^f)`.
    public let fractionBits: Int
    /// Whether records carry squares (needed for variances).
    public let includesSquares: Bool
    /// The integers of one record, in order: the values, then the squares
    /// (if included), then each binned column's indicators.
    public let quantities: [Quantity]
    /// Per column: the largest `|X|` over its range.
    public let maximumMagnitudes: [BigInteger]

    /// The largest f: values stay within 62-bit integers.
    public static let maximumFractionBits = 52

    /// A schema.
    ///
    /// - Parameters:
    ///   - columns: at least one, with distinct names, finite ranges and,
    ///     when given, at least two strictly ascending finite bin edges
    ///     whose first is at most the range's lower end and last at least
    ///     its upper end.
    ///   - fractionBits: f in 0...52; Paillier needs a multiple of 4 (its
    ///     exponents are powers of 16). Every `|x|·2^f` must stay below 2^62.
    ///   - includesSquares: whether records carry `X²` (needed for variances).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` naming the problem.
    public init(columns: [Column], fractionBits: Int = 16, includesSquares: Bool = true) throws {
      func fail(_ reason: String) -> AnalyticsError { .invalidRequest(reason: reason) }
      guard !columns.isEmpty else { throw fail("a schema needs at least one column") }
      guard (0...Self.maximumFractionBits).contains(fractionBits) else {
        throw fail("fraction bits \(fractionBits) outside 0...\(Self.maximumFractionBits)")
      }
      var seen = Set<String>()
      var magnitudes: [BigInteger] = []
      for column in columns {
        guard seen.insert(column.name).inserted else { throw TabularError.duplicateColumn(column.name) }
        let r = column.range
        guard r.lowerBound.isFinite, r.upperBound.isFinite else { throw fail("column '\(column.name)': the range must be finite") }
        let low = Double(sign: .plus, exponent: fractionBits, significand: r.lowerBound).rounded()
        let high = Double(sign: .plus, exponent: fractionBits, significand: r.upperBound).rounded()
        guard low.magnitude < 0x1p62, high.magnitude < 0x1p62 else {
          throw fail("column '\(column.name)': the range times 2^\(fractionBits) leaves the 62-bit integers; use fewer fraction bits")
        }
        magnitudes.append(BigInteger(Int64(max(low.magnitude, high.magnitude))))
        if let edges = column.histogramEdges {
          guard edges.count >= 2, edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw fail("column '\(column.name)': histogram edges must be at least two strictly ascending finite numbers")
          }
          guard edges[0] <= r.lowerBound, edges[edges.count - 1] >= r.upperBound else {
            throw fail("column '\(column.name)': the histogram edges \(edges[0])...\(edges[edges.count - 1]) do not cover the range \(r.lowerBound)...\(r.upperBound)")
          }
        }
      }
      self.columns = columns
      self.fractionBits = fractionBits
      self.includesSquares = includesSquares
      maximumMagnitudes = magnitudes
      var layout = columns.indices.map { Quantity.value($0) }
      if includesSquares { layout += columns.indices.map { Quantity.square($0) } }
      for (j, column) in columns.enumerated() { layout += (0..<column.binCount).map { Quantity.bin(j, $0) } }
      quantities = layout
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The integers of one record, in ``quantities`` order.
    ///
    /// - Parameters:
    ///   - values: one per column, in column order.
    ///   - line: the record's line (for errors; the CSV line, header included).
    /// - Throws: ``TabularError/featureMismatch(expected:found:)`` for
    ///   another number of values, ``TabularError/nonFiniteValue(line:column:)``,
    ///   ``AnalyticsError/valueOutOfRange(feature:value:range:)``.
    public func integers(for values: [Double], line: Int) throws -> [BigInteger] {
      guard values.count == columns.count else {
        throw TabularError.featureMismatch(expected: columnNames, found: (0..<values.count).map { "column \($0 + 1)" })
      }
      var fixed: [BigInteger] = []
      fixed.reserveCapacity(columns.count)
      for (x, column) in zip(values, columns) {
        guard x.isFinite else { throw TabularError.nonFiniteValue(line: line, column: column.name) }
        guard column.range.contains(x) else {
          throw AnalyticsError.valueOutOfRange(feature: column.name, value: x, range: column.range)
        }
        fixed.append(BigInteger(Int64(Double(sign: .plus, exponent: fractionBits, significand: x).rounded())))
      }
      return quantities.map { quantity in
        switch quantity {
        case .value(let j): fixed[j]
        case .square(let j): fixed[j].squared()
        case .bin(let j, let b): columns[j].bin(of: values[j]) == b ? 1 : 0
        }
      }
    }

    /// The values of the schema's columns from a data set (matched by name).
    /// - Throws: ``TabularError/featureMismatch(expected:found:)`` when a column is missing.
    func rows(of data: Dataset) throws -> [[Double]] {
      let indices = try columns.map { column in
        guard let index = data.featureNames.firstIndex(of: column.name) else {
          throw TabularError.featureMismatch(expected: columnNames, found: data.featureNames)
        }
        return index
      }
      return data.features.map { row in indices.map { row[$0] } }
    }

    /// The largest magnitude one record adds to a quantity's total.
    func maximumMagnitude(of quantity: Quantity) -> BigInteger {
      switch quantity {
      case .value(let j): maximumMagnitudes[j]
      case .square(let j): maximumMagnitudes[j].squared()
      case .bin: 1
      }
    }

    /// The binary exponent of a quantity's integer unit: −f, −2f or 0.
    func unitExponent(of quantity: Quantity) -> Int {
      switch quantity {
      case .value: -fractionBits
      case .square: -2 * fractionBits
      case .bin: 0
      }
    }

    /// The index in ``quantities`` of a quantity.
    func index(of quantity: Quantity) -> Int? { quantities.firstIndex(of: quantity) }

    /// The quantities a release of `statistics` reveals, checked against the schema.
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a variance
    ///   without squares or a histogram without bins.
    func released(_ statistics: Statistics) throws -> [Quantity] {
      if statistics.releasesSquares && !includesSquares {
        throw AnalyticsError.invalidRequest(reason: "a variance needs records encrypted with their squares")
      }
      if statistics.contains(.histogram) && !columns.contains(where: { $0.histogramEdges != nil }) {
        throw AnalyticsError.invalidRequest(reason: "a histogram needs columns declared with bin edges")
      }
      return quantities.filter { quantity in
        switch quantity {
        case .value: statistics.releasesSums
        case .square: statistics.releasesSquares
        case .bin: statistics.contains(.histogram)
        }
      }
    }

    /// A quantity's name in privacy statements: `sum(age)`, `sum(age²)`, `histogram(age)`.
    func name(of quantity: Quantity) -> String {
      switch quantity {
      case .value(let j): "sum(\(columns[j].name))"
      case .square(let j): "sum(\(columns[j].name)²)"
      case .bin(let j, _): "histogram(\(columns[j].name))"
      }
    }

    /// The noise shares of a release: the count, each released sum and sum of
    /// squares, each column's histogram as one share (ℓ1 = ℓ2 sensitivity 1:
    /// one record moves one bin by one), then one per column's weighted sum
    /// (`weightedSums[j]`: its sensitivity, at least 1, and unit exponent).
    func noiseShares(count: Bool, quantities released: [Quantity], weightedSums: [(BigInteger, Int)] = []) -> NoiseShares {
      var shares = NoiseShares()
      var histogramShare: [Int: Int] = [:]
      if count { shares.append("count", 1, 0) }
      for quantity in released {
        if case .bin(let j, _) = quantity, let share = histogramShare[j] {
          shares.shareOf.append(share)
          continue
        }
        shares.shareOf.append(shares.names.count)
        if case .bin(let j, _) = quantity { histogramShare[j] = shares.names.count }
        shares.append(name(of: quantity), maximumMagnitude(of: quantity), unitExponent(of: quantity))
      }
      for (j, (delta, unit)) in weightedSums.enumerated() { shares.append("weighted sum(\(columns[j].name))", delta, unit) }
      return shares
    }
  }
}
