import BFV
import BigNum
@testable import EncryptedScoring
import Foundation
import Testing

/// Label-only scoring: the blinded sign Z = r·(S − S_thr) + r′.
@Suite("BFV label-only scoring")
struct BFVLabelTests {
  /// Breast-cancer model, 16-bit blinding, on the N = 4096 test parameters
  /// with room for flooding (the secure N = 4096 preset leaves too little
  /// noise budget for it; the opt-in suite runs the secure N = 8192 one).
  static let labeler: BFVLabelScorer? = {
    guard let model = BreastCancer.model, let ranges = BreastCancer.ranges,
      let encoding = try? FixedPointLinearModel.withError(atMost: 1e-6, model, featureRanges: ranges),
      let parameters = try? insecureDeepParameters(plaintextBits: 30, count: 3),
      let scorer = try? BFVBatchScorer(model, encoding: encoding, parameters: parameters)
    else { return nil }
    return try? BFVLabelScorer(scorer, blindingBits: 16)
  }()

  /// The blinded values Z of every record, decrypted (test access to the client's internals).
  func blindedValues(_ client: BFVBatchClient, _ labels: BFVEncryptedLabels) throws -> [BigInteger] {
    try client.decryptResidues(labels.ciphertexts, count: labels.count, slotStride: labels.slotStride)
      .map(client.basis.centred)
  }

  @Test("record layout: labels agree with the fixed-point rule and the model; Z leaks |D| within a factor 2 only")
  func recordLabels() throws {
    let labeler = try #require(Self.labeler)
    let model = try #require(BreastCancer.model)
    #expect(labeler.thresholdScore == 0)  // threshold 0.5: logit 0
    let records = try BFVRecordScorer(labeler.scorer)
    let client = BFVRecordClient(for: records)
    let rows = try BreastCancer.rows(every: 19)  // 30 rows
    let packed = try client.encrypt(rows)
    let scores = try records.score(packed, using: client.evaluationKeys)
    let labels = try labeler.labels(from: scores, using: client.evaluationKeys)
    let decrypted = try client.decryptLabels(labels)
    let q = labeler.scorer.encoding
    let fixedPoint = try rows.map { q.score(quantized: try q.quantize($0)) }
    #expect(decrypted == fixedPoint.map { $0 >= labeler.thresholdScore ? 1 : 0 })
    #expect(decrypted == rows.map { model.label(forLogit: model.linearScore($0)) })
    // What the key holder sees: |Z| pins |D| = |S − S_thr| to (|Z|/2^k − 1, |Z|/2^(k−1)], no closer.
    let k = labeler.blindingBits
    let z = try blindedValues(client.batchClient, labels)
    for (s, value) in zip(fixedPoint, z) {
      let d = BigInteger(s - labeler.thresholdScore)
      #expect((value.signum() >= 0) == (d.signum() >= 0))
      let m = d.signum() >= 0 ? d : -d - BigInteger(1)  // |D| for D ≥ 0, |D| − 1 for D < 0
      let magnitude = value.signum() >= 0 ? value : -value
      #expect(magnitude < (m + BigInteger(1)) << k && magnitude >= m << (k - 1))
    }
    // Fresh blinding per call: the same records give other Z, the same labels.
    let again = try labeler.labels(from: scores, using: client.evaluationKeys)
    let z2 = try blindedValues(client.batchClient, again)
    #expect(zip(z, z2).filter { $0 == $1 }.count <= 1)
    #expect(try client.decryptLabels(again) == decrypted)
  }

  @Test("batch layout: labels agree; missing public keys, bad shapes and a small plaintext space are refused")
  func batchLabels() throws {
    let labeler = try #require(Self.labeler)
    let model = try #require(BreastCancer.model)
    let client = BFVBatchClient(for: labeler.scorer)
    let keys = client.evaluationKeys()
    #expect(keys.relinearizationKeys == nil && keys.galoisKeys == nil)
    let rows = try BreastCancer.rows(every: 57)
    let batch = try client.encrypt(rows)
    let labels = try labeler.labels(batch, using: keys)
    #expect(labels.slotStride == 1 && labels.count == rows.count)
    #expect(try client.decryptLabels(labels) == rows.map { model.label(forLogit: model.linearScore($0)) })
    // Flooded: the noise budget is spent down to a few bits (the flooding width), not left as computed.
    let budgets = try zip(client.secretKeys, labels.ciphertexts).map { try $0.noiseBudget($1) }
    #expect(budgets.allSatisfy { $0 >= 1 && $0 <= 4 }, "noise budget after flooding \(budgets)")
    let scores = try labeler.scorer.score(batch)
    #expect(throws: ScoringError.missingEvaluationKey("no public keys for 3 plaintext moduli")) {
      try labeler.labels(from: scores, using: BFVEvaluationKeys(publicKeys: []))
    }
    for bad in [
      BFVEncryptedScores(count: 0, ciphertexts: scores.ciphertexts),
      BFVEncryptedScores(count: 10, ciphertexts: scores.ciphertexts, slotStride: 1000),
      BFVEncryptedScores(count: 10, ciphertexts: Array(scores.ciphertexts.dropFirst())),
    ] {
      #expect(throws: ScoringError.self) { try labeler.labels(from: bad, using: keys) }
    }
    // Labels read with other metadata are refused rather than misread.
    #expect(throws: ScoringError.self) {
      try client.decryptLabels(
        BFVEncryptedLabels(
          count: labels.count, slotStride: 1, blindingBits: 70, thresholdScore: 0, ciphertexts: labels.ciphertexts))
    }
    // Three 30-bit moduli (89 bits) hold the scores (60 bits) and Z at k = 16, not at k = 32.
    let base = labeler.scorer
    let error = try #require(throws: ScoringError.self) { try BFVLabelScorer(base, blindingBits: 32) }
    let need = try BFVLabelScorer.requiredBits(base.encoding, thresholdScore: 0, blindingBits: 32)
    #expect(need >= base.encoding.requiredBits + 31 && need <= base.encoding.requiredBits + 32)
    #expect(error == .doesNotFitPlaintext(needBits: need, haveBits: base.plaintextBits))
    #expect(throws: ScoringError.self) { try BFVLabelScorer(labeler.scorer, blindingBits: 4) }
    // The N = 4096 preset (log2 q 109) leaves too little noise budget to flood: refused.
    let data = try #require(BreastCancer.data)
    let small = try BFVBatchScorer(model, featureRanges: try FixedPointLinearModel.ranges(of: data), preset: .n4096)
    let refused = try #require(throws: ScoringError.self) { try BFVLabelScorer(small, blindingBits: 8) }
    #expect(refused.localizedDescription.contains("log2 q of 109 is below 150"))
    // The convenience initialiser sizes the moduli for Z.
    let sized = try BFVLabelScorer(model, featureRanges: try FixedPointLinearModel.ranges(of: data), preset: .n8192)
    #expect(sized.requiredBits <= sized.scorer.plaintextBits && sized.blindingBits == 32)
  }
}
