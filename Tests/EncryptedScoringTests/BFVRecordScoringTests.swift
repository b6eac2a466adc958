import BFV
@testable import EncryptedScoring
import Foundation
import Tabular
import Testing
import _TestSupport

/// The bundled breast-cancer data and a logistic model trained on it, shared
/// by the BFV layout and output tests.
enum BreastCancer {
  static let data = try? Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
  static let model = data.flatMap { try? LinearModel.train(.logistic, on: $0) }
  static let ranges = data.flatMap { try? FixedPointLinearModel.ranges(of: $0) }

  /// Every `step`-th row, from `offset`.
  static func rows(every step: Int, from offset: Int = 0) throws -> [[Double]] {
    let data = try #require(data)
    return Swift.stride(from: offset, to: data.count, by: step).map { data.features[$0] }
  }
}

/// Whether a value holds a `BFV.SecretKey` anywhere in its stored properties
/// (or is a client, which does). Homogeneous arrays are judged by their first
/// elements, and the public precomputation (parameter sets, ring contexts:
/// NTT tables, no key) is not walked, so the walk stays short.
func holdsSecretKey(_ value: Any, depth: Int = 0) -> Bool {
  if value is BFV.SecretKey || value is BFVBatchClient { return true }
  if value is BFV.Parameters || String(describing: type(of: value)) == "PolyContext" { return false }
  guard depth < 16 else { return false }
  let mirror = Mirror(reflecting: value)
  let children = mirror.displayStyle == .collection || mirror.displayStyle == .set
    ? Array(mirror.children.prefix(4)) : Array(mirror.children)
  return children.contains { holdsSecretKey($0.value, depth: depth + 1) }
}

/// The single-record layout: features in the slots of one block, weights
/// multiplied in, rotate-and-sum with Galois keys for the needed steps only.
@Suite("BFV single-record scoring")
struct BFVRecordScoringTests {
  static let scorer: BFVRecordScorer? = {
    guard let model = BreastCancer.model, let ranges = BreastCancer.ranges else { return nil }
    return try? BFVRecordScorer(model, featureRanges: ranges, preset: .n4096, targetError: 1e-6)
  }()
  static let client = scorer.map { BFVRecordClient(for: $0) }

  @Test("breast-cancer rows packed in one ciphertext: exact fixed-point scores, logits within the bound, other slots masked")
  func scores() throws {
    let (scorer, client) = (try #require(Self.scorer), try #require(Self.client))
    let model = try #require(BreastCancer.model)
    #expect(scorer.blockSize == 32 && scorer.recordsPerCiphertext == 128 && scorer.rotationSteps == [1, 2, 4, 8, 16])
    let rows = try BreastCancer.rows(every: 71)  // 9 rows spread over the file
    let scores = try scorer.score(try client.encrypt(rows), using: client.evaluationKeys)
    #expect(scores.slotStride == 32 && scores.count == rows.count)
    let q = scorer.encoding
    #expect(try client.decryptScores(scores) == rows.map { q.score(quantized: try q.quantize($0)) })
    let logits = try client.decryptLogits(scores)
    for (row, logit) in zip(rows, logits) {
      // 1e-9: the plaintext model's own Double evaluation against exact arithmetic.
      #expect(abs(logit - model.linearScore(row)) <= q.errorBound + 1e-9)
    }
    let budgets = try zip(client.batchClient.secretKeys, scores.ciphertexts).map { try $0.noiseBudget($1) }
    #expect(budgets.allSatisfy { $0 >= 8 }, "noise budget left \(budgets)")
    // The first record alone in its ciphertext.
    let one = try scorer.score(try client.encrypt([rows[0]]), using: client.evaluationKeys)
    #expect(try client.decryptLogits(one) == [logits[0]])
    // Block 0 held the same record both times: unmasked, its slots 1…31 would hold the same
    // partial sums of weighted features; masked, they are fresh uniform values.
    let encoder = BFV.Encoder(parameters: scorer.parameters[0])
    let sk = client.batchClient.secretKeys[0]
    let a = try encoder.decode(try sk.decrypt(scores.ciphertexts[0]))
    let b = try encoder.decode(try sk.decrypt(one.ciphertexts[0]))
    #expect(a[0] == b[0])
    #expect((1..<32).filter { a[$0] == b[$0] }.count < 3)
    // Reading masked slots as scores is caught: they are uniform mod T, not scores.
    #expect(throws: ScoringError.self) {
      try client.decryptScores(BFVEncryptedScores(count: 40, ciphertexts: scores.ciphertexts, slotStride: 1))
    }
  }

