import ArgumentParser
import Foundation
import HEKit

/// Which scheme a key file belongs to, from its first line.
enum KeyScheme { case paillier, bfv }

/// A key file, opened and read once (a pipe, FIFO or stdin cannot be read
/// twice): its scheme, told by its first line, then the key from the same reader.
final class KeyInput {
  let path: String
  let scheme: KeyScheme
  private let reader: LineReader
  private let first: String?

  init(path: String) throws {
    self.path = path
    reader = try LineReader(path: path)
    first = try reader.firstNonBlank()
    scheme = first.map(BFVFileHeader.isBFV) == true ? .bfv : .paillier
  }

  /// The whole file as one document (a Paillier JWK); empty for an empty file.
  func document() throws -> Data {
    guard let first else { return Data() }
    guard let text = try reader.document(startingWith: first, separator: "\n") else {
      throw CLIError("\(path == "-" ? "standard input" : path) is larger than \(LineReader.maximumDocumentBytes >> 20) MiB, "
        + "more than any key: not one HEKit reads")
    }
    return Data(text.utf8)
  }

  /// The BFV key file (see ``BFVKeyFile/read(lines:file:refusingSecret:requiringSecret:expectedKey:)``).
  func bfvKeys(
    refusingSecret: Bool = false, requiringSecret: Bool = false, expectedKey: (String, file: String)? = nil
  ) throws -> BFVKeyFile {
    try BFVKeyFile.read(
      lines: reader.lines(first: first), file: path, refusingSecret: refusingSecret,
      requiringSecret: requiringSecret, expectedKey: expectedKey)
  }
}

/// The BFV branch of `hekit keygen`, `encrypt`, `score` and `decrypt`.
enum BFVCommands {
  /// Writes NAME.pub and NAME.key; returns what was written, for people and for `--json`.
  static func keygen(output: String, force: Bool, spec: BFVParameterSpec, comment: String?) throws -> (CommandSummary, String) {
    let publicPath = output + ".pub"
    let secretPath = output + ".key"
    // Open both first, so neither is written when the other would be refused.
    let publicFile = try OutputFile(path: publicPath, force: force)
    let secretFile = try OutputFile(path: secretPath, access: .owner, force: force)
    let (publicKeys, secretKeys) = try BFVKeyFile.generate(spec, comment: comment)
    try publicFile.write(publicKeys.text())
    try secretFile.write(secretKeys.text())
    try OutputFile.commitPair(secretFile, publicFile)
    let moduli = spec.plaintextModuli.map { "\(64 - $0.leadingZeroBitCount)" }.joined(separator: "+")
    let summary = CommandSummary("keygen", [
      ("scheme", .string("bfv")), ("public-key", .string(publicPath)), ("secret-key", .string(secretPath)),
      ("key", .string(publicKeys.header.key)), ("degree", .int(spec.degree)), ("log-q", .int(spec.logQ)),
      ("plaintext-moduli", .uints(spec.plaintextModuli)), ("plaintext-bits", .int(spec.plaintextBits)),
    ])
    let text = "wrote \(publicPath) and \(secretPath) (BFV N=\(spec.degree), log q \(spec.logQ), "
      + "\(spec.plaintextModuli.count) plaintext moduli of \(moduli) bits = \(spec.plaintextBits)-bit CRT space; "
      + "key \(publicKeys.header.key))"
    return (summary, text)
  }

  // MARK: encrypt

  struct EncryptOptions {
    var key: String
    var input: String
    var output: String?
    var force: Bool
    var hasHeader: Bool
    var columns: [String]?
    var exclude: [String]?
    var rangesFrom: String?
    var margin: Double
    var precisionBits: Int
  }

  /// Rows of numbers from a CSV file, selected as `hekit encrypt` selects them.
  final class NumberRows {
    let csv: CSVInput
    let path: String
    private var selection: RowSelection

    var names: [String]? { selection.names }

    init(path: String, hasHeader: Bool, columns: [String]?, exclude: [String]?) throws {
      self.csv = try CSVInput(path: path)
      self.path = path
      selection = RowSelection(hasHeader: hasHeader, columns: columns, excluding: exclude)
    }

