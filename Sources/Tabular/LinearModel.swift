import Foundation
import StrictJSON

/// A linear or logistic-regression model in plaintext: what the scoring
/// server holds.
///
/// Its JSON form carries the fields a scikit-learn `StandardScaler` +
/// `LogisticRegression` / `LinearRegression` pipeline exposes:
///
/// ```json
/// {"kind": "logistic", "features": ["age", "bmi"], "weights": [0.8, -1.2],
///  "intercept": 0.1, "scaler": {"mean": [50.0, 26.4], "scale": [12.0, 4.4]},
///  "threshold": 0.5}
/// ```
///
/// `scaler` and `threshold` are optional (`threshold` defaults to 0.5 and
/// applies to logistic models). The scaler is affine, so it folds into the
/// weights and bias (``folded()``): clients encrypt raw feature values.
public struct LinearModel: Sendable, Equatable {
  /// Whether the output is a real value or a class probability.
  public enum Kind: String, Codable, Sendable {
    /// `intercept + Σ weights·x`.
    case linear
    /// `sigmoid(intercept + Σ weights·x)`, label `1` when at least the threshold.
    case logistic
  }

  /// A standardising scaler: feature j is used as `(x_j − mean_j) / scale_j`.
  public struct Scaler: Codable, Sendable, Equatable {
    public var mean: [Double]
    public var scale: [Double]
    public init(mean: [Double], scale: [Double]) {
      self.mean = mean
      self.scale = scale
    }
  }

  public var kind: Kind
  /// Feature names, in the order of ``weights``.
  public var features: [String]
  public var weights: [Double]
  public var intercept: Double
  public var scaler: Scaler?
  /// The probability at or above which a logistic model says `1`.
  public var threshold: Double

  /// Creates a model after checking it (see ``validate()``).
  /// - Throws: ``TabularError/invalidModel(reason:)``.
  public init(
    kind: Kind, features: [String], weights: [Double], intercept: Double, scaler: Scaler? = nil,
    threshold: Double = 0.5
  ) throws {
    self.kind = kind
    self.features = features
    self.weights = weights
    self.intercept = intercept
    self.scaler = scaler
    self.threshold = threshold
    try validate()
  }

  /// Checks lengths, names and that every number is finite.
  /// - Throws: ``TabularError/invalidModel(reason:)`` saying what is wrong.
  public func validate() throws {
    func fail(_ reason: String) -> TabularError { .invalidModel(reason: reason) }
    guard !weights.isEmpty else { throw fail("it has no weights") }
    guard features.count == weights.count else {
      throw fail("\(features.count) feature names for \(weights.count) weights")
    }
    guard Set(features).count == features.count else { throw fail("a feature name appears twice") }
    guard weights.allSatisfy(\.isFinite), intercept.isFinite else {
      throw fail("weights and intercept must be finite numbers")
    }
    if kind == .logistic {
      guard threshold > 0, threshold < 1 else { throw fail("threshold \(threshold) is not strictly between 0 and 1") }
    }
    if let scaler {
      guard scaler.mean.count == weights.count, scaler.scale.count == weights.count else {
        throw fail("the scaler has \(scaler.mean.count) means and \(scaler.scale.count) scales for \(weights.count) weights")
      }
      guard scaler.mean.allSatisfy(\.isFinite), scaler.scale.allSatisfy({ $0.isFinite && $0 != 0 }) else {
        throw fail("scaler means must be finite and scales finite and non-zero")
      }
    }
  }

  /// The same model on raw features: the scaler folded into the weights
  /// (`w_j / scale_j`) and the intercept (`b − Σ w_j·mean_j / scale_j`).
  public func folded() -> LinearModel {
    guard let scaler else { return self }
    var model = self
    model.scaler = nil
    for j in weights.indices {
      model.weights[j] = weights[j] / scaler.scale[j]
      model.intercept -= weights[j] * scaler.mean[j] / scaler.scale[j]
    }
    return model
  }

  /// The linear part, `intercept + Σ weights·(scaled x)`: the logit of a
  /// logistic model, the prediction of a linear one.
  /// - Precondition: `x.count == weights.count`.
  public func linearScore(_ x: [Double]) -> Double {
    precondition(x.count == weights.count, "feature count mismatch")
    var sum = intercept
    for j in weights.indices {
      let value = scaler.map { (x[j] - $0.mean[j]) / $0.scale[j] } ?? x[j]
      sum += weights[j] * value
    }
    return sum
  }

  /// The logistic function, computed without overflow for any finite input.
  public static func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
  }

  /// The label a logistic model gives a logit: 1 when `sigmoid(logit) ≥ threshold`.
  public func label(forLogit logit: Double) -> Int {
    LinearModel.sigmoid(logit) >= threshold ? 1 : 0
  }
}

extension LinearModel: Codable {
  enum CodingKeys: String, CodingKey {
    case format, version, kind, features, weights, intercept, scaler, threshold
  }

  /// The `format` value HEKit writes; readers also accept files without it.
  public static let formatName = "hekit-model"

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if let format = try c.decodeIfPresent(String.self, forKey: .format), format != LinearModel.formatName {
      throw TabularError.invalidModel(reason: "format '\(format)' is not '\(LinearModel.formatName)'")
    }
    if let version = try c.decodeIfPresent(Int.self, forKey: .version), version != 1 {
      throw TabularError.invalidModel(reason: "version \(version) is not supported (this HEKit reads version 1)")
    }
    try self.init(
      kind: c.decode(Kind.self, forKey: .kind),
      features: c.decode([String].self, forKey: .features),
      weights: c.decode([Double].self, forKey: .weights),
      intercept: c.decode(Double.self, forKey: .intercept),
      scaler: c.decodeIfPresent(Scaler.self, forKey: .scaler),
      threshold: c.decodeIfPresent(Double.self, forKey: .threshold) ?? 0.5)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(LinearModel.formatName, forKey: .format)
    try c.encode(1, forKey: .version)
    try c.encode(kind, forKey: .kind)
    try c.encode(features, forKey: .features)
    try c.encode(weights, forKey: .weights)
    try c.encode(intercept, forKey: .intercept)
    try c.encodeIfPresent(scaler, forKey: .scaler)
    if kind == .logistic { try c.encode(threshold, forKey: .threshold) }
  }

  /// Reads a model from JSON, turning every decoding failure into
  /// ``TabularError/invalidModel(reason:)`` with the field that failed.
  public init(json data: Data) throws {
    do {
      try StrictJSON.checkNoDuplicateKeys(data)
    } catch {
      throw TabularError.invalidModel(reason: "\(error) (which value is meant is ambiguous)")
    }
    do {
      self = try JSONDecoder().decode(LinearModel.self, from: data)
    } catch let error as TabularError {
      throw error
    } catch let DecodingError.keyNotFound(key, _) {
      throw TabularError.invalidModel(reason: "the field '\(key.stringValue)' is missing")
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw TabularError.invalidModel(reason: "the field '\(path)' has the wrong type")
    } catch let DecodingError.dataCorrupted(context) {
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw TabularError.invalidModel(
        reason: path.isEmpty ? "not valid JSON" : "the field '\(path)' has an invalid value")
    }
  }

  /// The model as pretty-printed JSON with sorted keys.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }
}
