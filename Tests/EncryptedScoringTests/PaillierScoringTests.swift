import BigNum
import EncryptedScoring
import Foundation
import Paillier
import Tabular
import Testing
import _TestSupport

/// Encrypted scoring under Paillier against the plaintext model, on real rows
/// of the bundled breast-cancer data.
@Suite("Paillier scoring")
struct PaillierScoringTests {
  static let key: Paillier.PrivateKey? = try? Paillier.PrivateKey.insecureGenerate(bits: 1024)

  @Test("encrypted logits equal the plaintext model's within 1e-6, labels agree")
  func agreesWithPlaintext() throws {
    let privateKey = try #require(Self.key)
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let scorer = EncryptedLinearModel(model)
    for row in data.features.enumerated().filter({ $0.offset % 57 == 0 }).map(\.element) {
      let record = try row.map { try privateKey.publicKey.encrypt($0) }
      let logit = try privateKey.decryptDouble(scorer.score(record))
      let expected = model.linearScore(row)
      #expect(abs(logit - expected) <= 1e-6, "encrypted \(logit), plaintext \(expected)")
      #expect(model.label(forLogit: logit) == model.label(forLogit: expected))
    }
  }

  @Test("the scoring error stays within the requested bound, which sets the weights' precision")
  func errorBound() throws {
    let privateKey = try #require(Self.key)
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let scorer = EncryptedLinearModel(model)
    let rows = data.features.enumerated().filter({ $0.offset % 95 == 0 }).map(\.element)
    // Records as a server reads them from a file: no known magnitude bound.
    let records = try rows.map { row in try row.map { try privateKey.publicKey.encrypt($0).withUnknownBound } }
    var coarseErrors: [Double] = []
    for (row, record) in zip(rows, records) {
      let exact = model.folded().linearScore(row)
      let fine = try privateKey.decryptDouble(scorer.score(record))
      let coarse = try privateKey.decryptDouble(scorer.score(record, maximumError: 1e-3))
      #expect(abs(fine - exact) <= 1e-9 + 1e-12 * abs(exact))
      #expect(abs(coarse - exact) <= 1e-3 + 1e-12 * abs(exact))
      coarseErrors.append(abs(coarse - exact))
    }
    // A coarse bound really rounds the weights (the bound is not vacuous).
    #expect(coarseErrors.contains { $0 > 1e-9 })
    for bad in [0, -1, Double.nan, .infinity] {
      #expect(throws: ScoringError.self) { try scorer.score(records[0], maximumError: bad) }
    }
  }

  @Test("columns are matched by name; missing features are refused")
  func columnMapping() throws {
    let privateKey = try #require(Self.key)
    let model = try LinearModel(kind: .linear, features: ["a", "b"], weights: [2, -3], intercept: 1)
    let scorer = EncryptedLinearModel(model)
    let mapping = try scorer.featureIndices(columns: ["b", "extra", "a"])
    #expect(mapping == [2, 0])
    let record = try [5, 100, 7].map { try privateKey.publicKey.encrypt($0) }  // b = 5, a = 7
    #expect(try privateKey.decryptDouble(scorer.score(record, mapping: mapping)) == 1 + 2 * 7 - 3 * 5)
    #expect(throws: TabularError.featureMismatch(expected: ["a", "b"], found: ["a", "c"])) {
      try scorer.featureIndices(columns: ["a", "c"])
    }
    #expect(throws: TabularError.self) { try scorer.score(Array(record.prefix(1))) }
    #expect(throws: TabularError.self) { try scorer.featureIndices(columns: nil, count: 3) }
  }
}
