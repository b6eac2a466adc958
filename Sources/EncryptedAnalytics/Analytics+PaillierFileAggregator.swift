import BigNum
import DifferentialPrivacy
import Foundation
import HEKitFormats
import Paillier
import Tabular

extension Analytics {
  /// The rows of a result file, in order.
  public enum ResultRow: String, Sendable, CaseIterable {
    /// The encrypted count, once per column.
    case count
    /// The column sums.
    case sum
    /// The sums of the squares.
    case squares = "sum-of-squares"
  }

  /// The aggregator of Paillier batch files of records (`hekit analyze`):
  /// adds the chosen columns, and for variances their squares, of files
  /// under one public key, streaming, and releases the totals as a result
  /// file (``PaillierFileRelease``), noised first when asked.
  ///
  /// Needs only the public key. Squares are the columns named `NAME^2`.
  public struct PaillierFileAggregator: Sendable {
    /// Noised sums are released at exponent −32, squares at −64 (fixed, so
    /// the exponents say nothing about the data).
    public static let noisedSumExponent = -32

    /// The records' key.
    public let publicKey: Paillier.PublicKey
    /// The key's file, for messages.
    public let keyFile: String
    /// The statistics asked for (never a histogram).
    public let statistics: Statistics
    private let statisticsList: String
    private let requested: [String]?
    private var first: (file: String, columns: [String])?
    private var indices: [Int] = []
    private var sums: PaillierColumnSums?

    /// The aggregated columns (known after the first file's header).
    public private(set) var columns: [String] = []
    /// The number of records added.
    public var count: Int { sums?.count ?? 0 }
    /// The rows the result file holds.
    public var rows: [ResultRow] {
      [statistics.releasesCount ? .count : nil, statistics.releasesSums ? .sum : nil,
        statistics.releasesSquares ? .squares : nil].compactMap { $0 }
    }

