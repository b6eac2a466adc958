#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What can be wrong with tabular input a caller supplies: CSV data, model
/// files, training requests.
///
/// Line numbers are 1-based and count physical lines of the input, header
/// included, so they match what an editor shows.
public enum TabularError: Error, Equatable, Sendable {
  /// The input has no header line, or no data rows where some are needed.
  case emptyInput(what: String)
  /// A CSV record that cannot be read: an unterminated quote, a stray quote, or
  /// a different number of cells than the header.
  case malformedCSV(line: Int, reason: String)
  /// A header names the same column twice.
  case duplicateColumn(String)
  /// A requested column is not in the header.
  case unknownColumn(String, available: [String])
  /// An empty cell where a number is needed.
  case missingValue(line: Int, column: String)
  /// A cell that is not a decimal number (the first 40 characters are kept).
  case notANumber(line: Int, column: String, text: String)
  /// NaN or an infinity where a finite number is needed.
  case nonFiniteValue(line: Int, column: String)
  /// A model file that cannot be used, and why.
  case invalidModel(reason: String)
  /// Data whose columns do not match the model's features.
  case featureMismatch(expected: [String], found: [String])
  /// Training could not produce a model (for example one class only).
  case trainingFailed(reason: String)
}

extension TabularError: LocalizedError {
  public var errorDescription: String? {
    switch self {
    case .emptyInput(let what):
      return "empty input: \(what)"
    case .malformedCSV(let line, let reason):
      return "CSV line \(line): \(reason)"
    case .duplicateColumn(let name):
      return "the CSV header names column '\(name)' twice"
    case .unknownColumn(let name, let available):
      let shown = available.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
      return "no column '\(name)' in the CSV header (it has \(shown)\(available.count > 8 ? ", …" : ""))"
    case .missingValue(let line, let column):
      return "CSV line \(line), column '\(column)': the cell is empty"
    case .notANumber(let line, let column, let text):
      return "CSV line \(line), column '\(column)': '\(text)' is not a number"
    case .nonFiniteValue(let line, let column):
      return "CSV line \(line), column '\(column)': NaN, infinity and numbers beyond ±1.8e308 are not accepted"
    case .invalidModel(let reason):
      return "invalid model: \(reason)"
    case .featureMismatch(let expected, let found):
      let missing = expected.filter { !found.contains($0) }
      let detail = missing.isEmpty ? "columns in a different order or extra columns" : "missing \(missing.prefix(5).map { "'\($0)'" }.joined(separator: ", "))"
      return "the data's columns do not match the model's \(expected.count) features: \(detail)"
    case .trainingFailed(let reason):
      return "training failed: \(reason)"
    }
  }
}
