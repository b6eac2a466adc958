import Foundation

extension DifferentialPrivacy {
  /// The privacy spent over several releases, composed in zero-concentrated
  /// differential privacy (Bun and Steinke, "Concentrated Differential
  /// Privacy: Simplifications, Extensions, and Lower Bounds", TCC 2016):
  /// ρ adds up across releases (Lemma 2.3); an ε-DP (Laplace) release is
  /// (ε²/2)-zCDP (Proposition 1.4); the total is (ρ + 2√(ρ ln(1/δ)), δ)-DP
  /// for every δ in (0, 1) (Proposition 1.3), the inverse of how
  /// ``Mechanism/gaussian(epsilon:delta:)`` turns (ε, δ) into ρ.
  ///
  /// For rounds of training: ``perRound(epsilon:delta:rounds:)`` gives the
  /// Gaussian budget of one round such that `rounds` of them spend (ε, δ).
  public struct Accountant: Sendable, Equatable {
    /// The zCDP parameter of everything spent.
    public private(set) var rho: Double = 0
    /// The releases spent.
    public private(set) var releases = 0

    /// Nothing spent.
    public init() {}

    /// Records one release of `mechanism` (its whole budget).
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)``.
    public mutating func spend(_ mechanism: Mechanism) throws {
      try mechanism.validate()
      switch mechanism {
      case .laplace(let epsilon): try spend(rho: epsilon * epsilon / 2)
      case .gaussian: try spend(rho: mechanism.rho ?? 0)
      }
    }

    /// Records one release that is ρ-zCDP.
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` for ρ
    ///   that is not a positive finite number.
    public mutating func spend(rho: Double) throws {
      guard rho > 0, rho.isFinite else {
        throw DifferentialPrivacyError.invalidParameters(reason: "rho must be a positive finite number, not \(rho)")
      }
      self.rho += rho
      releases += 1
    }

    /// The ε of everything spent, at `delta`: ρ + 2√(ρ ln(1/δ)).
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` unless 0 < δ < 1.
    public func epsilon(delta: Double) throws -> Double {
      guard delta > 0, delta < 1 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "delta must lie strictly between 0 and 1, not \(delta)")
      }
      return rho + 2 * (rho * log(1 / delta)).squareRoot()
    }

    /// The Gaussian budget of one of `rounds` releases that together spend
    /// at most (ε, δ): ρ of (ε, δ) divided evenly, as (ε′, δ) with
    /// ε′ = ρ′ + 2√(ρ′ ln(1/δ)).
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` for
    ///   a budget out of its domain or no rounds.
    public static func perRound(epsilon: Double, delta: Double, rounds: Int) throws -> Mechanism {
      let total = Mechanism.gaussian(epsilon: epsilon, delta: delta)
      try total.validate()
      guard rounds >= 1 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "at least one round, not \(rounds)")
      }
      let rho = (total.rho ?? 0) / Double(rounds)
      return .gaussian(epsilon: rho + 2 * (rho * log(1 / delta)).squareRoot(), delta: delta)
    }
  }
}
