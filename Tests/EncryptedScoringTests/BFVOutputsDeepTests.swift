import BFV
@testable import EncryptedScoring
import Foundation
import Tabular
import Testing

/// All 569 breast-cancer rows through the single-record layout, label-only
/// and sigmoid outputs on the secure presets, with timings: minutes in a
/// debug build, so it runs only with HEKIT_BFV_DEEP=1, e.g.
/// `HEKIT_BFV_DEEP=1 swift test -c release --filter BFVOutputsDeepTests`.
/// The figures in the DocC comments of ``BFVRecordScorer``,
/// ``BFVLabelScorer`` and ``BFVSigmoidScorer`` come from its output.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["HEKIT_BFV_DEEP"] == "1"))
struct BFVOutputsDeepTests {
  let clock = ContinuousClock()

  func seconds(_ d: Duration) -> String {
    let (s, a) = d.components
    return String(format: "%.1f ms", (Double(s) + Double(a) * 1e-18) * 1000)
  }

  @Test("single-record layout, 569 rows: logits within the bound, labels agree", arguments: [BFV.Preset.n4096, .n8192])
  func records(_ preset: BFV.Preset) throws {
    let (data, model, ranges) = (try #require(BreastCancer.data), try #require(BreastCancer.model), try #require(BreastCancer.ranges))
    let scorer = try BFVRecordScorer(model, featureRanges: ranges, preset: preset, targetError: 1e-6)
    var client: BFVRecordClient?
    let keyTime = clock.measure { client = BFVRecordClient(for: scorer) }
    let c = try #require(client)
    let per = scorer.recordsPerCiphertext
    var logits: [Double] = []
    var (encrypt, score, decrypt) = (Duration.zero, Duration.zero, Duration.zero)
    var budgets: [Int] = []
    for start in Swift.stride(from: 0, to: data.count, by: per) {
      let rows = Array(data.features[start..<min(start + per, data.count)])
      var packed: BFVPackedRecords?
      encrypt += try clock.measure { packed = try c.encrypt(rows) }
      var scores: BFVEncryptedScores?
      score += try clock.measure { scores = try scorer.score(try #require(packed), using: c.evaluationKeys) }
      decrypt += try clock.measure { logits += try c.decryptLogits(try #require(scores)) }
      budgets += try zip(c.batchClient.secretKeys, try #require(scores).ciphertexts).map { try $0.noiseBudget($1) }
    }
    // The batch layout on the same parameters, for comparison: all 569 rows in one batch.
    var batch: BFVEncryptedBatch?
    let batchEncrypt = try clock.measure { batch = try c.batchClient.encrypt(data.features) }
    var batchScores: BFVEncryptedScores?
    let batchScore = try clock.measure { batchScores = try scorer.scorer.score(try #require(batch)) }
    #expect(try c.batchClient.decryptScores(try #require(batchScores)).count == 569)
    var one: [Duration] = []
    for _ in 0..<5 {
      let packed = try c.encrypt([data.features[0]])
      one.append(try clock.measure { _ = try scorer.score(packed, using: c.evaluationKeys) })
    }
    var largest = 0.0
    var agree = 0
    for (row, logit) in zip(data.features, logits) {
      let expected = model.linearScore(row)
      largest = max(largest, abs(logit - expected))
      if model.label(forLogit: logit) == model.label(forLogit: expected) { agree += 1 }
    }
    #expect(logits.count == 569)
    #expect(largest <= scorer.encoding.errorBound + 1e-9)
    #expect(agree == 569)
    let chunks = (data.count + per - 1) / per
    print(
      "records \(preset): K=\(scorer.parameters.count) (\(scorer.scorer.plaintextBits) bits, need \(scorer.encoding.requiredBits)),",
      "B=\(scorer.blockSize), \(per)/ciphertext, \(chunks) ciphertexts per modulus; bound \(scorer.encoding.errorBound),",
      "max logit error \(largest), labels \(agree)/569; keys \(seconds(keyTime)); encrypt \(seconds(encrypt)),",
      "score \(seconds(score)) (\(seconds(score / chunks)) per ciphertext, \(seconds(score / 569)) per record),",
      "decrypt \(seconds(decrypt)); one record alone: score \(one.map(seconds)); budget left \(budgets.min() ?? 0)...\(budgets.max() ?? 0);",
      "batch layout, 569 rows: encrypt \(seconds(batchEncrypt)), score \(seconds(batchScore))")
  }

  @Test("label-only, 569 rows at N = 8192: batch and record layouts agree with the model")
  func labels() throws {
    let preset = BFV.Preset.n8192
    let (data, model, ranges) = (try #require(BreastCancer.data), try #require(BreastCancer.model), try #require(BreastCancer.ranges))
    let labeler = try BFVLabelScorer(model, featureRanges: ranges, preset: preset)
    let client = BFVBatchClient(for: labeler.scorer)
    let keys = client.evaluationKeys()
    var batch: BFVEncryptedBatch?
    let encryptTime = try clock.measure { batch = try client.encrypt(data.features) }
    var scores: BFVEncryptedScores?
    let scoreTime = try clock.measure { scores = try labeler.scorer.score(try #require(batch)) }
    var labels: BFVEncryptedLabels?
    let blindTime = try clock.measure { labels = try labeler.labels(from: try #require(scores), using: keys) }
    var decrypted: [Int] = []
    let decryptTime = try clock.measure { decrypted = try client.decryptLabels(try #require(labels)) }
    let expected = data.features.map { model.label(forLogit: model.linearScore($0)) }
    let agree = zip(decrypted, expected).filter { $0 == $1 }.count
    #expect(agree == 569)
    // The noise before flooding: the same arithmetic on one modulus, unflooded.
    let p = labeler.scorer.parameters[0]
    let encoder = BFV.Encoder(parameters: p)
    let before = try client.secretKeys[0].noiseBudget(try #require(scores).ciphertexts[0])
    var z = try #require(scores).ciphertexts[0]
    try z.multiply(by: try encoder.encode((0..<p.slotCount).map { _ in UInt64.random(in: 0..<p.plaintextModulus) }))
    let blinded = try client.secretKeys[0].noiseBudget(z)
    let flooded = try zip(client.secretKeys, try #require(labels).ciphertexts).map { try $0.noiseBudget($1) }
    // Record layout on the same parameters.
    let records = try BFVRecordScorer(labeler.scorer)
    let recordClient = try BFVRecordClient(client, for: records)
    var recordLabels: [Int] = []
    var recordTime = Duration.zero
    for start in Swift.stride(from: 0, to: data.count, by: records.recordsPerCiphertext) {
      let rows = Array(data.features[start..<min(start + records.recordsPerCiphertext, data.count)])
      let packed = try recordClient.encrypt(rows)
      var out: BFVEncryptedLabels?
      recordTime += try clock.measure {
        out = try labeler.labels(
          from: try records.score(packed, using: recordClient.evaluationKeys), using: recordClient.evaluationKeys)
      }
      recordLabels += try recordClient.decryptLabels(try #require(out))
    }
    let recordAgree = zip(recordLabels, expected).filter { $0 == $1 }.count
    #expect(recordAgree == 569)
    print(
      "labels \(preset): K=\(labeler.scorer.parameters.count) (\(labeler.scorer.plaintextBits) bits, need \(labeler.requiredBits)), k=\(labeler.blindingBits);",
      "batch: agree \(agree)/569, encrypt \(seconds(encryptTime)), score \(seconds(scoreTime)), blind+flood \(seconds(blindTime)), decrypt \(seconds(decryptTime));",
      "noise budget \(before) after scoring, \(blinded) after blinding, \(flooded) after flooding (width \(z.defaultFloodingBits) bits);",
      "records: agree \(recordAgree)/569, score+blind \(seconds(recordTime)) for \(recordLabels.count) records")
  }

  @Test("sigmoid, 569 rows at N = 8192: error within the bound for logits in the range", arguments: [8.0, 16.0])
  func sigmoid(_ range: Double) throws {
    let (data, model, ranges) = (try #require(BreastCancer.data), try #require(BreastCancer.model), try #require(BreastCancer.ranges))
    let sigmoid = try BFVSigmoidScorer(
      model, featureRanges: ranges, polynomial: try SigmoidPolynomial.cubic(range: range), preset: .n8192,
      probabilityError: 1e-3)
    let client = BFVBatchClient(for: sigmoid.scorer)
    let keys = client.evaluationKeys(relinearization: true)
    var batch: BFVEncryptedBatch?
    let encryptTime = try clock.measure { batch = try client.encrypt(data.features) }
    var scores: BFVEncryptedScores?
    let scoreTime = try clock.measure { scores = try sigmoid.scorer.score(try #require(batch)) }
    var encrypted: BFVEncryptedProbabilities?
    let polyTime = try clock.measure { encrypted = try sigmoid.probabilities(from: try #require(scores), using: keys) }
    var values: [Double] = []
    let decryptTime = try clock.measure { values = try client.decryptProbabilities(try #require(encrypted)) }
    var (inside, largestInside, meanInside, largestOutside) = (0, 0.0, 0.0, 0.0)
    var agree = 0
    for (row, value) in zip(data.features, values) {
      let logit = model.linearScore(row)
      let error = abs(value - LinearModel.sigmoid(logit))
      if sigmoid.validLogits.contains(logit) {
        inside += 1
        largestInside = max(largestInside, error)
        meanInside += error
      } else {
        largestOutside = max(largestOutside, error)
      }
      if (value >= 0.5 ? 1 : 0) == model.label(forLogit: logit) { agree += 1 }
    }
    #expect(largestInside <= sigmoid.errorBound + 1e-9)
    let budgets = try zip(client.secretKeys, try #require(encrypted).ciphertexts).map { try $0.noiseBudget($1) }
    #expect(budgets.allSatisfy { $0 > 0 })
    let q = sigmoid.scorer.encoding
    print(
      "sigmoid R=\(range): a=\(sigmoid.polynomial.coefficients), max err \(sigmoid.polynomial.maximumError); F=\(q.fractionBits)",
      "(logit bound \(q.errorBound)), G=\(sigmoid.coefficientBits), need \(sigmoid.requiredBits) bits, K=\(sigmoid.scorer.parameters.count)",
      "(\(sigmoid.scorer.plaintextBits) bits); bound \(sigmoid.errorBound); \(inside)/569 rows in range: max error \(largestInside),",
      "mean \(meanInside / Double(max(inside, 1))); outside: max error \(largestOutside); p ≥ 1/2 agrees with the label on \(agree)/569;",
      "encrypt \(seconds(encryptTime)), score \(seconds(scoreTime)), sigmoid \(seconds(polyTime)), decrypt \(seconds(decryptTime)); budget left \(budgets)")
  }
}
