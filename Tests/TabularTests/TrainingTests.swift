import Foundation
import Tabular
import Testing
import _TestSupport

/// The plaintext trainer against scikit-learn on the bundled data
/// (Tests/Vectors/EncryptedML/make_sklearn_reference.py made the reference).
@Suite("Training")
struct TrainingTests {
  struct Reference: Decodable {
    struct Logistic: Decodable {
      let test_accuracy_default: Double
      let intercept: Double
      let weights: [Double]
      let scaler_mean: [Double]
      let scaler_scale: [Double]
    }
    struct RidgeFit: Decodable {
      let test_r2: Double
      let intercept: Double
      let weights: [Double]
    }
    let breast_cancer_logistic: Logistic
    let diabetes_ridge: RidgeFit
  }

  let reference: Reference
  init() throws {
    reference = try JSONDecoder().decode(Reference.self, from: vector("EncryptedML/sklearn_reference.json"))
  }

  @Test("logistic regression on breast cancer: scikit-learn's optimum and test accuracy within 1 point")
  func logistic() throws {
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let (train, test) = data.split(testEvery: 5)
    let model = try LinearModel.train(.logistic, on: train)
    let ref = reference.breast_cancer_logistic
    #expect(abs(model.intercept - ref.intercept) < 1e-5)
    for (ours, theirs) in zip(model.weights, ref.weights) { #expect(abs(ours - theirs) < 1e-5) }
    for (ours, theirs) in zip(model.scaler!.scale, ref.scaler_scale) { #expect(abs(ours - theirs) <= 1e-9 * theirs) }
    let accuracy = try Evaluation(model: model, data: test).accuracy
    #expect(abs(accuracy - ref.test_accuracy_default) <= 0.01, "ours \(accuracy), scikit-learn \(ref.test_accuracy_default)")
    #expect(accuracy > 0.95)
  }

  @Test("ridge regression on diabetes matches scikit-learn's Ridge(alpha: 1)")
  func ridge() throws {
    let data = try Dataset(contentsOf: bundledData("diabetes.csv"), target: "target")
    let (train, test) = data.split(testEvery: 5)
    let model = try LinearModel.train(.linear, on: train)
    let ref = reference.diabetes_ridge
    #expect(abs(model.intercept - ref.intercept) < 1e-6)
    for (ours, theirs) in zip(model.weights, ref.weights) { #expect(abs(ours - theirs) < 1e-6) }
    #expect(abs(try Evaluation(model: model, data: test).rSquared - ref.test_r2) < 1e-6)
  }

  @Test("training refuses what it cannot fit")
  func refusals() throws {
    let one = Dataset(featureNames: ["x"], features: [[1], [2], [3]], targetName: "t", targets: [1, 1, 1])
    #expect(throws: TabularError.trainingFailed(reason: "the targets hold only one class")) {
      try LinearModel.train(.logistic, on: one)
    }
    let bad = Dataset(featureNames: ["x"], features: [[1], [2]], targetName: "t", targets: [0, 2])
    #expect(throws: TabularError.trainingFailed(reason: "logistic targets must be 0 or 1")) {
      try LinearModel.train(.logistic, on: bad)
    }
    #expect(throws: TabularError.self) { try LinearModel.train(.linear, on: bad, l2: -1) }
    let tiny = Dataset(featureNames: ["x"], features: [[1]], targetName: "t", targets: [0])
    #expect(throws: TabularError.self) { try LinearModel.train(.linear, on: tiny) }
  }
}
