#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What can be wrong with a differential-privacy request.
public enum DifferentialPrivacyError: Error, Equatable, Sendable {
  /// Differential-privacy parameters outside their domain (ε, δ or a
  /// sensitivity that is not a positive finite number, δ not below 1).
  case invalidParameters(reason: String)
}

extension DifferentialPrivacyError: LocalizedError {
  public var errorDescription: String? {
    switch self {
    case .invalidParameters(let reason):
      return "differential privacy: \(reason)"
    }
  }
}
