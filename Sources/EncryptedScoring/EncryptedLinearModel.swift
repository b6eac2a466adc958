import BigNum
import Foundation
import Paillier
import Tabular

/// A plaintext model ready to score encrypted records: the scaler folded
/// into the weights, so records are encrypted raw.
///
/// The server holds this and the records' public material only; it never
/// needs, and cannot use, a secret key. The result of ``score(_:mapping:maximumError:)`` is an
/// encryption of the model's linear part (the logit of a logistic model), which
/// the key holder decrypts and turns into a probability and a label
/// (``Tabular/LinearModel/sigmoid(_:)``, ``Tabular/LinearModel/label(forLogit:)``).
///
/// ```swift
/// let scorer = EncryptedLinearModel(model)
/// let mapping = try scorer.featureIndices(columns: header.columns)
/// let logit = try scorer.score(record, mapping: mapping)     // Paillier.Ciphertext
/// ```
public struct EncryptedLinearModel: Sendable {
  /// The model as given (with its scaler, if any).
  public let model: LinearModel
  /// The same model on raw features (scaler folded in).
  public let folded: LinearModel

  public init(_ model: LinearModel) {
    self.model = model
    self.folded = model.folded()
  }

  /// Where each model feature sits in an encrypted record whose values are
  /// named `columns`: extra columns are ignored, the order may differ. When the
  /// record names no columns, it must hold exactly the model's features, in order.
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)``.
  public func featureIndices(columns: [String]?, count: Int? = nil) throws -> [Int] {
    guard let columns else {
      if let count, count != model.features.count {
        throw TabularError.featureMismatch(
          expected: model.features, found: (0..<count).map { "column \($0 + 1)" })
      }
      return Array(model.features.indices)
    }
    return try model.features.map { feature in
      guard let index = columns.firstIndex(of: feature) else {
        throw TabularError.featureMismatch(expected: model.features, found: columns)
      }
      return index
    }
  }

  /// `E(intercept + Σ wⱼ·xⱼ)` for one record of Paillier ciphertexts, as one
  /// multi-exponentiation (``Paillier/Paillier/Ciphertext/dotProduct(_:_:)-([Paillier.Ciphertext],[Paillier.EncodedNumber])``)
  /// plus one plaintext addition.
  ///
  /// The weights are rounded to integers at one common exponent, the largest
  /// that keeps the rounding error within `maximumError` (see
  /// <doc:FixedPoint>).
  ///
  /// - Parameters:
  ///   - record: the record's ciphertexts, one per column.
  ///   - mapping: from ``featureIndices(columns:count:)``; `nil` means the
  ///     record holds the features in the model's order.
  ///   - maximumError: the largest acceptable error of the decrypted score
  ///     against the folded model evaluated exactly on the encrypted values.
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` for a
  ///   record of the wrong length; `PaillierError` from the arithmetic
  ///   (mixed keys, a result that could leave the plaintext window).
  /// - Complexity: about `b` squarings and `d·(b/4 + 4)` multiplications
  ///   modulo `n²` for `d` features and `b`-bit weight integers, and one
  ///   modular inversion when some weights are negative.
  public func score(
    _ record: [Paillier.Ciphertext], mapping: [Int]? = nil, maximumError: Double = 1e-9
  ) throws -> Paillier.Ciphertext {
    let indices = mapping ?? Array(model.features.indices)
    guard indices.allSatisfy({ $0 < record.count }), mapping != nil || record.count == model.features.count else {
      throw TabularError.featureMismatch(
        expected: model.features, found: (0..<record.count).map { "column \($0 + 1)" })
    }
    guard maximumError.isFinite, maximumError > 0 else {
      throw ScoringError.invalidModel(reason: "the scoring error bound must be a positive number, not \(maximumError)")
    }
    let selected = indices.map { record[$0] }
    guard let publicKey = selected.first?.publicKey else {
      return try Paillier.Ciphertext.dotProduct(selected, folded.weights) + folded.intercept  // throws emptyInput
    }
    // Σ|mⱼ| + 1, from the known bounds or 2^53 each.
    var mantissas = 1.0
    for ciphertext in selected {
      mantissas += ciphertext.magnitudeBound.map { $0.doubleValue } ?? 0x1p53
    }
    // The largest T with 16^T / 2 · mantissas ≤ maximumError.
    let exponent = Int((log2(2 * maximumError / mantissas) / 4).rounded(.down))
    var weights: [Paillier.EncodedNumber] = []
    weights.reserveCapacity(selected.count)
    for (ciphertext, weight) in zip(selected, folded.weights) {
      weights.append(try Paillier.EncodedNumber(weight, exponent: exponent - ciphertext.exponent, publicKey: publicKey))
    }
    let intercept = try Paillier.EncodedNumber(folded.intercept, exponent: exponent, publicKey: publicKey)
    return try Paillier.Ciphertext.dotProduct(selected, weights) + intercept
  }
}
