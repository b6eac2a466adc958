import Foundation
import Tabular

/// A linear model in fixed point: integer weights and intercept that score
/// integer-encoded records exactly, with a proven bound on the logit error.
///
/// Feature j is encoded as `X_j = round(x_j · 2^e_j)` and its folded weight as
/// `W_j = round(w_j · 2^(F − e_j))`, so the integer score
/// `S = B + Σ W_j·X_j` decodes to the logit `S / 2^F`. For records inside the
/// declared ranges the decoded logit is within ``errorBound`` of the exact one,
/// and `|S|` is at most ``scoreMagnitude``. How the exponents are chosen and
/// the bound derived: <doc:FixedPoint>.
///
/// - Warning: the exponents and the ranges are public: they are not hidden by
///   the encryption.
public struct FixedPointLinearModel: Sendable, Equatable {
  /// The model's feature names, in order.
  public let features: [String]
  /// F: the score `S` decodes to the logit `S / 2^F`.
  public let fractionBits: Int
  /// e_j: feature j is encoded as `round(x_j · 2^e_j)`.
  public let featureExponents: [Int]
  /// W_j = round(w_j · 2^(F − e_j)) for the folded weights.
  public let weights: [Int64]
  /// B = round(b · 2^F) for the folded intercept.
  public let intercept: Int64
  /// The declared range of every feature; records outside are refused.
  public let featureRanges: [ClosedRange<Double>]
  /// The bound on `|decoded logit − exact logit|` for records inside the ranges.
  public let errorBound: Double
  /// The largest `|S|` over the declared ranges.
  public let scoreMagnitude: UInt128

  /// The largest supported F; larger scales would leave the 64-bit integers.
  public static let maximumFractionBits = 60

  /// The bit width of `2·scoreMagnitude + 1`: a plaintext space of at least
  /// `2^requiredBits` values holds every score.
  public var requiredBits: Int { 128 - (2 * scoreMagnitude + 1).leadingZeroBitCount }

  /// Quantises `model` (its scaler folded in) at the scale `2^fractionBits`.
  ///
  /// - Parameters:
  ///   - model: the model; its scaler, if any, is folded into the weights.
  ///   - featureRanges: per feature, the values records may take (from the
  ///     data with ``ranges(of:)`` or from the caller's domain knowledge).
  ///   - fractionBits: F in 0...``maximumFractionBits``.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` for ranges that do
  ///   not match the features or are not finite, a bad F, or weights whose
  ///   fixed-point form leaves the 62-bit integers.
  public init(_ model: LinearModel, featureRanges: [ClosedRange<Double>], fractionBits: Int) throws {
    try self.init(model, featureRanges: featureRanges, fractionBits: fractionBits, given: nil)
  }

  /// Quantises `model` at the scale `2^fractionBits` for records encoded with
  /// given feature exponents: the weights take the exponents `F − e_j`, so
  /// every product `W_j·X_j` still has the scale `2^F`.
  ///
  /// The server's side of a split where whoever encrypts the records picks
  /// the exponents from the data alone (``featureExponents(for:precisionBits:)``);
  /// see <doc:FixedPoint>.
  ///
  /// - Parameters:
  ///   - model: the model; its scaler, if any, is folded into the weights.
  ///   - featureExponents: e_j per feature, in -512...512.
  ///   - featureRanges: per feature, the declared range of the records.
  ///   - fractionBits: F in 0...``maximumFractionBits``.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` as
  ///   ``init(_:featureRanges:fractionBits:)``, and for exponents that do not
  ///   match the features or lie outside -512...512.
  public init(
    _ model: LinearModel, featureExponents: [Int], featureRanges: [ClosedRange<Double>], fractionBits: Int
  ) throws {
    guard featureExponents.count == featureRanges.count else {
      throw ScoringError.invalidModel(
        reason: "\(featureExponents.count) feature exponents for \(featureRanges.count) feature ranges")
    }
    guard featureExponents.allSatisfy({ (-512...512).contains($0) }) else {
      throw ScoringError.invalidModel(reason: "feature exponents must lie in -512...512")
    }
    try self.init(model, featureRanges: featureRanges, fractionBits: fractionBits, given: featureExponents)
  }

