import BigNum

import Foundation

// Exact samplers for the discrete Laplace and discrete Gaussian distributions
// (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
// Privacy", NeurIPS 2020, Algorithms 1–3). Every step is integer arithmetic
// on uniform draws: no floating point touches a sample, so none of the
// floating-point attacks on textbook Laplace samplers (Mironov, CCS 2012)
// apply. Draws come from the operating system's CSPRNG (`SecureRandom`);
// tests may pass a deterministic generator.

extension DifferentialPrivacy {
  /// The discrete Laplace distribution (two-sided geometric) on the integers:
  /// `P(x) ∝ exp(−|x| / b)` with the scale `b` an exact rational.
  ///
  /// Adding a sample with `b = Δ/ε` to an integer-valued statistic whose value
  /// changes by at most `Δ` between neighbouring inputs is ε-differentially
  /// private (pure DP).
  ///
  /// ```swift
  /// let noise = try DifferentialPrivacy.DiscreteLaplace(epsilon: 0.5, sensitivity: 1)  // b = 2
  /// let x = noise.sample()                                // from the OS CSPRNG
  /// ```
  public struct DiscreteLaplace: Sendable, Equatable {
    /// The numerator of the scale `b`.
    public let scaleNumerator: BigInteger
    /// The denominator of the scale `b`.
    public let scaleDenominator: BigInteger

