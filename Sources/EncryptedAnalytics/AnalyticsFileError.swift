#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension Analytics {
  /// Why a batch file cannot be aggregated by ``PaillierFileAggregator`` or
  /// read by ``PaillierResultFile``. (A malformed, truncated or
  /// other-key file is `HEKitFormats.FormatError`.)
  public enum FileError: Error, Equatable, Sendable {
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
    /// Not a result file of ``PaillierFileAggregator``.
    case notResult(file: String)
  }
}

extension Analytics.FileError: LocalizedError {
  public var errorDescription: String? {
    switch self {
    case .notRecords(let file):
      return "\(file) is not a batch file of encrypted records (hekit encrypt --input)"
    case .holdsResults(let file):
      return "\(file) holds results, not records"
    case .unnamedColumns(let file):
      return "\(file) names no columns: encrypt with a header line (hekit encrypt --header)"
    case .otherColumns(let file, let first):
      return "\(file) has other columns than \(first)"
    case .missingSquares(let column):
      return "a variance of '\(column)' needs its squares: encrypt with hekit encrypt --with-squares"
    case .recordWidth(let found, let expected):
      return "\(found) values where the header names \(expected)"
    case .tooPrecise(let exponent):
      return "a value was encrypted with more precision than 16^\(exponent): differential privacy needs values at exponent \(exponent) or above"
    case .notResult(let file):
      return "\(file) is not a result file of hekit analyze"
    }
  }
}