  /// The shared body: `given` exponents, or the balanced choice when `nil`.
  private init(
    _ model: LinearModel, featureRanges: [ClosedRange<Double>], fractionBits: Int, given: [Int]?
  ) throws {
    func fail(_ reason: String) -> ScoringError { .invalidModel(reason: reason) }
    let folded = model.folded()
    guard featureRanges.count == folded.weights.count else {
      throw fail("\(featureRanges.count) feature ranges for \(folded.weights.count) features")
    }
    guard featureRanges.allSatisfy({ $0.lowerBound.isFinite && $0.upperBound.isFinite }) else {
      throw fail("feature ranges must be finite")
    }
    guard (0...Self.maximumFractionBits).contains(fractionBits) else {
      throw fail("fixed-point fraction bits \(fractionBits) outside 0...\(Self.maximumFractionBits)")
    }
    let f = fractionBits
    let limit = 0x1p62
    var exponents: [Int] = []
    var weights: [Int64] = []
    var error = Double(sign: .plus, exponent: -(f + 1), significand: 1)  // the intercept's rounding
    var low: Int128 = 0
    var high: Int128 = 0
    for (j, w) in folded.weights.enumerated() {
      let range = featureRanges[j]
      let r = max(range.lowerBound.magnitude, range.upperBound.magnitude)
      var e = f / 2
      if w != 0 && r > 0 { e = Int(((Double(f) + log2(w.magnitude / r)) / 2).rounded()) }
      if r == 0 { e = f }  // x is 0: any e is exact; this one keeps W small
      if w == 0 { e = 0 }  // W is 0: any e is exact
      if let given { e = given[j] }
      let scaledW = Double(sign: .plus, exponent: f - e, significand: w).rounded()
      let lo = Double(sign: .plus, exponent: e, significand: range.lowerBound).rounded()
      let hi = Double(sign: .plus, exponent: e, significand: range.upperBound).rounded()
      guard lo.magnitude < limit, hi.magnitude < limit else {
        throw fail("the range of feature '\(folded.features[j])' leaves the 62-bit fixed-point integers at 2^\(e)")
      }
      guard scaledW.magnitude < limit else {
        throw fail(
          "the weight of feature '\(folded.features[j])' (\(w) with the scaler folded in) leaves the 62-bit "
            + "fixed-point integers at the scale 2^\(f)")
      }
      let wInt = Int64(scaledW)
      exponents.append(e)
      weights.append(wInt)
      let a = Int128(wInt) * Int128(Int64(lo))
      let b = Int128(wInt) * Int128(Int64(hi))
      low += min(a, b)
      high += max(a, b)
      let dx = Double(sign: .plus, exponent: -(e + 1), significand: 1)
      let dw = Double(sign: .plus, exponent: -(f - e + 1), significand: 1)
      error += w.magnitude * dx + dw * (r + dx)
    }
    let scaledB = Double(sign: .plus, exponent: f, significand: folded.intercept).rounded()
    guard scaledB.magnitude < limit else {
      throw fail("the intercept (\(folded.intercept) with the scaler folded in) leaves the 62-bit fixed-point integers at the scale 2^\(f)")
    }
    self.intercept = Int64(scaledB)
    low += Int128(intercept)
    high += Int128(intercept)
    self.features = folded.features
    self.fractionBits = f
    self.featureExponents = exponents
    self.weights = weights
    self.featureRanges = featureRanges
    self.scoreMagnitude = max(low.magnitude, high.magnitude)
    let largestLogit = Double(scoreMagnitude) / Double(sign: .plus, exponent: f, significand: 1)
    // Rounding slack: the Double sums above and the final Int → Double conversion.
    self.errorBound = error * (1 + 0x1p-40) + largestLogit * 0x1p-52
  }