    /// Up to `count` more rows; empty at the end. Reads the header line first.
    func next(_ count: Int) throws -> [(line: Int, values: [Double])] {
      var rows: [(line: Int, values: [Double])] = []
      while rows.count < count {
        let batch = try csv.next(selection.awaitsHeader ? 1 : count - rows.count)
        if batch.isEmpty { break }
        for (record, line) in batch {
          do {
            if let values = try selection.values(of: record, line: line) { rows.append((line, values)) }
          } catch TabularError.emptyInput(let what) {
            throw TabularError.emptyInput(what: "\(path): \(what)")
          }
        }
      }
      if selection.awaitsHeader { throw TabularError.emptyInput(what: "\(path) has no header line") }
      return rows
    }
  }

  /// Each column's smallest and largest value in a CSV file (one pass), and
  /// its rows when there are at most `limit` (so that a file of one batch is
  /// read once; memory stays bounded by `limit` rows).
  static func ranges(of path: String, _ options: EncryptOptions, keeping limit: Int = 0) throws
    -> (names: [String]?, ranges: [ClosedRange<Double>], rows: [(line: Int, values: [Double])]?)
  {
    let rows = try NumberRows(path: path, hasHeader: options.hasHeader, columns: options.columns, exclude: options.exclude)
    var low: [Double] = []
    var high: [Double] = []
    var kept: [(line: Int, values: [Double])]? = limit > 0 ? [] : nil
    while case let batch = try rows.next(4096), !batch.isEmpty {
      if let count = kept?.count { kept = count + batch.count <= limit ? kept! + batch : nil }
      for row in batch {
        if low.isEmpty {
          low = row.values
          high = row.values
        }
        for j in row.values.indices {
          low[j] = min(low[j], row.values[j])
          high[j] = max(high[j], row.values[j])
        }
      }
    }
    guard !low.isEmpty else { throw TabularError.emptyInput(what: "\(path) has no records to take the ranges from") }
    return (rows.names, low.indices.map { low[$0]...high[$0] }, kept)
  }

  /// Returns the number of records encrypted.
  static func encrypt(_ options: EncryptOptions, key: KeyInput) throws -> Int {
    let keys = try key.bfvKeys()
    // Opened once; a pipe, FIFO or stdin cannot be read a second time for the ranges.
    let rows = try NumberRows(
      path: options.input, hasHeader: options.hasHeader, columns: options.columns, exclude: options.exclude)
    guard (options.input != "-" && rows.csv.isRegularFile) || options.rangesFrom != nil else {
      throw ValidationError("BFV encryption of stdin or a pipe needs --ranges-from FILE: the ranges go into the header before the first record")
    }
    // The declared ranges: from a reference file, or from a first pass over the input.
    // A file of one batch is read once: the ranges pass keeps its rows.
    let capacity = keys.parameters[0].slotCount
    let reference = try ranges(
      of: options.rangesFrom ?? options.input, options, keeping: options.rangesFrom == nil ? capacity : 0)
    let out = try Output(path: options.output, force: options.force, inputs: [options.key, options.input] + [options.rangesFrom].compactMap { $0 })
    var first = try reference.rows ?? rows.next(capacity)
    let names = reference.rows == nil ? rows.names : reference.names
    guard !first.isEmpty else { throw TabularError.emptyInput(what: "\(options.input) has no records") }
    guard names == reference.names || (names == nil && reference.ranges.count == first[0].values.count) else {
      let input = names ?? (1...first[0].values.count).map { "column \($0)" }
      let other = reference.names ?? (1...reference.ranges.count).map { "column \($0)" }
      throw CLIError(
        "--ranges-from \(options.rangesFrom ?? options.input) has other columns than \(options.input): "
          + "\(other.count) (\(other.prefix(6).joined(separator: ", "))\(other.count > 6 ? ", ..." : "")) where the input has "
          + "\(input.count) (\(input.prefix(6).joined(separator: ", "))\(input.count > 6 ? ", ..." : "")); "
          + "give a reference CSV with the same columns in the same order")
    }
    try checkWidth(reference.ranges.count, keys: keys, input: options.input)
    let declared = try reference.ranges.enumerated().map { (index, r) throws -> ClosedRange<Double> in
      let widen = options.margin * (r.upperBound - r.lowerBound)
      let (low, high) = (r.lowerBound - widen, r.upperBound + widen)
      guard low.isFinite, high.isFinite else {
        let name = reference.names?[index] ?? "column \(index + 1)"
        throw CLIError(
          "column '\(name)': its range \(r.lowerBound)...\(r.upperBound) widened by --margin \(options.margin) "
            + "leaves the numbers a Double holds (±1.8e308); give a smaller --margin")
      }
      return low...high
    }
    let encryptor = try BFVRecordEncryptor(
      keys: keys, columns: names, ranges: declared, precisionBits: options.precisionBits)
    // A kept batch was read by the ranges pass: no share of the input to show.
    let progress = ProgressLine("encrypt", input: reference.rows == nil ? rows.csv : nil)
    // Streamed a few ciphertexts at a time: memory does not grow with the columns.
    let records = try encryptor.encryptFile(
      batches: {
        defer { first = [] }
        return first.isEmpty ? (reference.rows == nil ? try rows.next(capacity) : []) : first
      }, to: out.write, progress: { progress.advance(by: $0) })
    progress.finish()
    try out.finish()
    return records
  }

