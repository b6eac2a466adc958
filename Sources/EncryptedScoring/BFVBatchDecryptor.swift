import BFV
import BigNum
import HEKitFormats
import Tabular

/// The key holder's side of a BFV batch file (scores, blinded labels, or
/// records): each line decrypted and recombined by CRT into CSV rows, with
/// every value checked against the range its header declares, so that a line
/// spliced in from another file is refused rather than decrypted to nonsense.
public struct BFVBatchDecryptor: Sendable {
  /// What a batch file holds, and so what its CSV rows say.
  public enum Content: Sendable, Equatable {
    /// Scores: logit, probability and label (logistic) or the score (linear),
    /// at `fractionBits`, each within ±2^(requiredBits−1).
    case scores(ScoreColumns, fractionBits: Int, requiredBits: Int)
    /// Blinded labels (the sign of r·(S − S_thr) + r′), within ±2^(requiredBits−1).
    case labels(requiredBits: Int)
    /// Records: the values of the declared columns.
    case records(names: [String], exponents: [Int], ranges: [ClosedRange<Double>], headerNames: [String]?)
  }

  let keys: BFVKeyFile
  let plaintext: BFV.PlaintextCRT
  let binding: [UInt8]
  /// What the file holds.
  public let content: Content
  /// The file's header.
  public let header: BFVFileHeader

  /// - Parameters:
  ///   - keys: the secret key set of the file's key.
  ///   - header: the file's header (checked against `keys` by the caller).
  ///   - file: the file, for messages.
  /// - Throws: ``HEKitFormats/FormatError`` for a header that is not a batch
  ///   file of records or scores, or lacks what decryption needs;
  ///   ``HEKitFormats/FormatError/wrongKind(file:found:needed:)`` for public keys.
  public init(keys: BFVKeyFile, header: BFVFileHeader, file: String) throws {
    guard keys.isSecret else {
      throw FormatError.wrongKind(file: file, found: "a BFV public key", needed: "the secret key that decryption needs")
    }
    self.keys = keys
    self.header = header
    plaintext = try BFV.PlaintextCRT(parameters: keys.parameters)
    binding = try header.binding()
    switch header.format {
    case BFVFileHeader.scoresFormat:
      if let reveal = header.reveal {
        guard reveal == BFVScoringServer.Reveal.label.rawValue, let bits = header.requiredBits, (2...126).contains(bits)
        else {
          throw FormatError.malformed(
            file: file, reason: "the scores header reveals '\(reveal)' (this build reads label) or lacks requiredBits")
        }
        content = .labels(requiredBits: bits)
      } else {
        guard let f = header.fractionBits, (0...FixedPointLinearModel.maximumFractionBits).contains(f),
          let kind = header.model.flatMap(LinearModel.Kind.init(rawValue:)),
          let bits = header.requiredBits, (1...126).contains(bits)
        else {
          throw FormatError.malformed(file: file, reason: "the scores header lacks a model kind, fraction bits or required bits")
        }
        content = .scores(ScoreColumns(kind: kind, threshold: header.threshold ?? 0.5), fractionBits: f, requiredBits: bits)
      }
    case BFVFileHeader.recordsFormat:
      let ranges = try header.checkedRanges(file: file)
      content = .records(
        names: header.columns ?? ranges.indices.map { "column \($0 + 1)" }, exponents: header.exponents ?? [],
        ranges: ranges, headerNames: header.columns)
    default:
      throw FormatError.wrongKind(
        file: file, found: BFVFileHeader.describe(header.format), needed: "a BFV batch file of records or scores")
    }
  }

  /// The CSV header line of the rows (without newline), nil for records encrypted without names.
  public var csvHeader: String? {
    switch content {
    case .scores(let columns, _, _): return columns.names.joined(separator: ",")
    case .labels: return "label"
    case .records(_, _, _, let names): return names.map { $0.map(CSVParser.field).joined(separator: ",") } ?? nil
    }
  }

