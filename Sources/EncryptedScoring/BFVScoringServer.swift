import BFV
import BigNum
import Foundation
import HEKitFormats
import Tabular

/// The scoring server's side of a records batch file: the model quantised for
/// the exponents the records header declares, the linear score per batch,
/// noise flooding, and the scores batch file. Public material only.
public struct BFVScoringServer: Sendable {
  /// The public key set.
  public let keys: BFVKeyFile
  /// The model, quantised for the records.
  public let scorer: BFVBatchScorer
  /// For each model feature, its column in the records.
  let columnIndices: [Int]
  let recordColumns: Int
  /// The scores header (public).
  public let header: BFVFileHeader
  /// With ``Reveal/label``: the blinded-sign step after scoring.
  let labeler: BFVLabelScorer?
  /// The records header's binding (checked on every records line) and the
  /// scores header's (carried by every scores line).
  let recordsBinding: [UInt8]
  let scoresBinding: [UInt8]

  /// What the key holder learns per record.
  public enum Reveal: String, CaseIterable, Sendable {
    /// The fixed-point logit (decrypt prints logit, probability and label).
    case logit
    /// Only the label: the score is blinded (``BFVLabelScorer``).
    case label
  }

  /// - Parameters:
  ///   - model: the plaintext model.
  ///   - keys: the public key set (never a secret one).
  ///   - records: the records header (checked against `keys` by the caller).
  ///   - file: the records file, for messages.
  ///   - targetError: the largest acceptable bound on the error of a logit
  ///     (logistic) or score (linear); nil for
  ///     ``FixedPointLinearModel/defaultTargetError(for:featureRanges:)``.
  ///   - reveal: what the key holder learns per record.
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` when the
  ///   records lack a feature; ``ScoringError/targetErrorUnreachable(quantity:target:best:recordsRounding:limit:)``
  ///   when the records' precision cannot reach `targetError`;
  ///   ``HEKitFormats/FormatError/doesNotFit(needBits:haveBits:key:)`` when the
  ///   scores need more bits than the plaintext moduli hold;
  ///   ``ScoringError/doesNotFitPlaintext(needBits:haveBits:)`` when only the
  ///   blinded labels of ``Reveal/label`` do not fit.
  public init(
    model: LinearModel, keys: BFVKeyFile, records: BFVFileHeader, file: String, targetError: Double?, reveal: Reveal = .logit
  ) throws {
    guard !keys.isSecret else { throw FormatError.secretKeyRefused(file: "the key of \(file)") }
    let ranges = try records.checkedRanges(file: file)
    let exponents = records.exponents ?? []
    let indices: [Int]
    if let columns = records.columns {
      indices = try model.features.map { name in
        guard let index = columns.firstIndex(of: name) else {
          throw TabularError.featureMismatch(expected: model.features, found: columns)
        }
        return index
      }
    } else {
      guard ranges.count == model.features.count else {
        throw TabularError.featureMismatch(
          expected: model.features, found: (1...ranges.count).map { "column \($0)" })
      }
      indices = Array(ranges.indices)
    }
    let featureRanges = indices.map { ranges[$0] }
    let target = targetError ?? FixedPointLinearModel.defaultTargetError(for: model, featureRanges: featureRanges)
    let encoding = try FixedPointLinearModel.withError(
      atMost: target, model, featureExponents: indices.map { exponents[$0] }, featureRanges: featureRanges)
    do {
      scorer = try BFVBatchScorer(model, encoding: encoding, parameters: keys.parameters)
    } catch ScoringError.doesNotFitPlaintext(let need, let have) {
      throw FormatError.doesNotFit(needBits: need, haveBits: have, key: keys.header.key)
    }
    labeler = reveal == .label ? try BFVLabelScorer(scorer) : nil
    self.keys = keys
    columnIndices = indices
    recordColumns = ranges.count
    var header = BFVFileHeader(format: BFVFileHeader.scoresFormat, key: keys.header.key, spec: keys.spec)
    header.model = model.kind.rawValue
    if model.kind == .logistic { header.threshold = model.threshold }
    header.features = model.features.count
    header.fractionBits = encoding.fractionBits
    header.requiredBits = labeler?.requiredBits ?? encoding.requiredBits
    if let labeler {
      header.reveal = Reveal.label.rawValue
      header.blindingBits = labeler.blindingBits
    }
    header.errorBound = encoding.errorBound
    header.floodingBits = keys.parameters.map(BFVScoringServer.floodingBits).min()
    header.shard = records.shard  // a scored shard joins like its records
    // Work from the header as a reader will see it, so both sides compute the same binding.
    let written = try BFVFileHeader.parse(try header.line(), file: "the scores header")
    self.header = written
    recordsBinding = try records.binding()
    scoresBinding = try written.binding()
  }

  /// The flooding width at the full level (`BFV.Ciphertext.defaultFloodingBits`).
  public static func floodingBits(_ parameters: BFV.Parameters) -> Int {
    parameters.logQ - (64 - parameters.plaintextModulus.leadingZeroBitCount) - 3
  }

  /// The primes a flooded result keeps on its way back: the fewest whose
  /// product q' has at least 2·bitWidth(t) + 20 bits (bitWidth(t) + 34 for t
  /// below 2^14).
  ///
  /// Flooding at the full modulus leaves the noise below 3q/(8t) (flood
  /// below q/(4t), the computation's own below q/(8t)). Dropping primes
  /// scales it by q'/q and adds at most t/2 (the message times the change of
  /// ⌊q/t⌋) plus a rounding error below 2^13 (N ≤ 8192, ternary secret); with
  /// q'/(8t) at least 2^16 times that, the result decrypts with room to
  /// spare. Switching is a public function of the flooded ciphertext, so it
  /// hides nothing less than the flooding did.
  public static func resultLevel(_ parameters: BFV.Parameters) -> Int {
    let t = Double(64 - parameters.plaintextModulus.leadingZeroBitCount)
    let needed = t + 3 + 16 + max(t, 14) + 1
    var bits = 0.0
    for (index, prime) in parameters.coefficientModuli.enumerated() {
      bits += log2(Double(prime))
      if bits >= needed { return index + 1 }
    }
    return parameters.coefficientModuli.count
  }

  /// The scores line of a records line: per modulus `B + Σ W_j·ct_j`, then
  /// flooded with fresh noise from the OS CSPRNG, then switched down to
  /// ``resultLevel(_:)`` primes (smaller to send back).
  public func score(_ line: BFVBatchLine) throws(BFVBatchLine.LineError) -> String {
    try line.check(
      .records, moduli: keys.parameters.count, values: recordColumns, capacity: scorer.recordsPerBatch,
      binding: recordsBinding)
    let (d, keys, indices) = (columnIndices.count, keys, columnIndices)
    // Only the model's columns are read.
    let flat = try BigNum.parallelMap(keys.parameters.count * d) { (k) throws(BFVBatchLine.LineError) in
      let (i, j) = k.quotientAndRemainder(dividingBy: d)
      return try line.ciphertext(i, indices[j], parameters: keys.parameters[i])
    }
    let batch = BFVEncryptedBatch(
      count: line.count, ciphertexts: (0..<keys.parameters.count).map { Array(flat[($0 * d)..<(($0 + 1) * d)]) })
    do {
      let scores = try scorer.score(batch)
      // Blinded labels come out flooded; logits are flooded here.
      let results = try labeler.map { try $0.labels(from: scores, using: BFVEvaluationKeys(publicKeys: keys.publicKeys)).ciphertexts }
      let blobs = try BigNum.parallelMap(scores.ciphertexts.count) { i -> [[UInt8]] in
        var ciphertext = results?[i] ?? scores.ciphertexts[i]
        if results == nil { try ciphertext.floodNoise(using: keys.publicKeys[i]) }
        try ciphertext.switchModulus(toLevel: BFVScoringServer.resultLevel(keys.parameters[i]))
        return [ciphertext.serialized()]
      }
      return BFVBatchLine.encode(.scores, count: line.count, binding: scoresBinding, blobs: blobs)
    } catch {
      throw BFVBatchLine.LineError(error.localizedDescription)
    }
  }
}

extension BFVScoringServer {
  /// Scores a records batch file: reads its lines after the header through
  /// `nextLine`, writes the scores batch file (header, one line per records
  /// line, trailer) through `write`.
  /// - Parameters:
  ///   - nextLine: the records file's lines after its header, nil at the end.
  ///   - file: the records file, for messages.
  ///   - write: receives the scores file's text in order.
  ///   - progress: told the records of each line once it is written.
  /// - Returns: the number of records scored.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line of a bad,
  ///   missing or extra line; errors of `nextLine` and `write`.
  /// - Complexity: per line, K·d plaintext products, K floodings, over all cores.
  @discardableResult
  public func scoreFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    try write(header.line() + "\n")
    return try BFVBatchLine.transform(
      lines: nextLine, file: file, format: BFVFileHeader.recordsFormat, trailer: BFVFileHeader.scoresFormat,
      to: write, progress: progress, score)
  }
}
