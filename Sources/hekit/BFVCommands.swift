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
  /// The parameters of `hekit keygen --scheme bfv`.
  static func spec(preset: BFV.Preset, moduli: Int, bits: Int) throws -> BFVParameterSpec {
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: bits, degree: preset.degree, atMost: moduli)
    guard primes.count == moduli else {
      throw ValidationError("there are only \(primes.count) batching primes below 2^\(bits) for N = \(preset.degree): use wider moduli")
    }
    let base = try BFV.Parameters(preset: preset)
    return BFVParameterSpec(degree: preset.degree, coefficientModuli: base.coefficientModuli, plaintextModuli: primes)
  }

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
    private(set) var names: [String]?
    private var selection: ColumnSelection?
    private var width: Int?
    private let hasHeader: Bool
    private let columns: [String]?
    private let exclude: [String]?

    init(path: String, hasHeader: Bool, columns: [String]?, exclude: [String]?) throws {
      self.csv = try CSVInput(path: path)
      self.path = path
      self.hasHeader = hasHeader
      self.columns = columns
      self.exclude = exclude
    }

    /// Up to `count` more rows; empty at the end. Reads the header line first.
    func next(_ count: Int) throws -> [(line: Int, values: [Double])] {
      var rows: [(line: Int, values: [Double])] = []
      while rows.count < count {
        let batch = try csv.next(hasHeader && selection == nil ? 1 : count - rows.count)
        if batch.isEmpty { break }
        for (record, line) in batch {
          if hasHeader && selection == nil {
            let header = record.map { $0.trimmingCharacters(in: .whitespaces) }
            var wanted = columns
            if let exclude {
              for name in exclude where !header.contains(name) {
                throw TabularError.unknownColumn(name, available: header)
              }
              wanted = header.filter { !exclude.contains($0) }
            }
            let chosen = try ColumnSelection(header: header, columns: wanted)
            guard !chosen.names.isEmpty else { throw TabularError.emptyInput(what: "\(path): no columns selected") }
            selection = chosen
            names = chosen.names
            continue
          }
          if let selection {
            rows.append((line, try selection.values(of: record, line: line)))
          } else {
            guard width == nil || width == record.count else {
              throw TabularError.malformedCSV(line: line, reason: "\(record.count) cells where the first row has \(width!)")
            }
            width = record.count
            let values = try record.enumerated().map { j, cell in
              try ColumnSelection.number(cell, line: line, column: "column \(j + 1)")
            }
            rows.append((line, values))
          }
        }
      }
      if hasHeader && selection == nil { throw TabularError.emptyInput(what: "\(path) has no header line") }
      return rows
    }
  }

  /// Each column's smallest and largest value in a CSV file (one pass, constant memory).
  static func ranges(of path: String, _ options: EncryptOptions) throws -> (names: [String]?, ranges: [ClosedRange<Double>]) {
    let rows = try NumberRows(path: path, hasHeader: options.hasHeader, columns: options.columns, exclude: options.exclude)
    var low: [Double] = []
    var high: [Double] = []
    while case let batch = try rows.next(4096), !batch.isEmpty {
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
    return (rows.names, low.indices.map { low[$0]...high[$0] })
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
    let reference = try ranges(of: options.rangesFrom ?? options.input, options)
    let out = try Output(path: options.output, force: options.force, inputs: [options.key, options.input] + [options.rangesFrom].compactMap { $0 })
    let capacity = keys.parameters[0].slotCount
    var first = try rows.next(capacity)
    guard !first.isEmpty else { throw TabularError.emptyInput(what: "\(options.input) has no records") }
    guard rows.names == reference.names || (rows.names == nil && reference.ranges.count == first[0].values.count) else {
      let input = rows.names ?? (1...first[0].values.count).map { "column \($0)" }
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
      keys: keys, columns: rows.names, ranges: declared, precisionBits: options.precisionBits)
    try out.write(encryptor.header.line() + "\n")
    let progress = ProgressLine("encrypt", input: rows.csv)
    var records = 0
    var lines = 0
    while !first.isEmpty {
      // Streamed a few ciphertexts at a time: memory does not grow with the columns.
      try encryptor.encryptLine(first) { try out.write($0) }
      try out.write("\n")
      progress.advance(by: first.count)
      records += first.count
      lines += 1
      first = try rows.next(capacity)
    }
    progress.finish()
    try out.write(BFVFileTrailer(format: BFVFileHeader.recordsFormat, records: records, lines: lines).line + "\n")
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
    guard let first = try reader.firstNonBlank() else { throw BFVFileError.malformed(file: path, reason: "the file is empty") }
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

  static func checkKey(_ header: BFVFileHeader, of path: String, against keys: BFVKeyFile, keyPath: String) throws {
    guard header.key == keys.header.key else {
      throw BFVFileError.keyMismatch(file: path, found: header.key, expected: "\(keys.header.key) (\(keyPath))")
    }
    guard header.spec == keys.spec else {
      throw BFVFileError.malformed(file: path, reason: "its parameters differ from those of the key \(keyPath)")
    }
  }

  /// Runs `body` on every batch line after the header of a file of
  /// `format`, writing its result line by line; errors name the file and
  /// line. The file must end with its trailer, whose counts must match
  /// (``TrailerCheck``); with `trailer`, the output (a batch file of that
  /// format, one line per input line) gets its own trailer last.
  /// Progress (records done) goes to a terminal's standard error under `verb`.
  /// Returns the number of records.
  @discardableResult
  static func transformLines(
    _ reader: LineReader, path: String, format: String, to out: Output, trailer: String? = nil, verb: String,
    _ body: (BFVBatchLine) throws(BFVBatchLine.LineError) -> String
  ) throws -> Int {
    var number = 1
    var total = 0
    var end = TrailerCheck(path: path, required: true) { line in
      let trailer = try BFVFileTrailer(parsing: line, format: format, file: path)
      return (trailer.records, trailer.lines)
    }
    let progress = ProgressLine(verb, input: reader)
    while let text = try reader.next() {
      number += 1
      if text.isBlank { continue }
      if try end.isTrailer(text, number: number) { continue }
      let result: String
      let records: Int
      do throws(BFVBatchLine.LineError) {
        let line = try BFVBatchLine(text)
        records = line.count
        result = try body(line)
      } catch {
        throw BFVFileError.malformedLine(file: path, line: number, reason: error.reason)
      }
      try out.write(result + "\n")
      end.count(records: records)
      progress.advance(by: records)
      total += records
    }
    progress.finish()
    guard total > 0 else {
      throw BFVFileError.malformed(file: path, reason: "no batch after the header: the file is truncated (hekit never writes one without records)")
    }
    try end.finish()
    if let trailer { try out.write(BFVFileTrailer(format: trailer, records: end.records, lines: end.lines).line + "\n") }
    return total
  }

  /// Returns the number of records scored and the error bound of the logits (logistic) or scores (linear).
  static func score(
    model modelPath: String, key keyInput: KeyInput, input: String, output: String?, force: Bool, targetError: Double?,
    reveal: BFVBatchServer.Reveal = .logit
  ) throws -> (records: Int, errorBound: Double, quantity: String) {
    let key = keyInput.path
    let model = try readModel(modelPath)
    let reader = try LineReader(path: input)
    let first = try header(of: reader, path: input)
    guard BFVFileHeader.isBFV(first) else {
      throw BFVFileError.wrongKind(file: input, found: "not a BFV batch file", needed: "BFV records (the key \(key) is a BFV key)")
    }
    let records = try BFVFileHeader.parse(first, file: input, expected: BFVFileHeader.recordsFormat)
    let keys = try keyInput.bfvKeys(refusingSecret: true, expectedKey: (records.key, input))
    try checkKey(records, of: input, against: keys, keyPath: key)
    limitLines(of: reader, header: records, parameters: keys.parameters)
    let server: BFVBatchServer
    do {
      server = try BFVBatchServer(
        model: model, keys: keys, records: records, file: input, targetError: targetError, reveal: reveal)
    } catch let error where error is TabularError || error is ScoringError {
      throw CLIError("\(input) and the model \(modelPath): \(error.localizedDescription)")
    }
    if records.columns == nil { warnByPosition(input: input, modelPath: modelPath, model: model) }
    let out = try Output(path: output, force: force, inputs: [modelPath, key, input])
    out.writeHeader(try server.header.line() + "\n")
    let scored = try transformLines(
      reader, path: input, format: BFVFileHeader.recordsFormat, to: out, trailer: BFVFileHeader.scoresFormat, verb: "score"
    ) { (line) throws(BFVBatchLine.LineError) in
      try server.score(line)
    }
    try out.finish()
    return (scored, server.scorer.encoding.errorBound, FixedPointLinearModel.quantity(of: model))
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

  /// Returns the number of records decrypted.
  static func decrypt(key keyInput: KeyInput, input: String, output: String?, force: Bool) throws -> Int {
    let key = keyInput.path
    let reader = try LineReader(path: input)
    let first = try header(of: reader, path: input)
    guard BFVFileHeader.isBFV(first) else {
      throw BFVFileError.wrongKind(file: input, found: "not a BFV batch file", needed: "BFV records or scores (the key \(key) is a BFV key)")
    }
    let header = try BFVFileHeader.parse(first, file: input)
    guard header.format == BFVFileHeader.recordsFormat || header.format == BFVFileHeader.scoresFormat else {
      throw BFVFileError.wrongKind(file: input, found: BFVFileHeader.describe(header.format), needed: "a BFV batch file of records or scores")
    }
    let keys = try keyInput.bfvKeys(requiringSecret: true, expectedKey: (header.key, input))
    try checkKey(header, of: input, against: keys, keyPath: key)
    limitLines(of: reader, header: header, parameters: keys.parameters)
    let decryptor = try BFVDecryptor(keys: keys)
    let capacity = keys.parameters[0].slotCount
    let k = keys.parameters.count
    let binding = try header.binding()
    let format = header.format
    let out = try Output(path: output, access: .owner, force: force, inputs: [key, input])
    let records: Int
    if header.format == BFVFileHeader.scoresFormat, let reveal = header.reveal {
      // Blinded labels: the sign of Z = r·(S − S_thr) + r′, which lies within ±2^(requiredBits−1).
      guard reveal == BFVBatchServer.Reveal.label.rawValue, let bits = header.requiredBits, (2...126).contains(bits) else {
        throw BFVFileError.malformed(file: input, reason: "the scores header reveals '\(reveal)' (this build reads label) or lacks requiredBits")
      }
      let bound = Int128(1) << (bits - 1)
      out.writeHeader("label\n")
      records = try transformLines(reader, path: input, format: format, to: out, verb: "decrypt") { (line) throws(BFVBatchLine.LineError) in
        try line.check(.scores, moduli: k, values: 1, capacity: capacity, binding: binding)
        return try decryptor.decrypt(line)[0].map { (z) throws(BFVBatchLine.LineError) -> String in
          guard z.magnitude < bound.magnitude else { throw BFVBatchLine.LineError("a blinded label value lies outside ±2^\(bits - 1)") }
          return z >= 0 ? "1" : "0"
        }.joined(separator: "\n")
      }
    } else if header.format == BFVFileHeader.scoresFormat {
      guard let f = header.fractionBits, (0...FixedPointLinearModel.maximumFractionBits).contains(f),
        let kind = header.model.flatMap(LinearModel.Kind.init(rawValue:)),
        let bits = header.requiredBits, (1...126).contains(bits)
      else {
        throw BFVFileError.malformed(file: input, reason: "the scores header lacks a model kind, fraction bits or required bits")
      }
      let columns = ScoreColumns(kind: kind, threshold: header.threshold ?? 0.5)
      // Every score the header's model gives inside the declared ranges lies within ±2^(requiredBits−1).
      let bound = UInt128(1) << (bits - 1)
      out.writeHeader(columns.names.joined(separator: ",") + "\n")
      records = try transformLines(reader, path: input, format: format, to: out, verb: "decrypt") { (line) throws(BFVBatchLine.LineError) in
        try line.check(.scores, moduli: k, values: 1, capacity: capacity, binding: binding)
        return try decryptor.decrypt(line)[0].enumerated().map { (r, s) throws(BFVBatchLine.LineError) -> String in
          guard s.magnitude < bound else {
            throw BFVBatchLine.LineError(
              "score \(r + 1) decrypts to a value outside ±2^\(bits - 1), the range the header declares for this "
                + "model's \(columns.what)s: it was not computed under this header and key (a line from another file?)")
          }
          return columns.row(for: Double(sign: .plus, exponent: -f, significand: Double(s)))
        }.joined(separator: "\n")
      }
    } else {
      let ranges = try header.checkedRanges(file: input)
      let exponents = header.exponents ?? []
      if let names = header.columns { out.writeHeader(names.map(csvField).joined(separator: ",") + "\n") }
      let names = header.columns ?? ranges.indices.map { "column \($0 + 1)" }
      // The fixed-point values the declared ranges allow (what the encryptor refuses outside them).
      let limits = ranges.indices.map { j in
        (Double(sign: .plus, exponent: exponents[j], significand: ranges[j].lowerBound).rounded(),
          Double(sign: .plus, exponent: exponents[j], significand: ranges[j].upperBound).rounded())
      }
      records = try transformLines(reader, path: input, format: format, to: out, verb: "decrypt") { (line) throws(BFVBatchLine.LineError) in
        try line.check(.records, moduli: k, values: ranges.count, capacity: capacity, binding: binding)
        let columns = try decryptor.decrypt(line)
        for j in columns.indices {
          if let r = columns[j].firstIndex(where: { !(limits[j].0...limits[j].1).contains(Double($0)) }) {
            throw BFVBatchLine.LineError(
              "record \(r + 1), column '\(names[j])' decrypts to a value outside the declared range "
                + "\(ranges[j].lowerBound)...\(ranges[j].upperBound): it was not encrypted under this header and key "
                + "(a line from another file?)")
          }
        }
        return (0..<line.count).map { r in
          columns.indices.map { j in
            "\(Double(sign: .plus, exponent: -exponents[j], significand: Double(columns[j][r])))"
          }.joined(separator: ",")
        }.joined(separator: "\n")
      }
    }
    try out.finish()
    return records
  }
}

extension BFVCommands {
  /// `hekit keygen --scheme bfv` defaults: see README ("BFV from the command line").
  static let defaultModuli = 3
  static let defaultModulusBits4096 = 24
}
