import Paillier
import Tabular

/// The columns a decrypted score becomes, for both schemes: logit,
/// probability and label for a logistic model; the score for a linear one.
public struct ScoreColumns: Sendable, Equatable {
  /// The model's kind.
  public let kind: LinearModel.Kind
  /// The probability at and above which the label is 1.
  public let threshold: Double

  /// The columns of a model of `kind` with `threshold`.
  public init(kind: LinearModel.Kind, threshold: Double) {
    self.kind = kind
    self.threshold = threshold
  }

  /// The columns a Paillier scores header names (`model-kind`,
  /// `model-threshold`); nil when it names no model.
  public init?(_ header: Paillier.Batch.Header) {
    guard let kindName = header.annotations["model-kind"], let kind = LinearModel.Kind(rawValue: kindName) else {
      return nil
    }
    self.kind = kind
    threshold = header.annotations["model-threshold"].flatMap(Double.init) ?? 0.5
  }

  /// The CSV header's names.
  public var names: [String] { kind == .logistic ? ["logit", "probability", "label"] : ["score"] }

  /// What one value is called: a logistic model's logit, a linear model's score.
  public var what: String { kind == .logistic ? "logit" : "score" }

  /// The CSV row of one decrypted value.
  public func row(for value: Double) -> String {
    guard kind == .logistic else { return "\(value)" }
    let probability = LinearModel.sigmoid(value)
    return "\(value),\(probability),\(probability >= threshold ? 1 : 0)"
  }
}
