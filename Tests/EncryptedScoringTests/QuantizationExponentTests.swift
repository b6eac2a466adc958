@testable import EncryptedScoring
import Foundation
import Tabular
import Testing

/// The split quantisation of `hekit encrypt/score --scheme bfv`: the client
/// picks exponents from ranges alone, the server fits the weights to them.
@Suite("fixed point with given feature exponents")
struct QuantizationExponentTests {
  static let toy = try? LinearModel(
    kind: .logistic, features: ["a", "b"], weights: [0.5, -2], intercept: 0.25,
    scaler: .init(mean: [1, 2], scale: [2, 4]))

  @Test("exponents from ranges: the largest e with max|x|·2^e ≤ 2^p")
  func exponentsFromRanges() {
    // 8 = 2^3 → 7; 16 = 2^4 → 6; {0} → p; 0.3 ≤ 2^−1 → 11; 5 ≤ 2^3 → 7.
    let ranges: [ClosedRange<Double>] = [-8...8, 0...16, 0...0, -0.3...0.1, -5 ... -1]
    #expect(FixedPointLinearModel.featureExponents(for: ranges, precisionBits: 10) == [7, 6, 10, 11, 7])
    for (range, e) in zip(ranges, FixedPointLinearModel.featureExponents(for: ranges, precisionBits: 10)) {
      let r = max(range.lowerBound.magnitude, range.upperBound.magnitude)
      #expect(r * pow(2, Double(e)) <= 1024)
      #expect(r == 0 || r * pow(2, Double(e + 1)) > 1024)
    }
  }

  @Test("given exponents: hand-checked integers, the bound holds, the balanced exponents give the same model")
  func givenExponents() throws {
    let model = try #require(Self.toy)  // folded: w = [0.25, −0.5], b = 1
    let ranges: [ClosedRange<Double>] = [-8...8, 0...16]
    let q = try FixedPointLinearModel(model, featureExponents: [7, 6], featureRanges: ranges, fractionBits: 12)
    #expect(q.featureExponents == [7, 6])
    #expect(q.weights == [8, -32] && q.intercept == 4096)  // 0.25·2^5, −0.5·2^6, 1·2^12
    #expect(try q.quantize([1.3, 2.6]) == [166, 166])  // round(1.3·128) = 166, round(2.6·64) = 166
    let folded = model.folded()
    for _ in 0..<1000 {
      let x = [Double.random(in: -8...8), Double.random(in: 0...16)]
      #expect(abs(q.logit(q.score(quantized: try q.quantize(x))) - folded.linearScore(x)) <= q.errorBound)
    }
    let balanced = try FixedPointLinearModel(model, featureRanges: ranges, fractionBits: 8)
    #expect(try FixedPointLinearModel(model, featureExponents: balanced.featureExponents, featureRanges: ranges, fractionBits: 8) == balanced)
    let fine = try FixedPointLinearModel.withError(atMost: 1e-4, model, featureExponents: [20, 20], featureRanges: ranges)
    #expect(fine.errorBound <= 1e-4 && fine.featureExponents == [20, 20])
    let coarser = try FixedPointLinearModel(model, featureExponents: [20, 20], featureRanges: ranges, fractionBits: fine.fractionBits - 1)
    #expect(coarser.errorBound > 1e-4)  // the smallest F that meets the target
  }

  @Test("refusals: coarse records cannot meet a fine target; bad exponents are refused")
  func refusals() throws {
    let model = try #require(Self.toy)
    let ranges: [ClosedRange<Double>] = [-8...8, 0...16]
    // Rounding x to integers alone costs 0.25·0.5 + 0.5·0.5 = 0.375 of logit.
    #expect(throws: ScoringError.self) {
      try FixedPointLinearModel.withError(atMost: 1e-6, model, featureExponents: [0, 0], featureRanges: ranges)
    }
    #expect(throws: ScoringError.self) {
      try FixedPointLinearModel(model, featureExponents: [1], featureRanges: ranges, fractionBits: 8)
    }
    #expect(throws: ScoringError.self) {
      try FixedPointLinearModel(model, featureExponents: [1, 10_000], featureRanges: ranges, fractionBits: 8)
    }
  }
}
