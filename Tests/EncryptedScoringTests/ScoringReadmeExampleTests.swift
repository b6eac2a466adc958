import EncryptedScoring
import Foundation
import Paillier
import Tabular
import Testing
import _TestSupport

/// The scoring example in README.md ("Swift API"), line for line, with a
/// 1024-bit test key and N = 4096 to keep the debug test quick; its printed
/// output asserted.
@Test("README scoring example")
func readmeScoringExample() throws {
  let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
  let model = try LinearModel.train(.logistic, on: data)                      // or LinearModel(json:), from scikit-learn
  let privateKey = try Paillier.PrivateKey.insecureGenerate(bits: 1024)       // README: .generate()
  let record = try data.features[0].map { try privateKey.publicKey.encrypt($0) }  // client: one ciphertext per feature
  let score = try EncryptedLinearModel(model).score(record)                   // server: model and public key only
  let logit = try privateKey.decryptDouble(score)
  let scorer = try BFVBatchScorer(model, featureRanges: FixedPointLinearModel.ranges(of: data), preset: .n4096)  // README: default preset (N = 8192)
  let client = BFVBatchClient(for: scorer)                                    // the key holder: BFV secret keys
  let logits = try client.decryptLogits(scorer.score(client.encrypt(data.features)))  // all 569 records in one batch
  let lines = [
    "\(model.label(forLogit: logit)) \(abs(logit - model.linearScore(data.features[0])) < 1e-9)",
    "\(logits.count) \(zip(logits, data.features).allSatisfy { abs($0 - model.linearScore($1)) <= scorer.encoding.errorBound })",
  ]
  #expect(lines == ["0 true", "569 true"])
}