  /// The longest batch line `encrypt` writes, in bytes of text: every
  /// reader (`score`, `decrypt`, `inspect`) holds one line in memory.
  static let maximumEncryptLineBytes = 2 << 30

  /// Refuses, before anything is encrypted, a width whose batch lines would
  /// pass ``maximumEncryptLineBytes`` (a fresh ciphertext is two of the
  /// three polynomials of the largest one).
  static func checkWidth(_ columns: Int, keys: BFVKeyFile, input: String) throws {
    let perColumn = BFVBatchLine.maximumTextLength(moduli: keys.parameters.count, values: 1, parameters: keys.parameters[0]) * 2 / 3
    let (line, overflow) = perColumn.multipliedReportingOverflow(by: columns)
    guard overflow || line > maximumEncryptLineBytes else { return }
    throw CLIError(
      "\(input) has \(columns) columns: one batch line would take about \(overflow ? "more than 2^63" : "\(line >> 20) MiB") "
        + "under the key \(keys.header.key), more than the \(maximumEncryptLineBytes >> 20) MiB a reader holds in memory; "
        + "encrypt at most \(maximumEncryptLineBytes / max(perColumn, 1)) columns per file (--columns or --exclude)")
  }

  // MARK: score

  /// Reads the first non-blank line of a batch file.
  static func header(of reader: LineReader, path: String) throws -> String {
    guard let first = try reader.firstNonBlank() else { throw FormatError.malformed(file: path, reason: "the file is empty") }
    return first
  }

  /// Bounds the reader's lines by the longest batch line `header` and
  /// `parameters` allow (records: one ciphertext per column and modulus;
  /// scores: one per modulus).
  static func limitLines(of reader: LineReader, header: BFVFileHeader, parameters: [BFV.Parameters]) {
    let values = header.format == BFVFileHeader.recordsFormat ? (header.exponents?.count ?? 0) : 1
    reader.maximumLineBytes = BFVBatchLine.maximumTextLength(
      moduli: parameters.count, values: max(values, 1), parameters: parameters[0])
  }