  /// The smallest F (from 8) whose ``errorBound`` is at most `targetError`.
  /// - Throws: ``ScoringError/invalidModel(reason:)`` as ``init(_:featureRanges:fractionBits:)``;
  ///   ``ScoringError/targetErrorUnreachable(quantity:target:best:recordsRounding:limit:)``
  ///   when no F up to ``maximumFractionBits`` (or up to the 62-bit limit) reaches the target.
  public static func withError(
    atMost targetError: Double, _ model: LinearModel, featureRanges: [ClosedRange<Double>]
  ) throws -> FixedPointLinearModel {
    guard targetError > 0, targetError.isFinite else {
      throw ScoringError.invalidModel(reason: "the target \(quantity(of: model)) error must be a positive number")
    }
    var best: Double?
    for f in 8...maximumFractionBits {
      let candidate: FixedPointLinearModel
      do {
        candidate = try FixedPointLinearModel(model, featureRanges: featureRanges, fractionBits: f)
      } catch ScoringError.invalidModel(let reason) where f > 8 {
        throw ScoringError.targetErrorUnreachable(
          quantity: quantity(of: model), target: targetError, best: best, recordsRounding: 0, limit: reason)
      }
      if candidate.errorBound <= targetError { return candidate }
      best = min(best ?? .infinity, candidate.errorBound)
    }
    throw ScoringError.targetErrorUnreachable(
      quantity: quantity(of: model), target: targetError, best: best, recordsRounding: 0,
      limit: "the scale reached its largest, 2^\(maximumFractionBits)")
  }

  /// What a model's output is called in messages: a logistic model's logit,
  /// a linear model's score.
  public static func quantity(of model: LinearModel) -> String { model.kind == .logistic ? "logit" : "score" }

  /// The default bound on the error of a model's outputs: 10⁻⁶ for a
  /// logistic model's logits (their scale is fixed by the sigmoid), and for
  /// a linear model's scores 10⁻⁶ of their largest magnitude over the
  /// declared ranges (at least 10⁻⁶), so that a target in the hundreds needs
  /// no more relative precision than a logit.
  /// - Parameters:
  ///   - model: the model (its scaler is folded in).
  ///   - featureRanges: the declared range of every feature, in the model's order.
  public static func defaultTargetError(for model: LinearModel, featureRanges: [ClosedRange<Double>]) -> Double {
    guard model.kind == .linear else { return 1e-6 }
    let folded = model.folded()
    var largest = folded.intercept.magnitude
    for (w, range) in zip(folded.weights, featureRanges) {
      largest += w.magnitude * max(range.lowerBound.magnitude, range.upperBound.magnitude)
    }
    guard largest.isFinite else { return 1e-6 }
    return 1e-6 * max(1, largest)
  }

  /// `x` rounded up to two significant digits, as text (for a bound a person types).
  public static func roundedUp(_ x: Double) -> String {
    guard x > 0, x.isFinite else { return "\(x)" }
    let unit = pow(10, (log10(x)).rounded(.down) - 1)
    var digits = (x / unit).rounded(.up)
    while true {
      let text = String(format: "%.2g", digits * unit)
      if let value = Double(text), value >= x { return text }
      digits += 1
    }
  }

  /// The smallest F whose ``errorBound`` is at most `targetError`, for
  /// records encoded with given exponents (see
  /// ``init(_:featureExponents:featureRanges:fractionBits:)``).
  /// - Throws: ``ScoringError/invalidModel(reason:)`` as that initialiser
  ///   at F = 0; ``ScoringError/targetErrorUnreachable(quantity:target:best:recordsRounding:limit:)``
  ///   when no F up to ``maximumFractionBits`` (or up to the 62-bit limit)
  ///   reaches the target, with the smallest reachable bound, the floor the
  ///   records' own rounding sets and what stopped the search.
  public static func withError(
    atMost targetError: Double, _ model: LinearModel, featureExponents: [Int], featureRanges: [ClosedRange<Double>]
  ) throws -> FixedPointLinearModel {
    guard targetError > 0, targetError.isFinite else {
      throw ScoringError.invalidModel(reason: "the target \(quantity(of: model)) error must be a positive number")
    }
    // The records' own rounding, Σ |w_j|·2^−(e_j+1), which no F reduces.
    var floor = 0.0
    for (w, e) in zip(model.folded().weights, featureExponents) {
      floor += w.magnitude * Double(sign: .plus, exponent: -(e + 1), significand: 1)
    }
    var best: Double?
    var stop = "the scale reached its largest, 2^\(maximumFractionBits)"
    for f in 0...maximumFractionBits {
      let candidate: FixedPointLinearModel
      do {
        candidate = try FixedPointLinearModel(
          model, featureExponents: featureExponents, featureRanges: featureRanges, fractionBits: f)
      } catch ScoringError.invalidModel(let reason) where f > 0 {
        // The 62-bit limit of the model's weights or intercept before the target
        // (unless even F = 0 fails: then the model itself is the problem).
        stop = reason
        break
      }
      if candidate.errorBound <= targetError && floor < targetError { return candidate }
      best = min(best ?? .infinity, candidate.errorBound)
    }
    throw ScoringError.targetErrorUnreachable(
      quantity: quantity(of: model), target: targetError, best: best, recordsRounding: floor,
      limit: floor >= targetError ? "the records' own fixed-point rounding alone exceeds it" : stop)
  }

