#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What can stop an encrypted statistic or a secure aggregation: a request
/// that cannot be served, values outside the schema, more records or parties
/// than the parameters were sized for, vectors of the wrong length.
/// (Malformed CSV data is ``Tabular/TabularError``.)
public enum AnalyticsError: Error, Equatable, Sendable {
  /// The totals need `needBits` bits of plaintext space (every total in
  /// `(−2^(needBits−1), 2^(needBits−1))`) but the parameters hold about
  /// `haveBits`: use more plaintext moduli or fewer fraction bits.
  case doesNotFitPlaintext(needBits: Int, haveBits: Int)
  /// A record's value outside the range declared for its feature or column
  /// in the schema: the overflow and
  /// privacy bounds would not hold for it.
  case valueOutOfRange(feature: String, value: Double, range: ClosedRange<Double>)
  /// An analytics request that cannot be served as asked (a bad schema,
  /// scale, statistic or parameter), and why.
  case invalidRequest(reason: String)
  /// More records (or parties) than the encryption parameters were sized for:
  /// their sums could wrap around the plaintext modulus.
  case tooManyRecords(count: Int, maximum: Int)
  /// A vector of another length than the encoding's dimension.
  case dimensionMismatch(expected: Int, found: Int)
  /// Not a Paillier batch file of records.
  case notRecords(file: String)
  /// A file of results (an analysis or scores), not of records.
  case holdsResults(file: String)
  /// A batch file without column names in its header.
  case unnamedColumns(file: String)
  /// A file with other columns than the first file.
  case otherColumns(file: String, first: String)
  /// A variance asked for a column whose squares the records lack.
  case missingSquares(column: String)
  /// A record with `found` values where the header names `expected`.
  case recordWidth(found: Int, expected: Int)
  /// A value with more precision than a noised total is released at.
  case tooPrecise(exponent: Int)
  /// Not a result file of an encrypted analysis.
  case notResult(file: String)
}

extension AnalyticsError: LocalizedError {
  public var errorDescription: String? {
    switch self {
    case .notRecords(let file):
      return "\(file) is not a batch file of encrypted records"
    case .holdsResults(let file):
      return "\(file) holds results, not records"
    case .unnamedColumns(let file):
      return "\(file) names no columns: encrypt with a header line"
    case .otherColumns(let file, let first):
      return "\(file) has other columns than \(first)"
    case .missingSquares(let column):
      return "a variance of '\(column)' needs its squares: encrypt the records with their squares"
    case .recordWidth(let found, let expected):
      return "\(found) values where the header names \(expected)"
    case .tooPrecise(let exponent):
      return "a value was encrypted with more precision than 16^\(exponent): differential privacy needs values at exponent \(exponent) or above"
    case .notResult(let file):
      return "\(file) is not a result file of an encrypted analysis"
    case .invalidRequest(let reason):
      return "analytics: \(reason)"
    case .valueOutOfRange(let feature, let value, let range):
      return "feature '\(feature)': \(value) is outside the declared range \(range.lowerBound)...\(range.upperBound)"
    case .doesNotFitPlaintext(let need, let have):
      return "the totals need \(need) bits of plaintext space but the parameters hold \(have): use more plaintext moduli or fewer fraction bits"
    case .tooManyRecords(let count, let maximum):
      return "\(count) records, but the encryption parameters were sized for at most \(maximum): the sums could wrap; choose a larger maximum"
    case .dimensionMismatch(let expected, let found):
      return "a vector of \(found) values where the encoding expects \(expected)"
    }
  }
}