  @Test("the client generates Galois keys for the scorer's steps only; a missing step is a typed error")
  func galoisKeyMinimality() throws {
    let (scorer, client) = (try #require(Self.scorer), try #require(Self.client))
    let galois = try #require(client.evaluationKeys.galoisKeys)
    #expect(client.evaluationKeys.relinearizationKeys == nil)
    let n = scorer.parameters[0].degree
    // 5^step mod 2N for steps 1, 2, 4, 8, 16: no other rotation, no column swap.
    let expected = scorer.rotationSteps.map { BFVEvaluationKeys.galoisElement(step: $0, degree: n) }.sorted()
    #expect(expected.count == 5 && galois.allSatisfy { $0.galoisElements == expected })
    #expect(!galois[0].galoisElements.contains(2 * n - 1))
    let packed = try client.encrypt(try BreastCancer.rows(every: 100))
    let lacking = BFVEvaluationKeys(
      publicKeys: client.evaluationKeys.publicKeys,
      galoisKeys: client.batchClient.secretKeys.map { $0.galoisKeys(steps: [1, 2, 8, 16], includeColumnSwap: false) })
    #expect(throws: BFVError.missingGaloisKey(step: 4)) { try scorer.score(packed, using: lacking) }
    let none = BFVEvaluationKeys(publicKeys: client.evaluationKeys.publicKeys)
    #expect(throws: ScoringError.missingEvaluationKey("no Galois keys for 3 plaintext moduli")) {
      try scorer.score(packed, using: none)
    }
    let fewer = BFVEvaluationKeys(publicKeys: client.evaluationKeys.publicKeys, galoisKeys: Array(galois.dropLast()))
    #expect(throws: ScoringError.self) { try scorer.score(packed, using: fewer) }
  }

  @Test("bad layouts are refused with typed errors")
  func layouts() throws {
    let (scorer, client) = (try #require(Self.scorer), try #require(Self.client))
    let rows = try BreastCancer.rows(every: 100)
    #expect(throws: BFVError.tooManyValues(count: 129, capacity: 128)) {
      try client.encrypt([[Double]](repeating: rows[0], count: 129))
    }
    #expect(throws: TabularError.self) { try client.encrypt([]) }
    #expect(throws: TabularError.self) { try client.encrypt([Array(rows[0].dropLast())]) }
    let packed = try client.encrypt(rows)
    let keys = client.evaluationKeys
    for bad in [
      BFVPackedRecords(count: packed.count, blockSize: 64, ciphertexts: packed.ciphertexts),
      BFVPackedRecords(count: 0, blockSize: 32, ciphertexts: packed.ciphertexts),
      BFVPackedRecords(count: 200, blockSize: 32, ciphertexts: packed.ciphertexts),
      BFVPackedRecords(count: packed.count, blockSize: 32, ciphertexts: Array(packed.ciphertexts.prefix(1))),
    ] {
      #expect(throws: ScoringError.self) { try scorer.score(bad, using: keys) }
    }
    for (count, stride) in [(-1, 32), (129, 32), (6, 0), (6, 1 << 40), (200, 32), (Int.max, 1)] {
      #expect(throws: ScoringError.self) {
        try client.decryptScores(BFVEncryptedScores(count: count, ciphertexts: packed.ciphertexts, slotStride: stride))
      }
    }
    #expect(throws: ScoringError.self) {
      try client.decryptScores(BFVEncryptedScores(count: 1, ciphertexts: Array(packed.ciphertexts.prefix(2))))
    }
    // Keys of a client for another scorer's parameters are refused.
    let other = try BFVBatchScorer(
      try #require(BreastCancer.model), featureRanges: try #require(BreastCancer.ranges), preset: .n4096,
      targetError: 1e-3)
    #expect(throws: ScoringError.self) { try BFVRecordClient(BFVBatchClient(for: other), for: scorer) }
  }

  @Test("server-side types hold no secret key; their entry points take public material only")
  func serverHoldsPublicMaterialOnly() throws {
    let (scorer, client) = (try #require(Self.scorer), try #require(Self.client))
    let label = try #require(BFVLabelTests.labeler)
    #expect(!holdsSecretKey(scorer))
    #expect(!holdsSecretKey(label))
    #expect(!holdsSecretKey(client.evaluationKeys))
    // The walk does find keys where they are.
    #expect(holdsSecretKey(client))
    #expect(holdsSecretKey([client.batchClient.secretKeys[0]]))
    // Compile-level: the server entry points' types name only public material.
    let _: (BFVBatchScorer) -> (BFVEncryptedBatch) throws -> BFVEncryptedScores = BFVBatchScorer.score
    let _: (BFVRecordScorer) -> (BFVPackedRecords, BFVEvaluationKeys) throws -> BFVEncryptedScores =
      BFVRecordScorer.score
    let _: (BFVLabelScorer) -> (BFVEncryptedScores, BFVEvaluationKeys) throws -> BFVEncryptedLabels =
      BFVLabelScorer.labels(from:using:)
    let _: (BFVSigmoidScorer) -> (BFVEncryptedScores, BFVEvaluationKeys) throws -> BFVEncryptedProbabilities =
      BFVSigmoidScorer.probabilities(from:using:)
  }
}