    /// The distribution with scale `b = sensitivity / epsilon`, exactly (the
    /// `Double` ε is taken at its exact binary value).
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` unless
    ///   ε is positive and finite and the sensitivity positive.
    public init(epsilon: Double, sensitivity: BigInteger) throws {
      guard epsilon > 0, epsilon.isFinite else {
        throw DifferentialPrivacyError.invalidParameters(reason: "epsilon must be a positive finite number, not \(epsilon)")
      }
      guard sensitivity.signum() > 0 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "the sensitivity must be positive, not \(sensitivity)")
      }
      let (n, d) = exactFraction(epsilon)
      try self.init(scaleNumerator: sensitivity * d, scaleDenominator: n)
    }

    /// The distribution with scale `b = numerator / denominator`.
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` unless both are positive.
    public init(scaleNumerator: BigInteger, scaleDenominator: BigInteger) throws {
      guard scaleNumerator.signum() > 0, scaleDenominator.signum() > 0 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "the Laplace scale must be positive")
      }
      let g = scaleNumerator.greatestCommonDivisor(with: scaleDenominator)
      self.scaleNumerator = quotient(scaleNumerator, g)
      self.scaleDenominator = quotient(scaleDenominator, g)
    }

    /// The scale `b` (rounded to a `Double`).
    public var scale: Double { ((try? scaleNumerator.nearestDouble(dividedBy: scaleDenominator)) ?? 0) }

    /// The standard deviation, `√(2p) / (1 − p)` with `p = exp(−1/b)`.
    public var standardDeviation: Double {
      let b = scale
      let p = exp(-1 / b)
      return (2 * p).squareRoot() / -expm1(-1 / b)
    }

    /// One sample from `generator`.
    public func sample(using generator: inout some RandomNumberGenerator) -> BigInteger {
      laplace(t: scaleNumerator, s: scaleDenominator, using: &generator)
    }

    /// One sample from the operating system's CSPRNG.
    public func sample() -> BigInteger {
      var generator = SecureRandom()
      return sample(using: &generator)
    }
  }

  /// The discrete Gaussian distribution on the integers:
  /// `P(x) ∝ exp(−x² / (2σ²))` with `σ²` an exact rational.
  ///
  /// Adding a sample to an integer-valued statistic whose value changes by at
  /// most `Δ` (in ℓ2 norm, for a vector with one sample per coordinate)
  /// between neighbouring inputs is `Δ²/(2σ²)`-zero-concentrated DP
  /// (Canonne, Kamath, Steinke, Theorem 4 and 15).
  public struct DiscreteGaussian: Sendable, Equatable {
    /// The numerator of `σ²`.
    public let varianceNumerator: BigInteger
    /// The denominator of `σ²`.
    public let varianceDenominator: BigInteger

    /// The distribution with `σ² = numerator / denominator`.
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` unless both are positive.
    public init(varianceNumerator: BigInteger, varianceDenominator: BigInteger) throws {
      guard varianceNumerator.signum() > 0, varianceDenominator.signum() > 0 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "the Gaussian variance must be positive")
      }
      let g = varianceNumerator.greatestCommonDivisor(with: varianceDenominator)
      self.varianceNumerator = quotient(varianceNumerator, g)
      self.varianceDenominator = quotient(varianceDenominator, g)
    }

    /// The distribution with `σ = sigma` (σ² taken at the exact binary value of `sigma * sigma`).
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)`` unless σ is positive and finite.
    public init(sigma: Double) throws {
      guard sigma > 0, sigma.isFinite, (sigma * sigma).isFinite, sigma * sigma > 0 else {
        throw DifferentialPrivacyError.invalidParameters(reason: "sigma must be a positive finite number, not \(sigma)")
      }
      let (n, d) = exactFraction(sigma * sigma)
      try self.init(varianceNumerator: n, varianceDenominator: d)
    }

    /// σ, the parameter (rounded to a `Double`). The distribution's standard
    /// deviation is slightly below it for σ < 1 and equal to it to within
    /// 10⁻¹⁰ relative above.
    public var sigma: Double { ((try? varianceNumerator.nearestDouble(dividedBy: varianceDenominator)) ?? 0).squareRoot() }

    /// One sample from `generator` (Algorithm 3: discrete Laplace proposals
    /// of scale ⌊σ⌋ + 1, accepted with probability exp(−(|y| − σ²/t)²/(2σ²))).
    public func sample(using generator: inout some RandomNumberGenerator) -> BigInteger {
      let (a, c) = (varianceNumerator, varianceDenominator)
      let t = ((try? quotient(a, c).squareRootFloor()) ?? 0) + 1  // ⌊σ⌋ + 1
      let denominator = 2 * a * c * t.squared()
      while true {
        let y = laplace(t: t, s: 1, using: &generator)
        let numerator = (y.magnitude * c * t - a).squared()
        if bernoulliExp(minus: numerator, over: denominator, using: &generator) { return y }
      }
    }

    /// One sample from the operating system's CSPRNG.
    public func sample() -> BigInteger {
      var generator = SecureRandom()
      return sample(using: &generator)
    }
  }
}

// MARK: The exact building blocks

/// A discrete Laplace sample of scale t/s (Algorithm 2).
private func laplace(t: BigInteger, s: BigInteger, using generator: inout some RandomNumberGenerator) -> BigInteger {
  while true {
    let u = uniform(below: t, using: &generator)
    guard bernoulliExp(minus: u, over: t, using: &generator) else { continue }
    var v = BigInteger(0)
    while bernoulliExp(minus: 1, over: 1, using: &generator) { v += 1 }
    let y = quotient(u + t * v, s)
    let negative = generator.next() & 1 == 1
    if negative && y.isZero { continue }
    return negative ? -y : y
  }
}

/// True with probability exp(−n/d), for n ≥ 0 and d > 0 (Algorithm 1).
private func bernoulliExp(minus n: BigInteger, over d: BigInteger, using generator: inout some RandomNumberGenerator) -> Bool {
  var n = n
  // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−(γ − ⌊γ⌋)): peel whole units off first.
  while n > d {
    guard bernoulliExpUnit(1, 1, using: &generator) else { return false }
    n -= d
  }
  return bernoulliExpUnit(n, d, using: &generator)
}

/// True with probability exp(−γ) for γ = n/d in [0, 1]: count K while
/// Bernoulli(γ/K) succeeds; K is odd with probability exp(−γ).
private func bernoulliExpUnit(_ n: BigInteger, _ d: BigInteger, using generator: inout some RandomNumberGenerator) -> Bool {
  var k = BigInteger(1)
  while uniform(below: d * k, using: &generator) < n { k += 1 }
  return k.isOdd
}

/// A uniform integer in 0 ..< bound (bound > 0), without modulo bias.
private func uniform(below bound: BigInteger, using generator: inout some RandomNumberGenerator) -> BigInteger {
  (try? BigInteger.random(below: bound, using: &generator)) ?? 0  // bound > 0 at every call
}

/// `a / b` truncated, for b ≠ 0 at every call.
private func quotient(_ a: BigInteger, _ b: BigInteger) -> BigInteger { (try? a / b) ?? 0 }

/// A finite `Double` (checked by every caller) as an exact fraction.
func exactFraction(_ x: Double) -> (BigInteger, BigInteger) { BigInteger.fraction(exactly: x) ?? (0, 1) }