  /// The BFV scoring job of `hekit score`: the records file opened, its header and the key checked, the server built.
  static func scoring(
    model modelPath: String, key keyInput: KeyInput, input: String, targetError: Double?,
    reveal: BFVScoringServer.Reveal = .logit
  ) throws -> ScoringJob {
    let key = keyInput.path
    let model = try readModel(modelPath)
    let reader = try LineReader(path: input)
    let first = try header(of: reader, path: input)
    guard BFVFileHeader.isBFV(first) else {
      throw FormatError.wrongKind(file: input, found: "not a BFV batch file", needed: "BFV records (the key \(key) is a BFV key)")
    }
    let records = try BFVFileHeader.parse(first, file: input, expected: BFVFileHeader.recordsFormat)
    let keys = try keyInput.bfvKeys(refusingSecret: true, expectedKey: (records.key, input))
    try keys.check(records, of: input, keyFile: key)
    limitLines(of: reader, header: records, parameters: keys.parameters)
    let server: BFVScoringServer
    do {
      server = try BFVScoringServer(
        model: model, keys: keys, records: records, file: input, targetError: targetError, reveal: reveal)
    } catch ScoringError.targetErrorUnreachable(let quantity, let target, let best, let rounding, let limit) {
      let error = ScoringError.targetErrorUnreachable(
        quantity: quantity, target: target, best: best, recordsRounding: rounding, limit: limit)
      var advice = best.map { ["score with --target-error \(FixedPointLinearModel.roundedUp($0)) or larger"] } ?? []
      if rounding >= target {
        advice.append("encrypt the records with more --precision-bits")
      } else if let bits = records.precisionBits, bits > 8 {
        advice.append("encrypt them with fewer --precision-bits than \(bits) (finer records leave the weights less room)")
      }
      let fallback = targetError == nil ? " (\(target) is the default for this \(model.kind.rawValue) model)" : ""
      throw CLIError(
        "\(input): " + (error.errorDescription ?? "") + fallback
          + (advice.isEmpty ? "" : ": " + advice.joined(separator: ", or ")))
    } catch ScoringError.doesNotFitPlaintext(let need, let have) where reveal == .label {
      // The logits fit; the blinded labels r·(S − S_thr) + r′ need about 32 bits more.
      throw CLIError(
        "--reveal label needs \(need) bits of plaintext space for the blinded labels, but the key "
          + "\(keys.header.key) holds \(have): generate keys with one more modulus "
          + "(hekit keygen --scheme bfv --moduli \(keys.parameters.count + 1))")
    } catch let error where error is TabularError || error is ScoringError {
      throw CLIError("\(input) and the model \(modelPath): \(error.localizedDescription)")
    }
    if records.columns == nil { warnByPosition(input: input, modelPath: modelPath, model: model) }
    return ScoringJob(
      reader: reader, server: server, scheme: "bfv", errorBound: server.scorer.encoding.errorBound,
      quantity: FixedPointLinearModel.quantity(of: model))
  }

  /// Warns (standard error) that records without column names are scored by position.
  static func warnByPosition(input: String, modelPath: String, model: LinearModel) {
    let names = model.features.prefix(4).joined(separator: ", ") + (model.features.count > 4 ? ", ..." : "")
    FileHandle.standardError.write(Data((
      "warning: \(input == "-" ? "standard input" : input) names no columns (encrypted without a header line): its "
        + "columns are taken by position as the features of \(modelPath) (\(names)); columns in another order "
        + "score to nonsense. Encrypt with --header so that names are checked.\n").utf8))
  }

  // MARK: decrypt

  /// The BFV decryption job of `hekit decrypt`: the file opened, its header and the key checked.
  static func decryption(key keyInput: KeyInput, input: String) throws -> DecryptionJob {
    let key = keyInput.path
    let reader = try LineReader(path: input)
    let first = try header(of: reader, path: input)
    guard BFVFileHeader.isBFV(first) else {
      throw FormatError.wrongKind(file: input, found: "not a BFV batch file", needed: "BFV records or scores (the key \(key) is a BFV key)")
    }
    let header = try BFVFileHeader.parse(first, file: input)
    guard header.format == BFVFileHeader.recordsFormat || header.format == BFVFileHeader.scoresFormat else {
      throw FormatError.wrongKind(file: input, found: BFVFileHeader.describe(header.format), needed: "a BFV batch file of records or scores")
    }
    let keys = try keyInput.bfvKeys(requiringSecret: true, expectedKey: (header.key, input))
    try keys.check(header, of: input, keyFile: key)
    limitLines(of: reader, header: header, parameters: keys.parameters)
    return DecryptionJob(reader: reader, decryptor: try BFVBatchDecryptor(keys: keys, header: header, file: input), scheme: "bfv")
  }
}

/// A scoring run of `hekit score`, either scheme: the records file open after
/// its header, and the server that scores it.
struct ScoringJob {
  let reader: LineReader
  let server: any EncryptedBatchScorer
  let scheme: String
  let errorBound: Double?
  let quantity: String
}

/// A decryption run of `hekit decrypt` on a batch file, either scheme.
struct DecryptionJob {
  let reader: LineReader
  let decryptor: any EncryptedBatchDecryptor
  let scheme: String
}
