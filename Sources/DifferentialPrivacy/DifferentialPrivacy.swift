import BigNum

import Foundation

/// Differential privacy for encrypted aggregates: noise drawn by the
/// aggregator from the operating system's CSPRNG and added to the encrypted
/// totals *before* they go to the key holder, so the key holder only ever
/// decrypts noised results.
///
/// ``Mechanism/laplace(epsilon:)`` makes a release ε-differentially private;
/// ``Mechanism/gaussian(epsilon:delta:)`` makes it (ε, δ)-differentially
/// private, by way of zero-concentrated DP. Neighbouring inputs differ by one
/// record. What this means, how sensitivities and budgets are computed, and
/// the limits of the guarantee are in <doc:Guarantees>.
///
/// - Warning: the guarantee holds only if every record lies in the declared
///   ranges, and only against the key holder: a key holder colluding with the
///   aggregator learns exact totals. Each release spends its ε.
public enum DifferentialPrivacy {
  /// The noise mechanism and its privacy budget for a whole release.
  public enum Mechanism: Sendable, Equatable, CustomStringConvertible {
    /// Discrete Laplace noise: ε-DP (pure).
    case laplace(epsilon: Double)
    /// Discrete Gaussian noise: (ε, δ)-DP through zero-concentrated DP.
    case gaussian(epsilon: Double, delta: Double)

    /// Throws unless ε > 0 is finite and, for the Gaussian, 0 < δ < 1.
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)``.
    public func validate() throws {
      switch self {
      case .laplace(let epsilon):
        try Self.check(epsilon: epsilon)
      case .gaussian(let epsilon, let delta):
        try Self.check(epsilon: epsilon)
        guard delta > 0, delta < 1 else {
          throw DifferentialPrivacyError.invalidParameters(reason: "delta must lie strictly between 0 and 1, not \(delta)")
        }
      }
    }

    private static func check(epsilon: Double) throws {
      guard epsilon > 0, epsilon.isFinite else {
        throw DifferentialPrivacyError.invalidParameters(reason: "epsilon must be a positive finite number, not \(epsilon)")
      }
    }

    /// The zCDP parameter ρ an (ε, δ) budget affords (Gaussian only).
    var rho: Double? {
      guard case .gaussian(let epsilon, let delta) = self else { return nil }
      let l = log(1 / delta)
      let root = epsilon / ((l + epsilon).squareRoot() + l.squareRoot())  // √(l+ε) − √l, stably
      return root * root
    }

