import BigNum
import Paillier

/// A plaintext model ready to score encrypted records: the scaler folded
/// into the weights, so records are encrypted raw.
///
/// The server holds this and the records' public material only; it never
/// needs, and cannot use, a secret key. The result of ``score(_:)`` is an
/// encryption of the model's linear part (the logit of a logistic model), which
/// the key holder decrypts and turns into a probability and a label
/// (``LinearModel/sigmoid(_:)``, ``LinearModel/label(forLogit:)``).
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
  /// - Throws: ``EncryptedMLError/featureMismatch(expected:found:)``.
  public func featureIndices(columns: [String]?, count: Int? = nil) throws -> [Int] {
    guard let columns else {
      if let count, count != model.features.count {
        throw EncryptedMLError.featureMismatch(
          expected: model.features, found: (0..<count).map { "column \($0 + 1)" })
      }
      return Array(model.features.indices)
    }
    return try model.features.map { feature in
      guard let index = columns.firstIndex(of: feature) else {
        throw EncryptedMLError.featureMismatch(expected: model.features, found: columns)
      }
      return index
    }
  }

  /// `E(intercept + Σ wⱼ·xⱼ)` for one record of Paillier ciphertexts, as one
  /// multi-exponentiation (``Paillier/Ciphertext/dotProduct(_:_:)-([Paillier.Ciphertext],[Double])``)
  /// plus one plaintext addition. Weights and intercept are encoded exactly
  /// as python-paillier encodes doubles, so the decrypted score equals the
  /// plaintext computation on the same doubles up to the final rounding.
  ///
  /// - Parameters:
  ///   - record: the record's ciphertexts, one per column.
  ///   - mapping: from ``featureIndices(columns:count:)``; `nil` means the
  ///     record holds the features in the model's order.
  /// - Throws: ``EncryptedMLError/featureMismatch(expected:found:)`` for a
  ///   record of the wrong length; `PaillierError` from the arithmetic
  ///   (mixed keys, a result that could leave the plaintext window).
  public func score(_ record: [Paillier.Ciphertext], mapping: [Int]? = nil) throws -> Paillier.Ciphertext {
    let indices = mapping ?? Array(model.features.indices)
    guard indices.allSatisfy({ $0 < record.count }), mapping != nil || record.count == model.features.count else {
      throw EncryptedMLError.featureMismatch(
        expected: model.features, found: (0..<record.count).map { "column \($0 + 1)" })
    }
    let selected = indices.map { record[$0] }
    return try Paillier.Ciphertext.dotProduct(selected, folded.weights) + folded.intercept
  }
}
