import BigNum
@testable import DifferentialPrivacy
import Foundation
import Testing
import _TestSupport

/// The exact samplers against their distributions, and the calibration of
/// noise to ε, δ and sensitivities.
@Suite("Differential privacy")
struct DifferentialPrivacyTests {
  /// Mean, variance and the frequency of 0 of `count` samples.
  static func moments(_ count: Int, _ draw: () -> BigInteger) -> (mean: Double, variance: Double, zero: Double) {
    var sum = 0.0
    var squares = 0.0
    var zeros = 0
    for _ in 0..<count {
      let x = Double(draw().intValue ?? Int.max)
      sum += x
      squares += x * x
      if x == 0 { zeros += 1 }
    }
    let mean = sum / Double(count)
    return (mean, squares / Double(count) - mean * mean, Double(zeros) / Double(count))
  }

  @Test("discrete Laplace: mean 0, variance 2p/(1−p)², P(0) = (1−p)/(1+p)")
  func laplace() throws {
    var g = SplitMix64(state: 1)
    let d = try DifferentialPrivacy.DiscreteLaplace(scaleNumerator: 3, scaleDenominator: 1)
    let p = exp(-1.0 / 3)
    let variance = 2 * p / ((1 - p) * (1 - p))  // 17.8
    #expect(abs(d.standardDeviation - variance.squareRoot()) < 1e-12)
    let m = Self.moments(12000) { d.sample(using: &g) }
    // Standard errors: 0.04 for the mean, about 2% for the variance, 0.0034 for P(0).
    #expect(abs(m.mean) < 0.2)
    #expect(abs(m.variance / variance - 1) < 0.08)
    #expect(abs(m.zero - (1 - p) / (1 + p)) < 0.017)
    // A fractional scale (ε = 0.7, Δ = 2): b = 2/0.7 exactly.
    let f = try DifferentialPrivacy.DiscreteLaplace(epsilon: 0.7, sensitivity: 2)
    #expect(abs(f.scale - 2 / 0.7) < 1e-12)
    let q = exp(-0.7 / 2)
    let mf = Self.moments(12000) { f.sample(using: &g) }
    #expect(abs(mf.variance / (2 * q / ((1 - q) * (1 - q))) - 1) < 0.08)
    // A scale far beyond 64 bits: E|x| ≈ b (the discrete law is the continuous one, rounded).
    let big = try DifferentialPrivacy.DiscreteLaplace(scaleNumerator: BigInteger(1) << 200, scaleDenominator: 1)
    var absolute = 0.0
    for _ in 0..<400 { absolute += try big.sample(using: &g).magnitude.nearestDouble(dividedBy: BigInteger(1) << 200) }
    #expect(abs(absolute / 400 - 1) < 0.25)  // standard error 0.05
  }

  @Test("discrete Gaussian: mean 0, the exact variance and P(0)")
  func gaussian() throws {
    var g = SplitMix64(state: 2)
    let d = try DifferentialPrivacy.DiscreteGaussian(sigma: 2.5)
    #expect(d.varianceNumerator == 25 && d.varianceDenominator == 4)
    // The exact law: weights exp(−x²/(2σ²)) over the integers.
    let weights = (-60...60).map { x in (x, exp(-Double(x * x) / 12.5)) }
    let total = weights.reduce(0) { $0 + $1.1 }
    let variance = weights.reduce(0) { $0 + Double($1.0 * $1.0) * $1.1 } / total
    let m = Self.moments(12000) { d.sample(using: &g) }
    // Standard errors: 0.023 for the mean, 1.3% for the variance, 0.003 for P(0).
    #expect(abs(m.mean) < 0.12)
    #expect(abs(m.variance / variance - 1) < 0.065)
    #expect(abs(m.zero - 1 / total) < 0.015)
    // σ below 1 works too (t = 1 proposals).
    let small = try DifferentialPrivacy.DiscreteGaussian(sigma: 0.5)
    let ms = Self.moments(3000) { small.sample(using: &g) }
    let w = (-10...10).map { x in exp(-Double(x * x) / 0.5) }
    #expect(abs(ms.zero - 1 / w.reduce(0, +)) < 0.03)
  }

  @Test("the default generator is the OS CSPRNG: samples spread as they should")
  func systemRandomness() throws {
    let d = try DifferentialPrivacy.DiscreteLaplace(epsilon: 1, sensitivity: 10)  // b = 10, sd ≈ 14.1
    let m = Self.moments(2000) { d.sample() }
    #expect(abs(m.mean) < 2 && m.variance > 100 && m.variance < 300)
  }

  @Test("calibration: the budget splits evenly; σ from ρ = (√(ln 1/δ + ε) − √ln 1/δ)²")
  func calibration() throws {
    let shares: [DifferentialPrivacy.Sensitivity] = [.init(1), .init(100), .init(l1: 3, l2Squared: 5)]
    let laplace = try DifferentialPrivacy.calibrate(.laplace(epsilon: 0.5), sensitivities: shares)
    // b_i = Δ_i · m / ε = Δ_i · 6.
    #expect(laplace.map { if case .laplace(let d) = $0 { d.scale } else { 0 } } == [6, 600, 18])
    let gaussian = try DifferentialPrivacy.calibrate(.gaussian(epsilon: 1, delta: 1e-6), sensitivities: shares)
    let l = log(1e6)
    let rho = pow((l + 1).squareRoot() - l.squareRoot(), 2)
    for (noise, l2) in zip(gaussian, [1.0, 10_000, 5]) {
      guard case .gaussian(let d) = noise else { Issue.record("not Gaussian"); continue }
      let expected = (l2 * 3 / (2 * rho)).squareRoot()
      #expect(d.sigma >= expected && d.sigma < expected * (1 + 1e-8))
    }
    let statement = DifferentialPrivacy.Statement(
      mechanism: .laplace(epsilon: 0.5), names: ["count", "sum(x)", "v"], sensitivities: shares, noise: laplace,
      unitExponents: [0, -4, 0])
    #expect(statement.shares[1].sensitivity == 100.0 / 16 && statement.description.contains("0.5-differentially private"))
    for bad in [DifferentialPrivacy.Mechanism.laplace(epsilon: 0), .laplace(epsilon: .nan), .laplace(epsilon: .infinity),
      .gaussian(epsilon: 1, delta: 0), .gaussian(epsilon: 1, delta: 1), .gaussian(epsilon: -1, delta: 0.1)]
    {
      #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.calibrate(bad, sensitivities: shares) }
    }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.calibrate(.laplace(epsilon: 1), sensitivities: []) }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.calibrate(.laplace(epsilon: 1), sensitivities: [.init(0)]) }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.DiscreteGaussian(sigma: 0) }
    #expect(throws: DifferentialPrivacyError.self) { try DifferentialPrivacy.DiscreteLaplace(epsilon: 1, sensitivity: -1) }
  }
}