    /// The mechanism and its parameters in words.
    public var description: String {
      switch self {
      case .laplace(let epsilon): "discrete Laplace, epsilon \(epsilon) (pure DP)"
      case .gaussian(let epsilon, let delta): "discrete Gaussian, epsilon \(epsilon), delta \(delta)"
      }
    }
  }

  /// How much one neighbour can move a released integer quantity (or a
  /// vector of them that shares one budget share): its ℓ1 sensitivity (for
  /// Laplace) and the square of its ℓ2 sensitivity (for Gaussian). For a
  /// single number both are `Δ` and `Δ²`.
  public struct Sensitivity: Sendable, Equatable {
    /// The ℓ1 sensitivity, in integer units.
    public let l1: BigInteger
    /// The squared ℓ2 sensitivity, in integer units.
    public let l2Squared: BigInteger

    /// A scalar quantity's sensitivity `Δ`.
    public init(_ delta: BigInteger) {
      l1 = delta
      l2Squared = delta.squared()
    }

    /// A vector's sensitivities.
    public init(l1: BigInteger, l2Squared: BigInteger) {
      self.l1 = l1
      self.l2Squared = l2Squared
    }
  }

  /// A calibrated noise distribution for one share of the budget.
  public enum Noise: Sendable, Equatable {
    /// Discrete Laplace noise of the share's scale.
    case laplace(DiscreteLaplace)
    /// Discrete Gaussian noise of the share's σ.
    case gaussian(DiscreteGaussian)

    /// One sample from `generator`.
    public func sample(using generator: inout some RandomNumberGenerator) -> BigInteger {
      switch self {
      case .laplace(let d): d.sample(using: &generator)
      case .gaussian(let d): d.sample(using: &generator)
      }
    }

    /// One sample from the operating system's CSPRNG.
    public func sample() -> BigInteger {
      var generator = SecureRandom()
      return sample(using: &generator)
    }

    /// The standard deviation, in integer units.
    public var standardDeviation: Double {
      switch self {
      case .laplace(let d): d.standardDeviation
      case .gaussian(let d): d.sigma
      }
    }
  }

  /// One noise distribution per share, the budget split evenly over them.
  ///
  /// - Laplace: share i gets ε/m and scale `b_i = l1_i · m / ε` (exact).
  /// - Gaussian: share i gets ρ/m and `σ_i² = l2Squared_i · m / (2ρ)`, with
  ///   `m/(2ρ)` inflated by 1 + 2⁻³⁰ against floating-point rounding.
  /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` for a
  ///   bad mechanism, no shares, or a sensitivity that is not positive.
  public static func calibrate(_ mechanism: Mechanism, sensitivities: [Sensitivity]) throws -> [Noise] {
    try mechanism.validate()
    guard !sensitivities.isEmpty else {
      throw DifferentialPrivacyError.invalidParameters(reason: "nothing to add noise to")
    }
    let m = BigInteger(sensitivities.count)
    switch mechanism {
    case .laplace(let epsilon):
      let (n, d) = exactFraction(epsilon)
      return try sensitivities.map { s in
        guard s.l1.signum() > 0 else {
          throw DifferentialPrivacyError.invalidParameters(reason: "a sensitivity must be positive")
        }
        return .laplace(try DiscreteLaplace(scaleNumerator: s.l1 * m * d, scaleDenominator: n))
      }
    case .gaussian:
      let rho = mechanism.rho ?? 0
      let factor = Double(sensitivities.count) / (2 * rho) * (1 + 0x1p-30)
      guard factor.isFinite, factor > 0 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "epsilon and delta give no usable Gaussian budget")
      }
      let (n, d) = exactFraction(factor)
      return try sensitivities.map { s in
        guard s.l2Squared.signum() > 0 else {
          throw DifferentialPrivacyError.invalidParameters(reason: "a sensitivity must be positive")
        }
        return .gaussian(try DiscreteGaussian(varianceNumerator: s.l2Squared * n, varianceDenominator: d))
      }
    }
  }

  /// What a noised release guarantees, and how much noise each quantity got:
  /// handed to the key holder with the release.
  public struct Statement: Sendable, Equatable, CustomStringConvertible {
    /// One noised quantity (or vector sharing one budget share).
    public struct Share: Sendable, Equatable {
      /// What it is (for example `sum(age)`).
      public let name: String
      /// Its sensitivity in real units: ℓ1 for Laplace, ℓ2 for Gaussian.
      public let sensitivity: Double
      /// The noise's standard deviation in real units, per coordinate.
      public let noiseStandardDeviation: Double
    }

    /// The mechanism and total budget.
    public let mechanism: Mechanism
    /// The shares the budget was split over.
    public let shares: [Share]

    /// Builds the statement for calibrated noise: `unitExponents[i]` is the
    /// binary exponent of share i's integer unit (`−f` for a sum at scale 2^f).
    public init(mechanism: Mechanism, names: [String], sensitivities: [Sensitivity], noise: [Noise], unitExponents: [Int]) {
      self.mechanism = mechanism
      shares = names.indices.map { i in
        let unit = Double(sign: .plus, exponent: unitExponents[i], significand: 1)
        let s: Double
        switch mechanism {
        case .laplace: s = sensitivities[i].l1.nearestDouble()
        case .gaussian: s = sensitivities[i].l2Squared.nearestDouble().squareRoot()
        }
        return Share(name: names[i], sensitivity: s * unit, noiseStandardDeviation: noise[i].standardDeviation * unit)
      }
    }

    /// The guarantee in one paragraph, then one line per share.
    public var description: String {
      let m = shares.count
      var text: String
      switch mechanism {
      case .laplace(let epsilon):
        text = "\(epsilon)-differentially private (pure DP, discrete Laplace noise) for adding or removing one record, "
          + "provided every value lies within its declared bounds; epsilon split evenly over \(m) noised quantities (\(epsilon / Double(m)) each)."
      case .gaussian(let epsilon, let delta):
        let rho = mechanism.rho ?? 0
        text = "(\(epsilon), \(delta))-differentially private (discrete Gaussian noise, \(rho)-zCDP) for adding or removing one record, "
          + "provided every value lies within its declared bounds; rho split evenly over \(m) noised quantities."
      }
      for share in shares {
        text += "\n  \(share.name): sensitivity \(share.sensitivity), noise standard deviation \(share.noiseStandardDeviation)"
      }
      return text
    }
  }
}
