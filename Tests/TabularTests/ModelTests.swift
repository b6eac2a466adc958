import Foundation
import Tabular
import Testing

@Suite("Linear models")
struct ModelTests {
  @Test("JSON round trip, and the three-line scikit-learn export is accepted")
  func json() throws {
    let model = try LinearModel(
      kind: .logistic, features: ["a", "b"], weights: [0.5, -2], intercept: 0.25,
      scaler: .init(mean: [1, 2], scale: [2, 4]), threshold: 0.4)
    #expect(try LinearModel(json: model.jsonData()) == model)
    let sklearnExport = #"{"kind": "logistic", "features": ["a", "b"], "weights": [0.5, -2.0], "intercept": 0.25, "scaler": {"mean": [1.0, 2.0], "scale": [2.0, 4.0]}, "threshold": 0.4}"#
    #expect(try LinearModel(json: Data(sklearnExport.utf8)) == model)
  }

  @Test("invalid models are refused with the reason", arguments: [
    (#"{"kind": "logistic", "features": ["a"], "weights": [1, 2], "intercept": 0}"#, "1 feature names for 2 weights"),
    (#"{"kind": "probit", "features": ["a"], "weights": [1], "intercept": 0}"#, "'kind'"),
    (#"{"kind": "linear", "features": ["a"], "intercept": 0}"#, "'weights' is missing"),
    (#"{"kind": "linear", "features": ["a"], "weights": ["x"], "intercept": 0}"#, "wrong type"),
    (#"{"kind": "logistic", "features": ["a"], "weights": [1], "intercept": 0, "threshold": 1.5}"#, "threshold"),
    (#"{"kind": "linear", "features": ["a", "a"], "weights": [1, 2], "intercept": 0}"#, "twice"),
    (#"{"kind": "linear", "features": ["a"], "weights": [1], "intercept": 0, "scaler": {"mean": [0], "scale": [0]}}"#, "non-zero"),
    (#"{"format": "other", "kind": "linear", "features": ["a"], "weights": [1], "intercept": 0}"#, "format 'other'"),
    (#"{"version": 2, "kind": "linear", "features": ["a"], "weights": [1], "intercept": 0}"#, "version 2"),
    (#"{"kind": "linear", "features": [], "weights": [], "intercept": 0}"#, "no weights"),
    ("not json", "not valid JSON"),
  ])
  func invalid(_ c: (String, String)) {
    #expect {
      try LinearModel(json: Data(c.0.utf8))
    } throws: { error in
      guard case .invalidModel(let reason) = error as? TabularError else { return false }
      return reason.contains(c.1)
    }
  }

  @Test("folding the scaler gives the same scores on raw features")
  func folding() throws {
    var g = SystemRandomNumberGenerator()
    let d = 7
    let model = try LinearModel(
      kind: .logistic, features: (0..<d).map { "f\($0)" }, weights: (0..<d).map { _ in .random(in: -3...3, using: &g) },
      intercept: 0.7, scaler: .init(mean: (0..<d).map { _ in .random(in: -50...50) }, scale: (0..<d).map { _ in .random(in: 0.1...20) }))
    let folded = model.folded()
    #expect(folded.scaler == nil)
    for _ in 0..<100 {
      let x = (0..<d).map { _ in Double.random(in: -100...100) }
      let a = model.linearScore(x)
      let b = folded.linearScore(x)
      #expect(abs(a - b) <= 1e-9 * max(1, abs(a)))
    }
    #expect(LinearModel.sigmoid(0) == 0.5 && LinearModel.sigmoid(-1000) == 0 && LinearModel.sigmoid(1000) == 1)
  }
}
