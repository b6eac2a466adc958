#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything that can go wrong in EncryptedML on input a caller supplies:
/// CSV data, model files, training requests.
///
/// Line numbers are 1-based and count physical lines of the input, header
/// included, so they match what an editor shows.
public enum EncryptedMLError: Error, Equatable, Sendable {
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
  /// A quantised model's scores need `needBits` bits of plaintext space
  /// (every score in `(−2^(needBits−1), 2^(needBits−1))`) but the chosen
  /// parameters hold about `haveBits`: use more plaintext moduli, a larger
  /// plaintext modulus, or fewer fraction bits (a larger error bound).
  case doesNotFitPlaintext(needBits: Int, haveBits: Int)
  /// A record's value outside the range declared for its feature or column
  /// (a model's quantisation, an analytics schema): the error, overflow and
  /// privacy bounds would not hold for it.
  case valueOutOfRange(feature: String, value: Double, range: ClosedRange<Double>)
  /// An analytics request that cannot be served as asked (a bad schema,
  /// scale, statistic or parameter), and why.
  case invalidAnalytics(reason: String)
  /// Differential-privacy parameters outside their domain (ε, δ or a
  /// sensitivity that is not a positive finite number, δ not below 1).
  case invalidPrivacyParameters(reason: String)
  /// More records (or parties) than the encryption parameters were sized for:
  /// their sums could wrap around the plaintext modulus.
  case tooManyRecords(count: Int, maximum: Int)
  /// A vector of another length than the encoding's dimension.
  case dimensionMismatch(expected: Int, found: Int)
  /// A server-side BFV computation was not given the public material it
  /// needs (public keys for noise flooding, relinearisation keys for a
  /// product), or keys for another number of plaintext moduli; says which.
  /// (A missing rotation key is `BFVError.missingGaloisKey(step:)`.)
  case missingEvaluationKey(String)
  /// Ciphertexts laid out for another scorer: another number of plaintext
  /// moduli, block size or record count than the receiving side expects.
  case layoutMismatch(reason: String)
  /// A decrypted result that no correct computation of this scorer gives
  /// (outside the range of its values): ciphertexts from another scorer, or
  /// noise beyond the budget.
  case invalidResult(reason: String)
  /// No fixed-point scale bounds the error of a model's outputs (`quantity`:
  /// a logistic model's logit, a linear model's score) by `target`; `best`
  /// is the smallest bound reachable, `recordsRounding` the part no scale
  /// reduces, `limit` what stopped the search.
  case targetErrorUnreachable(quantity: String, target: Double, best: Double?, recordsRounding: Double, limit: String)
}

extension EncryptedMLError: LocalizedError {
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
    case .doesNotFitPlaintext(let need, let have):
      return "the quantised model's scores need \(need) bits of plaintext space but the parameters hold \(have): use more plaintext moduli or fewer fraction bits"
    case .valueOutOfRange(let feature, let value, let range):
      return "feature '\(feature)': \(value) is outside the declared range \(range.lowerBound)...\(range.upperBound)"
    case .invalidAnalytics(let reason):
      return "analytics: \(reason)"
    case .invalidPrivacyParameters(let reason):
      return "differential privacy: \(reason)"
    case .tooManyRecords(let count, let maximum):
      return "\(count) records, but the encryption parameters were sized for at most \(maximum): the sums could wrap; choose a larger maximum"
    case .dimensionMismatch(let expected, let found):
      return "a vector of \(found) values where the encoding expects \(expected)"
    case .missingEvaluationKey(let what):
      return "missing evaluation key: \(what) (the key holder generates it from the secret key and sends it with the public key)"
    case .layoutMismatch(let reason):
      return "ciphertexts laid out for another scorer: \(reason)"
    case .invalidResult(let reason):
      return "invalid decrypted result: \(reason)"
    case .targetErrorUnreachable(let quantity, let target, let best, let rounding, let limit):
      let reachable = best.map { "the smallest bound reachable is \(FixedPointLinearModel.roundedUp($0))" } ?? "no bound is reachable"
      return "no fixed-point scale bounds the \(quantity) error by \(target): \(limit); \(reachable) "
        + "(the records' own rounding contributes \(rounding))"
    }
  }
}
