#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What can stop a model from being scored on encrypted records: a model that
/// does not fit the plaintext space or the error target, records outside the
/// declared ranges, ciphertexts laid out for another scorer, missing keys.
/// (Malformed model files and data are ``Tabular/TabularError``.)
public enum ScoringError: Error, Equatable, Sendable {
  /// A model, encoding or scorer setting this scorer cannot use (features
  /// that differ, parameters out of range, a ring too small for the
  /// computation), and why.
  case invalidModel(reason: String)
  /// A quantised model's scores need `needBits` bits of plaintext space
  /// (every score in `(−2^(needBits−1), 2^(needBits−1))`) but the chosen
  /// parameters hold about `haveBits`: use more plaintext moduli, a larger
  /// plaintext modulus, or fewer fraction bits (a larger error bound).
  case doesNotFitPlaintext(needBits: Int, haveBits: Int)
  /// A record's value outside the range declared for its feature or column
  /// in the model's quantisation: the error and overflow bounds would not
  /// hold for it.
  case valueOutOfRange(feature: String, value: Double, range: ClosedRange<Double>)
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

extension ScoringError: LocalizedError {
  public var errorDescription: String? {
    switch self {
    case .invalidModel(let reason):
      return "cannot score this model: \(reason)"
    case .doesNotFitPlaintext(let need, let have):
      return "the quantised model's scores need \(need) bits of plaintext space but the parameters hold \(have): use more plaintext moduli or fewer fraction bits"
    case .valueOutOfRange(let feature, let value, let range):
      return "feature '\(feature)': \(value) is outside the declared range \(range.lowerBound)...\(range.upperBound)"
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