  /// Exponents for records alone, without a model: the largest e_j with
  /// `max(|lo_j|, |hi_j|)·2^e_j ≤ 2^precisionBits`, so every encoded value
  /// `round(x_j·2^e_j)` has at most `precisionBits` bits plus sign and a
  /// relative rounding error of about 2^−precisionBits (a feature whose
  /// range is {0} gets `precisionBits`).
  ///
  /// - Parameters:
  ///   - ranges: the declared range of each feature (finite).
  ///   - precisionBits: the bits of each encoded value, 1...52.
  /// - Returns: one exponent per range; in -512...512 when each range's largest
  ///   magnitude lies between 2^−460 and 2^460 (what the initialiser accepts).
  /// - Warning: the exponents and ranges are public wherever the ciphertexts go.
  public static func featureExponents(for ranges: [ClosedRange<Double>], precisionBits: Int) -> [Int] {
    ranges.map { range in
      let r = max(range.lowerBound.magnitude, range.upperBound.magnitude)
      guard r > 0, r.isFinite else { return precisionBits }
      // r = m·2^E with m in [1, 2): r ≤ 2^k for k = E, or E + 1 when m > 1.
      let k = Int(r.exponent) + (r.significand == 1 ? 0 : 1)
      return precisionBits - k
    }
  }

  /// Each feature's smallest and largest value in `data`.
  /// - Throws: ``Tabular/TabularError/emptyInput(what:)`` for no records,
  ///   ``Tabular/TabularError/featureMismatch(expected:found:)`` for a row of
  ///   another length than the feature names.
  public static func ranges(of data: Dataset) throws -> [ClosedRange<Double>] {
    guard let first = data.features.first else { throw TabularError.emptyInput(what: "no records to take ranges from") }
    var low = first
    var high = first
    for row in data.features {
      guard row.count == data.featureNames.count, first.count == row.count else {
        throw TabularError.featureMismatch(
          expected: data.featureNames, found: (0..<row.count).map { "column \($0 + 1)" })
      }
      for j in row.indices {
        low[j] = min(low[j], row[j])
        high[j] = max(high[j], row[j])
      }
    }
    return low.indices.map { low[$0]...high[$0] }
  }

  /// The record in fixed point: `round(x_j · 2^e_j)`.
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` for a record of
  ///   the wrong length, ``ScoringError/valueOutOfRange(feature:value:range:)``
  ///   for a value outside its declared range (the bounds would not hold).
  public func quantize(_ record: [Double]) throws -> [Int64] {
    guard record.count == features.count else {
      throw TabularError.featureMismatch(expected: features, found: (0..<record.count).map { "column \($0 + 1)" })
    }
    return try record.indices.map { j in
      let x = record[j]
      guard featureRanges[j].contains(x) else {
        throw ScoringError.valueOutOfRange(feature: features[j], value: x, range: featureRanges[j])
      }
      return Int64(Double(sign: .plus, exponent: featureExponents[j], significand: x).rounded())
    }
  }

  /// `B + Σ W_j·X_j` in plaintext: what an encrypted score decrypts to.
  /// - Precondition: `record.count == weights.count`.
  public func score(quantized record: [Int64]) -> Int128 {
    precondition(record.count == weights.count, "feature count mismatch")
    var sum = Int128(intercept)
    for j in weights.indices { sum += Int128(weights[j]) * Int128(record[j]) }
    return sum
  }

  /// The logit of a fixed-point score: `S / 2^F`.
  public func logit(_ score: Int128) -> Double {
    Double(sign: .plus, exponent: -fractionBits, significand: Double(score))
  }
}
