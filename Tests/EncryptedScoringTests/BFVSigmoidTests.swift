import BFV
import BigNum
@testable import EncryptedScoring
import Foundation
import Tabular
import Testing

/// Test-only BFV parameters: N = 4096 with a q of three 60-bit primes (180
/// bits, above the 128-bit bound of 109: insecure), so that a debug build can
/// afford the depth of the sigmoid (two products after scoring) at half the
/// cost of N = 8192; one parameter set per batching prime of `plaintextBits`.
func insecureDeepParameters(plaintextBits: Int, count: Int) throws -> [BFV.Parameters] {
  let n = 4096
  var q: [UInt64] = []
  var candidate = (UInt64(1) << 60) / UInt64(2 * n) * UInt64(2 * n) + 1
  while q.count < 3 {
    if BigInteger(candidate).isProbablePrime() { q.append(candidate) }
    candidate -= UInt64(2 * n)
  }
  return try BFV.PlaintextCRT.batchingPrimes(bitWidth: plaintextBits, degree: n, atMost: count).map {
    try BFV.Parameters(insecureDegree: n, coefficientModuli: q, plaintextModulus: $0)
  }
}

/// The cubic stand-in for σ and its evaluation on encrypted logits.
@Suite("BFV sigmoid")
struct BFVSigmoidTests {
  @Test("cubic fits agree with an independent fit (numpy), and the error bound is a bound")
  func polynomial() throws {
    // numpy: least squares on 200001 points of [−8, 8]; Remez exchange on a 200001-point grid.
    let minimax = try SigmoidPolynomial.cubic(range: 8, fit: .minimax)
    let leastSquares = try SigmoidPolynomial.cubic(range: 8, fit: .leastSquares)
    #expect(minimax.coefficients[0] == 0.5 && minimax.coefficients[2] == 0)
    #expect(abs(minimax.coefficients[1] - 0.15583087751) < 1e-6 && abs(minimax.coefficients[3] + 0.00163367724) < 1e-8)
    #expect(abs(leastSquares.coefficients[1] - 0.15011988) < 1e-6 && abs(leastSquares.coefficients[3] + 0.001593) < 1e-7)
    // numpy's largest errors on the grid: 0.0894604 (minimax), 0.1143205 (least squares).
    #expect(minimax.maximumError >= 0.0894604 && minimax.maximumError < 0.0894604 + 2e-4)
    #expect(leastSquares.maximumError >= 0.1143205 && leastSquares.maximumError < 0.1143205 + 2e-4)
    for fit in SigmoidPolynomial.Fit.allCases {
      for range in [1.0, 4, 8, 16] {
        let p = try SigmoidPolynomial.cubic(range: range, fit: fit)
        for _ in 0..<2000 {
          let x = Double.random(in: -range...range)
          #expect(abs(p.value(at: x) - LinearModel.sigmoid(x)) <= p.maximumError)
        }
        if fit == .minimax {
          #expect(p.maximumError < (try SigmoidPolynomial.cubic(range: range, fit: .leastSquares)).maximumError)
        }
        print("sigmoid cubic \(fit) on [−\(range), \(range)]: a1 \(p.coefficients[1]), a3 \(p.coefficients[3]), max error ≤ \(p.maximumError)")
      }
    }
    let custom = try SigmoidPolynomial(coefficients: [0.5, 0.25], range: 1)  // the tangent at 0
    #expect(custom.coefficients == [0.5, 0.25, 0, 0] && custom.maximumError > 0.0189 && custom.maximumError < 0.02)
    #expect(throws: ScoringError.self) { try SigmoidPolynomial.cubic(range: 100) }
    #expect(throws: ScoringError.self) { try SigmoidPolynomial.cubic(range: .nan) }
    #expect(throws: ScoringError.self) { try SigmoidPolynomial(coefficients: [], range: 8) }
    #expect(throws: ScoringError.self) { try SigmoidPolynomial(coefficients: [0, 1, 2, 3, 4], range: 8) }
    #expect(throws: ScoringError.self) { try SigmoidPolynomial(coefficients: [.infinity], range: 8) }
  }