  /// The CSV rows of one batch line, joined by newlines (no final newline).
  /// - Throws: ``HEKitFormats/BFVBatchLine/LineError`` for a line of another
  ///   file or layout, or a value outside the header's ranges.
  /// - Complexity: K·d decryptions over all cores, then N CRT compositions per value.
  public func decrypt(_ line: BFVBatchLine) throws(BFVBatchLine.LineError) -> String {
    let (k, capacity) = (keys.parameters.count, keys.parameters[0].slotCount)
    switch content {
    case .labels(let bits):
      try line.check(.scores, moduli: k, values: 1, capacity: capacity, binding: binding)
      let bound = UInt128(1) << (bits - 1)
      return try values(of: line)[0].map { (z) throws(BFVBatchLine.LineError) -> String in
        guard z.magnitude < bound else { throw BFVBatchLine.LineError("a blinded label value lies outside ±2^\(bits - 1)") }
        return z >= 0 ? "1" : "0"
      }.joined(separator: "\n")
    case .scores(let columns, _, _):
      return try scores(of: line).map(columns.row).joined(separator: "\n")
    case .records(let names, let exponents, let ranges, _):
      try line.check(.records, moduli: k, values: ranges.count, capacity: capacity, binding: binding)
      let columns = try values(of: line)
      for j in columns.indices {
        // The fixed-point values the declared ranges allow (what the encryptor refuses outside them).
        let low = Double(sign: .plus, exponent: exponents[j], significand: ranges[j].lowerBound).rounded()
        let high = Double(sign: .plus, exponent: exponents[j], significand: ranges[j].upperBound).rounded()
        if let r = columns[j].firstIndex(where: { !(low...high).contains(Double($0)) }) {
          throw BFVBatchLine.LineError(
            "record \(r + 1), column '\(names[j])' decrypts to a value outside the declared range "
              + "\(ranges[j].lowerBound)...\(ranges[j].upperBound): it was not encrypted under this header and key "
              + "(a line from another file?)")
        }
      }
      return (0..<line.count).map { r in
        columns.indices.map { j in "\(Double(sign: .plus, exponent: -exponents[j], significand: Double(columns[j][r])))" }
          .joined(separator: ",")
      }.joined(separator: "\n")
    }
  }

  /// The decrypted values of one line of a scores file (logits for a
  /// logistic model, scores for a linear one), each within the header's
  /// error bound of the model's exact value.
  /// - Throws: ``HEKitFormats/BFVBatchLine/LineError`` for a line of another
  ///   file or layout, a value outside the header's range, or a file of labels or records.
  public func scores(of line: BFVBatchLine) throws(BFVBatchLine.LineError) -> [Double] {
    guard case .scores(let columns, let f, let bits) = content else {
      throw BFVBatchLine.LineError("not a file of scores")
    }
    try line.check(.scores, moduli: keys.parameters.count, values: 1, capacity: keys.parameters[0].slotCount, binding: binding)
    // Every score the header's model gives inside the declared ranges lies within ±2^(requiredBits−1).
    let bound = UInt128(1) << (bits - 1)
    return try values(of: line)[0].enumerated().map { (r, s) throws(BFVBatchLine.LineError) -> Double in
      guard s.magnitude < bound else {
        throw BFVBatchLine.LineError(
          "score \(r + 1) decrypts to a value outside ±2^\(bits - 1), the range the header declares for this "
            + "model's \(columns.what)s: it was not computed under this header and key (a line from another file?)")
      }
      return Double(sign: .plus, exponent: -f, significand: Double(s))
    }
  }

  /// Decrypts a batch file: reads its lines after the header through
  /// `nextLine` and writes CSV (the header line, if any, then one row per
  /// record) through `write`.
  /// - Returns: the number of records.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line; errors of `nextLine` and `write`.
  @discardableResult
  public func decryptFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    if let csvHeader { try write(csvHeader + "\n") }
    return try BFVBatchLine.transform(
      lines: nextLine, file: file, format: header.format, to: write, progress: progress, decrypt)
  }

  /// The centred integers of values (i, j) of a line, per value j: `count` each.
  /// - Complexity: K·d decryptions over all cores.
  func values(of line: BFVBatchLine) throws(BFVBatchLine.LineError) -> [[Int128]] {
    let (k, d, keys, plaintext) = (keys.parameters.count, line.values, keys, plaintext)
    let residues = try BigNum.parallelMap(k * d) { (index) throws(BFVBatchLine.LineError) -> [UInt64] in
      let (i, j) = index.quotientAndRemainder(dividingBy: d)
      let ciphertext = try line.ciphertext(i, j, parameters: keys.parameters[i])
      do {
        return try BFV.Encoder(parameters: keys.parameters[i]).decode(keys.secretKeys[i].decrypt(ciphertext))
      } catch {
        throw BFVBatchLine.LineError("ciphertext \(j + 1) of modulus \(i + 1): \(error.localizedDescription)")
      }
    }
    return try (0..<d).map { (j) throws(BFVBatchLine.LineError) -> [Int128] in
      try (0..<line.count).map { (r) throws(BFVBatchLine.LineError) -> Int128 in
        // The product of the moduli is below 2^124 (checked when the keys were read), so every centred value fits.
        guard let value = plaintext.centredInt128((0..<k).map { residues[$0 * d + j][r] }) else {
          throw BFVBatchLine.LineError("value \(r + 1) of column \(j + 1) does not fit 128 bits")
        }
        return value
      }
    }
  }
}