    /// An empty aggregator.
    /// - Parameters:
    ///   - statistics: a list as ``Statistics/init(parsing:)`` reads it;
    ///     the result file keeps it.
    ///   - columns: the columns to add (default: every column but squares).
    /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` for a bad list,
    ///   a histogram or an empty `columns`.
    public init(publicKey: Paillier.PublicKey, keyFile: String, statistics: String, columns: [String]? = nil) throws {
      let words = statistics.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      guard !words.contains("histogram") else {
        throw AnalyticsError.invalidRequest(reason: "a histogram needs columns declared with bin edges (Analytics.Schema)")
      }
      guard columns.map({ !$0.isEmpty }) ?? true else { throw AnalyticsError.invalidRequest(reason: "no column selected") }
      self.statistics = try Statistics(parsing: statistics).subtracting(.histogram)
      self.publicKey = publicKey
      self.keyFile = keyFile
      statisticsList = statistics
      requested = columns
    }

    /// Checks a record file's header line: the key, the column names (those
    /// of the first file) and, for the first file, selects the columns.
    /// - Throws: ``FileError``; `FormatError` for another key or a bad header;
    ///   `TabularError/unknownColumn(_:available:)` for a column not in the file.
    public mutating func header(_ line: String, file: String) throws -> Paillier.Batch.Header {
      guard Paillier.Batch.isHeader(line) else { throw AnalyticsError.notRecords(file: file) }
      let header = try PaillierBatchFile.header(line, file: file, publicKey: publicKey, keyFile: keyFile)
      let names = try check(header, file: file)
      if first == nil {
        try select(names)
        first = (file, names)
        sums = PaillierColumnSums(publicKey: publicKey, width: indices.count)
      }
      return header
    }

    /// Adds a file's records (its lines after the header), over all cores.
    /// - Parameters:
    ///   - header: its header, from ``header(_:file:)``.
    ///   - lines: the next line, `nil` at the end.
    ///   - progress: told the records of each chunk.
    /// - Throws: as ``header(_:file:)``; `FormatError` for a bad record or
    ///   trailer; `PaillierError`.
    public mutating func add(
      file: String, header: Paillier.Batch.Header, lines: () throws -> String?, progress: (Int) -> Void = { _ in }
    ) throws {
      let names = try check(header, file: file)
      guard first != nil else { throw AnalyticsError.notRecords(file: file) }  // header(_:file:) not called
      let (width, wanted) = (names.count, indices)
      try PaillierBatchFile.forEachRecordChunk(
        lines: lines, file: file, header: header, publicKey: publicKey, progress: progress
      ) { record in
        guard record.count == width else { throw AnalyticsError.recordWidth(found: record.count, expected: width) }
        return wanted.map { record[$0] }
      } consume: { records in
        try sums?.add(records)
      }
    }

    /// The column names of a file of records like the first one.
    private func check(_ header: Paillier.Batch.Header, file: String) throws -> [String] {
      guard header.annotations["analysis"] == nil, header.annotations["model-kind"] == nil else {
        throw AnalyticsError.holdsResults(file: file)
      }
      guard let names = header.columns else { throw AnalyticsError.unnamedColumns(file: file) }
      if let first, first.columns != names { throw AnalyticsError.otherColumns(file: file, first: first.file) }
      return names
    }

    /// Selects the value columns and the record indices to add: the values,
    /// then (for variances) their squares.
    private mutating func select(_ header: [String]) throws {
      let values = requested ?? header.filter { !($0.hasSuffix("^2") && header.contains(String($0.dropLast(2)))) }
      guard !values.isEmpty else { throw AnalyticsError.invalidRequest(reason: "no column selected") }
      var indices = try values.map { name in
        guard let index = header.firstIndex(of: name) else { throw TabularError.unknownColumn(name, available: header) }
        return index
      }
      if statistics.releasesSquares {
        indices += try values.map { name in
          guard let index = header.firstIndex(of: name + "^2") else { throw AnalyticsError.missingSquares(column: name) }
          return index
        }
      }
      (columns, self.indices) = (values, indices)
    }

    /// The encrypted totals, re-randomised, noised first with `privacy`: one
    /// share each for the count, each sum and each sum of squares.
    /// - Parameters:
    ///   - privacy: the mechanism of the whole release.
    ///   - bound: the largest |value| of a record in the columns (needed
    ///     with `privacy`): S bounds a sum's sensitivity, S² a square's.
    /// - Throws: `TabularError/emptyInput(what:)` before any record;
    ///   ``AnalyticsError/tooPrecise(exponent:)``; ``AnalyticsError/invalidRequest(reason:)``
    ///   for a bad bound; `DifferentialPrivacyError`; `PaillierError`.
    /// - Warning: Noise bounds the privacy loss only if every value lies in
    ///   `[−bound, bound]`: nothing here can check that.
    public func release(privacy: DifferentialPrivacy.Mechanism? = nil, bound: Double? = nil) throws -> PaillierFileRelease {
      guard let sums, sums.count > 0 else { throw TabularError.emptyInput(what: "no records to aggregate") }
      let (rows, k) = (self.rows, columns.count)
      var count = BigInteger(sums.count)
      var values = try (0..<(rows.contains(.squares) ? 2 * k : rows.contains(.sum) ? k : 0)).map { j in
        guard let total = try sums.total(j) else { throw TabularError.emptyInput(what: "no records to aggregate") }
        return total
      }
      var annotations = ["analysis": "hekit-analyze", "rows": rows.map(\.rawValue).joined(separator: ","), "statistics": statisticsList]
      var statement: DifferentialPrivacy.Statement?
      if let privacy {
        guard let bound, bound > 0, let fraction = BigInteger.fraction(exactly: bound) else {
          throw AnalyticsError.invalidRequest(reason: "differential privacy needs a positive, finite bound on the values")
        }
        let (n, d) = fraction
        let shares = noiseShares(rows, sum: try ((n << 128) + d - 1) / d, square: try ((n.squared() << 256) + d.squared() - 1) / d.squared())
        let (noise, stated) = try shares.calibrate(privacy)
        statement = stated
        let first = rows.contains(.count) ? 1 : 0
        values = try values.enumerated().map { j, total in
          let exponent = j < k ? Self.noisedSumExponent : 2 * Self.noisedSumExponent
          guard total.exponent >= exponent else { throw AnalyticsError.tooPrecise(exponent: exponent) }
          let sample = try Paillier.EncodedNumber(mantissa: noise[first + j].sample(), exponent: exponent, publicKey: publicKey)
          return try total.decreasingExponent(to: exponent) + sample
        }
        if rows.contains(.count) { count += noise[0].sample() }
        annotations["privacy"] = statement?.description.replacingOccurrences(of: "\n  ", with: " | ")
      }
      var lines = [Paillier.Batch.header(for: publicKey, .init(columns: columns, annotations: annotations))]
      if rows.contains(.count) { lines.append(Paillier.Batch.record(Array(repeating: try publicKey.encrypt(count), count: k))) }
      let totals = values
      let fresh = try parallelMap(totals.count) { try totals[$0].rerandomized() }
      if rows.contains(.sum) { lines.append(Paillier.Batch.record(Array(fresh.prefix(k)))) }
      if rows.contains(.squares) { lines.append(Paillier.Batch.record(Array(fresh.dropFirst(k)))) }
      lines.append(Paillier.Batch.Trailer(records: rows.count, lines: rows.count).line)
      return PaillierFileRelease(
        records: sums.count, columns: columns, rows: rows, privacy: statement, privacyNote: annotations["privacy"],
        lines: lines)
    }

    /// The noise shares, in row order: `count`, `sum(x)`, `sum(x^2)`, in
    /// units of 1, 16^−32 and 16^−64 (sensitivities rounded up).
    private func noiseShares(_ rows: [ResultRow], sum: BigInteger, square: BigInteger) -> NoiseShares {
      var shares = NoiseShares()
      if rows.contains(.count) { shares.append("count", 1, 0) }
      if rows.contains(.sum) { for name in columns { shares.append("sum(\(name))", sum, 4 * Self.noisedSumExponent) } }
      if rows.contains(.squares) {
        for name in columns { shares.append("sum(\(name)^2)", square, 8 * Self.noisedSumExponent) }
      }
      return shares
    }
  }

  /// The result file of a ``PaillierFileAggregator``: a batch file with a
  /// header naming the columns and rows, one row per total, a trailer.
  public struct PaillierFileRelease: Sendable {
    /// The number of records aggregated (exact; the file's count may be noised).
    public let records: Int
    /// The aggregated columns.
    public let columns: [String]
    /// The rows of the file.
    public let rows: [ResultRow]
    /// The privacy statement when noise was added.
    public let privacy: DifferentialPrivacy.Statement?
    /// The statement on one line, as the file's header keeps it.
    public let privacyNote: String?
    /// The file's lines, without line ends.
    public let lines: [String]

    /// Writes the file, a line at a time.
    public func write(to write: (String) throws -> Void) throws {
      for line in lines { try write(line + "\n") }
    }
  }
}
