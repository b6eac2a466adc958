import ArgumentParser
import Foundation
import HEKit

/// `hekit encrypt`: one value to a pheutil ciphertext, or a CSV file to a
/// batch file (one record per row), streaming.
struct Encrypt: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Encrypt a number, or every field of a CSV file, with a public key.",
    discussion: """
      A single VALUE gives pheutil's {"v": ..., "e": ...} layout: integers \
      are encoded exactly (exponent 0), other numbers with python-paillier's \
      float encoding lowered to exponent -32. With --input, each CSV row \
      becomes one line of a batch file (a header line naming the key, then \
      one JSON array of ciphertexts per row), processed in chunks over all \
      cores in constant memory. Put "--" before a negative VALUE. With a BFV \
      key (NAME.pub: public-key encryption; NAME.key: seeded secret-key \
      encryption, half the size), --input is required: every column is \
      quantised at an exponent picked from its declared range (--ranges-from, \
      else the input's own minimum and maximum) and the records go N to a \
      line, one ciphertext per column and plaintext modulus; the header \
      (public) names the columns, exponents and ranges.
      """
  )

  @Option(help: "The public key file (or a private key file).")
  var key: String

  @Argument(help: "The number to encrypt.")
  var value: String?

  @Option(help: "A CSV file of numbers to encrypt (- for stdin).")
  var input: String?

  @OptionGroup var destination: SummaryOutputOptions
  var output: String? { destination.output }
  var json: Bool { destination.json }

  @Option(help: "Paillier's obfuscator: djn (fast) or standard (r^n).")
  var mode: Paillier.EncryptionMode = .djn

  @Flag(
    name: [.customLong("header"), .customLong("skip-header")],
    help: "With --input: the first CSV line names the columns (kept in the batch file's header).")
  var skipHeader = false

  @Option(help: "With --input: the columns to encrypt, comma-separated, by header name (implies a header line).")
  var columns: String?

  @Option(help: "With --input: columns not to encrypt, comma-separated (implies a header line).")
  var exclude: String?

  @Flag(help: "Paillier, with --input and a header: also encrypt each value's square exactly (the square of its encoding) as a column NAME^2, for hekit analyze --stat variance.")
  var withSquares = false

  @Option(help: "BFV: take the declared column ranges from this CSV (same columns) instead of the input.")
  var rangesFrom: String?

  @Option(help: "BFV: widen each declared range by this fraction of its width on both sides.")
  var margin = 0.0

  @Option(help: "BFV: bits of each fixed-point value, 8 to 52 (the relative rounding is 2^-bits).")
  var precisionBits = 30


  @OptionGroup var replacing: ForceOption

  func validate() throws {
    guard margin >= 0, margin <= 1e6 else { throw ValidationError("--margin must be a number from 0 to 1e6") }
    guard (8...52).contains(precisionBits) else { throw ValidationError("--precision-bits must be 8 to 52, got \(precisionBits)") }
    guard (value == nil) != (input == nil) else { throw ValidationError("give either VALUE or --input CSV") }
    if (columns != nil || exclude != nil) && input == nil { throw ValidationError("--columns and --exclude go with --input") }
    if columns != nil && exclude != nil { throw ValidationError("give --columns or --exclude, not both") }
    if withSquares && !(skipHeader || columns != nil || exclude != nil) { throw ValidationError("--with-squares needs a header line (--header, --columns or --exclude)") }
  }

  func run() throws {
    let started = ContinuousClock.now
    let keyInput = try KeyInput(path: key)
    if keyInput.scheme == .bfv {
      guard let input, value == nil else { throw ValidationError("a BFV key encrypts CSV records: give --input CSV") }
      let records = try BFVCommands.encrypt(.init(
        key: key, input: input, output: output, force: replacing.force, hasHeader: skipHeader || columns != nil || exclude != nil,
        columns: columns.map(Self.names), exclude: exclude.map(Self.names), rangesFrom: rangesFrom, margin: margin,
        precisionBits: precisionBits), key: keyInput)
      summary("bfv", records: records, since: started)
      return
    }
    let publicKey = try PaillierFiles.publicKey(from: keyInput)
    let out = try Output(path: output, force: replacing.force, inputs: [key, input].compactMap { $0 })
    var records = 1
    if let value {
      let encoded = try PaillierFiles.encode(value, publicKey: publicKey)
      try out.write(publicKey.encrypt(encoded, mode: mode).normalizedJSONString() + "\n")
    } else if let input {
      records = try encryptCSV(input, publicKey: publicKey, mode: mode, to: out)
    }
    try out.finish()
    summary("paillier", records: records, since: started)
  }

  private func summary(_ scheme: String, records: Int, since started: ContinuousClock.Instant) {
    CommandSummary("encrypt", [
      ("scheme", .string(scheme)), ("input", input.map(ReportValue.string)), ("output", output.map(ReportValue.string)),
      ("records", .int(records)), ("seconds", .double(seconds(since: started))),
      ("bytes", output.flatMap(fileSize).map(ReportValue.int)),
    ]).emit(json: json)
  }
}

extension Encrypt {
  private static func names(_ list: String) -> [String] {
    list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  /// Encrypts every selected cell of a CSV file, row by row,
  /// ``PaillierBatchFile/chunkSize`` rows at a time over all cores; a header
  /// line's names go into the batch header.
  private func encryptCSV(
    _ input: String, publicKey: Paillier.PublicKey, mode: Paillier.EncryptionMode, to out: Output
  ) throws -> Int {
    let csv = try CSVInput(path: input)
    var selection = RowSelection(
      hasHeader: skipHeader, columns: columns.map(Self.names), excluding: exclude.map(Self.names))
    if selection.awaitsHeader {
      guard let (record, line) = try csv.next(1).first else {
        throw TabularError.emptyInput(what: "\(input) has no header line")
      }
      _ = try selection.cells(of: record, line: line)
    }
    let encryptor = PaillierRecordEncryptor(
      publicKey: publicKey, columns: selection.names, withSquares: withSquares, mode: mode)
    let progress = ProgressLine("encrypt", input: csv)
    do {
      let records = try encryptor.encryptFile(
        rows: {
          try csv.next(PaillierBatchFile.chunkSize).map { (record, line) in
            (line, try selection.cells(of: record, line: line) ?? [])  // the header is read above
          }
        }, to: out.write, progress: { progress.advance(by: $0) })
      progress.finish()
      return records
    } catch TabularError.emptyInput {
      // A batch file of no records is refused like any empty input (the output is not committed).
      throw TabularError.emptyInput(what: "\(input) has no data rows")
    }
  }
}