  @Test("encrypted p(logit) decrypts to the exact fixed-point value, within the stated bound of σ")
  func encryptedSigmoid() throws {
    // Folded: w = [0.25, −0.5], b = 1; logits over the ranges lie in [−5, 3], inside [−8, 8].
    let model = try LinearModel(
      kind: .logistic, features: ["a", "b"], weights: [0.5, -2], intercept: 0.25,
      scaler: .init(mean: [1, 2], scale: [2, 4]))
    let ranges: [ClosedRange<Double>] = [-8...8, 0...12]
    let polynomial = try SigmoidPolynomial.cubic(range: 8)
    let tolerance = 1e-2
    let encoding = try FixedPointLinearModel.withError(atMost: 2 * tolerance, model, featureRanges: ranges)
    let g = try BFVSigmoidScorer.coefficientBits(polynomial, roundingError: tolerance / 2)
    let parameters = try insecureDeepParameters(plaintextBits: 30, count: 3)
    let base = try BFVBatchScorer(model, encoding: encoding, parameters: parameters)
    let sigmoid = try BFVSigmoidScorer(base, polynomial: polynomial, coefficientBits: g)
    #expect(sigmoid.requiredBits <= base.plaintextBits)
    #expect(sigmoid.errorBound <= polynomial.maximumError + tolerance + 1e-12)
    let client = BFVBatchClient(for: base)
    let keys = client.evaluationKeys(relinearization: true)
    let records = (0..<40).map { _ in [Double.random(in: -8...8), Double.random(in: 0...12)] } + [[-8, 12], [8, 0]]
    let encrypted = try sigmoid.probabilities(client.encrypt(records), using: keys)
    let values = try client.decryptProbabilities(encrypted)
    var largest = 0.0
    for (record, value) in zip(records, values) {
      let score = encoding.score(quantized: try encoding.quantize(record))
      #expect(value == sigmoid.value(forScore: score))  // exact: nothing wrapped
      let logit = model.linearScore(record)
      #expect(sigmoid.validLogits.contains(logit))
      largest = max(largest, abs(value - LinearModel.sigmoid(logit)))
    }
    #expect(largest <= sigmoid.errorBound + 1e-9, "largest error \(largest), bound \(sigmoid.errorBound)")
    let budgets = try zip(client.secretKeys, encrypted.ciphertexts).map { try $0.noiseBudget($1) }
    #expect(budgets.allSatisfy { $0 >= 5 }, "noise budget left \(budgets)")
    print(
      "BFV sigmoid (test parameters, N=4096, log q 180, 3×30-bit t): F=\(encoding.fractionBits) G=\(g),",
      "need \(sigmoid.requiredBits) bits; bound \(sigmoid.errorBound), largest error \(largest); budget left \(budgets)")
    // Without relinearisation keys the server cannot evaluate it.
    #expect(throws: ScoringError.missingEvaluationKey("no relinearisation keys for 3 plaintext moduli")) {
      try sigmoid.probabilities(client.encrypt(records), using: client.evaluationKeys())
    }
  }

  @Test("a plaintext space too small for P, or a q too small for two products, is refused")
  func refusal() throws {
    let data = try #require(BreastCancer.data)
    let model = try #require(BreastCancer.model)
    let ranges = try FixedPointLinearModel.ranges(of: data)
    let polynomial = try SigmoidPolynomial.cubic()
    // F = 52 (logit error 1e-6): P needs about 3·52 + 30 bits; three 30-bit moduli hold 89.
    let encoding = try FixedPointLinearModel.withError(atMost: 1e-6, model, featureRanges: ranges)
    let scorer = try BFVBatchScorer(
      model, encoding: encoding, parameters: try insecureDeepParameters(plaintextBits: 30, count: 3))
    let error = try #require(throws: ScoringError.self) { try BFVSigmoidScorer(scorer, polynomial: polynomial) }
    guard case .doesNotFitPlaintext(let need, let have) = error else {
      Issue.record("expected doesNotFitPlaintext, got \(error)")
      return
    }
    #expect(need > 3 * encoding.fractionBits && have == scorer.plaintextBits)
    // The N = 4096 preset: log2 q 109 < 150.
    let small = try BFVBatchScorer(model, featureRanges: ranges, preset: .n4096, targetError: 1e-2)
    let refused = try #require(throws: ScoringError.self) { try BFVSigmoidScorer(small, polynomial: polynomial) }
    #expect(refused.localizedDescription.contains("log2 q of 109 is below 150"))
    #expect(throws: ScoringError.self) { try BFVSigmoidScorer(scorer, polynomial: polynomial, coefficientBits: 0) }
    #expect(throws: ScoringError.self) {
      try BFVSigmoidScorer(model, featureRanges: ranges, preset: .n4096, probabilityError: 0)
    }
    // The convenience initialiser sizes the moduli: 1e-3 beyond the polynomial's error.
    let sized = try BFVSigmoidScorer(model, featureRanges: ranges, preset: .n8192, probabilityError: 1e-3)
    #expect(sized.requiredBits <= sized.scorer.plaintextBits)
    #expect(sized.errorBound <= sized.polynomial.maximumError + 1e-3 + 1e-12)
  }
}
