import BFV
@testable import EncryptedScoring
import Foundation
import Tabular
import Testing
import _TestSupport

/// Fixed-point quantisation and BFV batch scoring (one ciphertext per feature,
/// records in slots, CRT over several plaintext moduli) against the plaintext model.
@Suite("BFV batch scoring")
struct BFVScoringTests {
  static let toy = try? LinearModel(
    kind: .logistic, features: ["a", "b"], weights: [0.5, -2], intercept: 0.25,
    scaler: .init(mean: [1, 2], scale: [2, 4]))

  @Test("fixed point: hand-checked integers, the error bound holds, out-of-range values are refused")
  func quantization() throws {
    let model = try #require(Self.toy)  // folded: w = [0.25, −0.5], b = 0.25 − 0.25 + 1 = 1
    let q = try FixedPointLinearModel(model, featureRanges: [-8...8, 0...16], fractionBits: 8)
    // e_j = round((8 + log2(|w_j| / R_j)) / 2): (8 − 5)/2 → 2 (rounded half away), (8 − 5)/2 → 2.
    #expect(q.featureExponents == [2, 2])
    #expect(q.weights == [16, -32] && q.intercept == 256)  // 0.25·2^6, −0.5·2^6, 1·2^8
    #expect(try q.quantize([1.3, 2.6]) == [5, 10])
    #expect(q.score(quantized: [5, 10]) == 256 + 80 - 320)
    // X ∈ [−32, 32] × [0, 64]: S ∈ [256 − 512 − 2048, 256 + 512] and 2·2304 + 1 needs 13 bits.
    #expect(q.scoreMagnitude == 2304 && q.requiredBits == 13)
    let folded = model.folded()
    for _ in 0..<1000 {
      let x = [Double.random(in: -8...8), Double.random(in: 0...16)]
      let error = abs(q.logit(q.score(quantized: try q.quantize(x))) - folded.linearScore(x))
      #expect(error <= q.errorBound)
    }
    #expect(throws: ScoringError.valueOutOfRange(feature: "b", value: 17, range: 0...16)) {
      try q.quantize([0, 17])
    }
    #expect(throws: TabularError.self) { try q.quantize([0]) }
    #expect(try FixedPointLinearModel.ranges(of: Dataset(featureNames: ["a", "b"], features: [[1, 5], [-2, 7]])) == [-2...1, 5...7])
    #expect(throws: TabularError.self) { try FixedPointLinearModel.ranges(of: Dataset(featureNames: ["a"], features: [])) }
    #expect(throws: ScoringError.self) { try FixedPointLinearModel(model, featureRanges: [0...1], fractionBits: 8) }
    // The bound shrinks with F.
    let fine = try FixedPointLinearModel.withError(atMost: 1e-6, model, featureRanges: [-8...8, 0...16])
    #expect(fine.errorBound <= 1e-6 && fine.fractionBits > 8)
  }

  @Test("a model whose scores need more bits than the plaintext moduli hold is refused")
  func refusal() throws {
    let model = try #require(Self.toy)
    let one = try BFV.Parameters(preset: .n4096)  // t: 17 bits
    let q = try FixedPointLinearModel(model, featureRanges: [-8...8, 0...16], fractionBits: 20)
    #expect(throws: ScoringError.doesNotFitPlaintext(needBits: q.requiredBits, haveBits: 16)) {
      try BFVBatchScorer(model, encoding: q, parameters: [one])
    }
    let fine = try FixedPointLinearModel.withError(atMost: 1e-5, model, featureRanges: [-8...8, 0...16])
    #expect(throws: ScoringError.doesNotFitPlaintext(needBits: fine.requiredBits, haveBits: 16)) {
      try BFVBatchScorer(
        model, featureRanges: [-8...8, 0...16], preset: .n4096, plaintextBitWidth: 17, targetError: 1e-5,
        maximumModuli: 1)
    }
    #expect(throws: ScoringError.self) {
      try BFVBatchScorer(model, featureRanges: [-8...8, 0...16], preset: .n4096, plaintextBitWidth: 40)
    }
    let small = try FixedPointLinearModel(model, featureRanges: [-8...8, 0...16], fractionBits: 8)
    #expect(try BFVBatchScorer(model, encoding: small, parameters: [one]).plaintextBits == 16)
  }

  @Test("encrypted scores decrypt to the exact fixed-point scores (CRT over two moduli)")
  func exactScores() throws {
    let model = try #require(Self.toy)
    let ranges: [ClosedRange<Double>] = [-8...8, 0...16]
    let scorer = try BFVBatchScorer(model, featureRanges: ranges, preset: .n4096, targetError: 1e-4)
    #expect(scorer.parameters.count >= 2 && scorer.plaintextBits >= scorer.encoding.requiredBits - 1)
    let client = BFVBatchClient(for: scorer)
    let records = (0..<50).map { _ in [Double.random(in: -8...8), Double.random(in: 0...16)] } + [[-8, 16], [8, 0]]
    let scores = try client.decryptScores(scorer.score(client.encrypt(records)))
    #expect(scores == (try records.map { scorer.encoding.score(quantized: try scorer.encoding.quantize($0)) }))
    #expect(throws: ScoringError.self) { try client.encrypt([[9, 0]]) }
    let batch = try client.encrypt(records)
    #expect(throws: TabularError.self) {
      try scorer.score(BFVEncryptedBatch(count: 1, ciphertexts: batch.ciphertexts.map { Array($0.prefix(1)) }))
    }
  }

  @Test("slots past the records decrypt to fresh random values, not to the intercept")
  func unusedSlotsMasked() throws {
    let model = try #require(Self.toy)
    let scorer = try BFVBatchScorer(model, featureRanges: [-8...8, 0...16], preset: .n4096, targetError: 1e-4)
    let client = BFVBatchClient(for: scorer)
    let scores = try scorer.score(client.encrypt([[1, 2], [3, 4], [-5, 6]]))
    for (i, parameters) in scorer.parameters.enumerated() {
      let slots = try BFV.Encoder(parameters: parameters).decode(client.secretKeys[i].decrypt(scores.ciphertexts[i]))
      let intercept = BFVBatchScorer.residue(Int128(scorer.encoding.intercept), parameters.plaintextModulus)
      let unused = slots[3...]
      // Uniform over t ≈ 2^24: a handful of equal values at most, and many distinct ones.
      #expect(unused.filter { $0 == intercept }.count < 4)
      #expect(Set(unused).count > unused.count / 2)
    }
  }

  @Test("all 569 breast-cancer rows in one N = 4096 batch: logit error within the bound, labels agree")
  func breastCancer() throws {
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let ranges = try FixedPointLinearModel.ranges(of: data)
    let scorer = try BFVBatchScorer(model, featureRanges: ranges, preset: .n4096, targetError: 1e-6)
    let client = BFVBatchClient(for: scorer)
    let clock = ContinuousClock()
    var batch: BFVEncryptedBatch?
    let encryptTime = try clock.measure { batch = try client.encrypt(data.features) }
    var scores: BFVEncryptedScores?
    let scoreTime = try clock.measure { scores = try scorer.score(try #require(batch)) }
    var logits: [Double] = []
    let decryptTime = try clock.measure { logits = try client.decryptLogits(try #require(scores)) }
    #expect(logits.count == 569)
    var largest = 0.0
    var agree = 0
    for (row, logit) in zip(data.features, logits) {
      let expected = model.linearScore(row)
      largest = max(largest, abs(logit - expected))
      if model.label(forLogit: logit) == model.label(forLogit: expected) { agree += 1 }
    }
    let q = scorer.encoding
    // 1e-9: the plaintext model's own Double evaluation (scaler unfolded) against exact arithmetic.
    #expect(largest <= q.errorBound + 1e-9, "max logit error \(largest), bound \(q.errorBound)")
    #expect(agree == 569)
    let budgets = try zip(client.secretKeys, try #require(scores).ciphertexts).map { try $0.noiseBudget($1) }
    #expect(budgets.allSatisfy { $0 >= 10 }, "noise budget left: \(budgets)")
    print(
      "BFV batch N=\(scorer.recordsPerBatch), \(scorer.parameters.count) moduli (\(scorer.plaintextBits) bits, need \(q.requiredBits)),",
      "F=\(q.fractionBits): bound \(q.errorBound), max logit error \(largest), labels agree \(agree)/569;",
      "noise budget left \(budgets) bits; encrypt \(encryptTime), score \(scoreTime), decrypt \(decryptTime)")
  }
}
