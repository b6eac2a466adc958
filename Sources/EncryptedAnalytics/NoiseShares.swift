import BigNum
import DifferentialPrivacy

extension Analytics {
  /// Named totals that get noise, each with its sensitivity and unit exponent
  /// (``Schema`` builds those of a release; secure aggregation has one).
  struct NoiseShares {
    var names: [String] = []
    var sensitivities: [DifferentialPrivacy.Sensitivity] = []
    var units: [Int] = []
    /// For each released quantity, the index of its share.
    var shareOf: [Int] = []

    /// A share of ℓ1 = ℓ2 sensitivity `max(delta, 1)` (a range of 0 alone: any Δ > 0 works).
    mutating func append(_ name: String, _ delta: BigInteger, _ unit: Int) {
      append(name, .init(max(delta, 1)), unit)
    }

    mutating func append(_ name: String, _ sensitivity: DifferentialPrivacy.Sensitivity, _ unit: Int) {
      names.append(name)
      sensitivities.append(sensitivity)
      units.append(unit)
    }

    /// One noise distribution per share for `privacy`, and the statement.
    /// - Throws: ``DifferentialPrivacyError/invalidParameters(reason:)``.
    func calibrate(_ privacy: DifferentialPrivacy.Mechanism) throws -> ([DifferentialPrivacy.Noise], DifferentialPrivacy.Statement) {
      let noise = try DifferentialPrivacy.calibrate(privacy, sensitivities: sensitivities)
      return (noise, .init(mechanism: privacy, names: names, sensitivities: sensitivities, noise: noise, unitExponents: units))
    }
  }
}
