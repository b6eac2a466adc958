import BigNum
import DifferentialPrivacy
import Foundation
import HEKitFormats
import Paillier

extension Analytics {
  /// A result file of ``PaillierFileAggregator``, for the key holder:
  /// decrypted into statistics (``Table``), each computed exactly from the
  /// integer totals and rounded once.
  public struct PaillierResultFile {
    /// The file, for messages.
    public let file: String
    /// Its header.
    public let header: Paillier.Batch.Header
    /// The aggregated columns.
    public let columns: [String]
    /// The rows the header names, in order.
    public let rows: [String]
    /// The statistics list the aggregator was given.
    public let statistics: String
    /// The privacy statement on one line, when the totals were noised.
    public var privacy: String? { header.annotations["privacy"] }
    private let privateKey: Paillier.PrivateKey

    /// Decrypted statistics: one row per statistic, one value per column.
    public struct Table: Sendable {
      /// A statistic of one column.
      public enum Value: Sendable, Equatable {
        /// An exact count.
        case integer(BigInteger)
        /// A sum, mean, variance or standard deviation.
        case number(Double)
        /// None (a mean without records, a variance of one).
        case missing
      }
      /// The columns.
      public let columns: [String]
      /// The statistics asked for, in order (`count`, `sum`, `mean`,
      /// `variance`, `std`: variances and deviations are the sample ones).
      public let rows: [(statistic: String, values: [Value])]
      /// The same statistics as a ``Result`` (no error bounds: the file has no schema).
      public let result: Result
      /// The privacy statement on one line, when the totals were noised.
      public let privacy: String?
    }

    /// A result file's header.
    /// - Parameters:
    ///   - headerLine: its first line that is not blank.
    ///   - file: the file, for messages.
    ///   - privateKey: the key holder's key.
    ///   - keyFile: the key's file, for messages.
    /// - Throws: ``AnalyticsError/notResult(file:)``; `FormatError` for another key.
    public init(headerLine: String, file: String, privateKey: Paillier.PrivateKey, keyFile: String) throws {
      guard Paillier.Batch.isHeader(headerLine) else { throw AnalyticsError.notResult(file: file) }
      let header = try PaillierBatchFile.header(headerLine, file: file, publicKey: privateKey.publicKey, keyFile: keyFile)
      guard header.annotations["analysis"] == "hekit-analyze", let columns = header.columns,
        let rows = header.annotations["rows"]?.split(separator: ",").map(String.init)
      else { throw AnalyticsError.notResult(file: file) }
      (self.file, self.header, self.columns, self.rows) = (file, header, columns, rows)
      statistics = header.annotations["statistics"] ?? "all"
      self.privateKey = privateKey
    }

    /// Reads the rows (the lines after the header) and decrypts them.
    /// - Throws: `FormatError` for a missing, extra or malformed row or a bad
    ///   trailer; ``AnalyticsError/invalidRequest(reason:)`` for a bad
    ///   statistics list; `PaillierError`.
    public func decrypt(lines: () throws -> String?) throws -> Table {
      let statistics = try Statistics(parsing: self.statistics).subtracting(.histogram)
      let totals = try decryptRows(lines)
      let words = self.statistics.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let moments = columns.indices.map { j -> (mean: Double?, variance: Double?, sampleVariance: Double?) in
        guard let n = totals["count"]?[j].mantissa, let sum = totals["sum"]?[j] else { return (nil, nil, nil) }
        let squares = totals["sum-of-squares"]?[j]
        return Result.moments(
          count: n, sum: sum.mantissa, sumExponent: sum.exponent, squares: squares?.mantissa,
          squaresExponent: squares?.exponent ?? 0)
      }
      // A sum is the mean of one record with that value: m·2^e rounded once.
      let sums = totals["sum"]?.map {
        Result.moments(count: 1, sum: $0.mantissa, sumExponent: $0.exponent, squares: nil, squaresExponent: 0).mean
      }
      func number(_ x: Double?) -> Table.Value { x.map(Table.Value.number) ?? .missing }
      var table: [(String, [Table.Value])] = []
      if statistics.contains(.count), let counts = totals["count"] { table.append(("count", counts.map { .integer($0.mantissa) })) }
      if statistics.contains(.sum), let sums { table.append(("sum", sums.map(number))) }
      if statistics.contains(.mean) { table.append(("mean", moments.map { number($0.mean) })) }
      if words.contains("variance") || words.contains("var") || words.contains("all") {
        table.append(("variance", moments.map { number($0.sampleVariance) }))
      }
      if words.contains("std") || words.contains("all") {
        table.append(("std", moments.map { number($0.sampleVariance?.squareRoot()) }))
      }
      let result = Result(
        count: totals["count"]?.first?.mantissa.intValue,
        columns: columns.enumerated().map { j, name in
          Result.Column(
            name: name, sum: statistics.contains(.sum) ? sums?[j] : nil,
            mean: statistics.contains(.mean) ? moments[j].mean : nil,
            variance: statistics.contains(.variance) ? moments[j].variance : nil,
            sampleVariance: statistics.contains(.variance) ? moments[j].sampleVariance : nil, histogram: nil,
            weightedSum: nil, sumErrorBound: nil, meanErrorBound: nil, varianceErrorBound: nil,
            weightedSumErrorBound: nil)
        }, privacy: nil)
      return Table(columns: columns, rows: table, result: result, privacy: privacy)
    }

    /// Row name → the row's decrypted totals, checked against the header and trailer.
    private func decryptRows(_ lines: () throws -> String?) throws -> [String: [ExactValue]] {
      var totals: [String: [ExactValue]] = [:]
      var end = BatchTrailerCheck(file: file, required: header.hasTrailer) { line in
        let trailer = try Paillier.Batch.Trailer(parsing: line)
        return (trailer.records, trailer.lines)
      }
      let isBlank = { (line: String) in line.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
      var number = 1
      for name in rows {
        var next = try lines()
        number += 1
        while let line = next, isBlank(line) {
          next = try lines()
          number += 1
        }
        guard let line = next, !(try end.isTrailer(line, number: number)) else {
          throw FormatError.truncated(file: file, detail: "the \(name) row is missing")
        }
        end.count(records: 1)
        let record = try Paillier.Batch.parseRecord(line, publicKey: privateKey.publicKey)
        guard record.count == columns.count else {
          throw FormatError.malformed(file: file, reason: "the \(name) row holds \(record.count) values for \(columns.count) columns")
        }
        let key = privateKey
        totals[name] = try parallelMap(record.count) { i -> ExactValue in
          let encoded = try key.decryptEncoded(record[i])
          return ExactValue(mantissa: try encoded.mantissa(), exponent: 4 * encoded.exponent)
        }
      }
      while let line = try lines() {
        number += 1
        if isBlank(line) { continue }
        guard try end.isTrailer(line, number: number) else {
          throw FormatError.malformedLine(file: file, line: number, reason: "more rows than the header's \(rows.count)")
        }
      }
      try end.finish()
      return totals
    }
  }
}

extension Analytics.Result {
  /// Statistics read from a file, without a schema.
  init(count: Int?, columns: [Column], privacy: DifferentialPrivacy.Statement?) {
    self.count = count
    self.columns = columns
    self.privacy = privacy
  }
}
