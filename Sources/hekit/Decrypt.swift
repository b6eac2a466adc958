import ArgumentParser
import Foundation
import HEKit

/// `hekit decrypt`: a pheutil ciphertext to its number, or a batch file to CSV.
struct Decrypt: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Decrypt a ciphertext file (single or batch) with a private key.",
    discussion: """
      A single ciphertext prints its value: an exact integer at exponent 0 \
      or above, else the nearest double. A batch file prints one CSV row per \
      record, processed in chunks over all cores. With a BFV secret key \
      (NAME.key), BFV scores print logit, probability and label (or the \
      score) per record, and BFV records print their fixed-point values.
      """
  )

  @Option(help: "The private key file (Paillier NAME.key.json or BFV NAME.key).")
  var key: String

  @Argument(help: "The ciphertext file (- for stdin).")
  var ciphertext: String

  @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
  var output: String?

  @Flag(help: "Print a JSON summary (records, seconds, files) on standard output; needs --output.")
  var json = false

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    try CommandSummary.checkOutput(json: json, output: output)
  }

  func run() throws {
    let started = ContinuousClock.now
    let keyInput = try KeyInput(path: key)
    if keyInput.scheme == .bfv {
      let records = try BFVCommands.decrypt(key: keyInput, input: ciphertext, output: output, force: replacing.force)
      summary("bfv", records: records, since: started)
      return
    }
    let privateKey = try PaillierFiles.privateKey(from: keyInput)
    let publicKey = privateKey.publicKey
    let out = try Output(path: output, access: .owner, force: replacing.force, inputs: [key, ciphertext])
    let reader = try LineReader(path: ciphertext)
    guard let header = try reader.firstNonBlank() else { throw CLIError("\(ciphertext) is empty") }
    if BFVFileHeader.isBFV(header) {
      throw FormatError.wrongKind(file: ciphertext, found: "a BFV file", needed: "a Paillier ciphertext or batch file (the key \(key) is a Paillier key)")
    }
    if !Paillier.Batch.isHeader(header) {
      guard let text = try reader.document(startingWith: header, separator: "") else {
        throw CLIError("\(ciphertext) is larger than any Paillier ciphertext (\(LineReader.maximumDocumentBytes >> 20) MiB read)")
      }
      let c = try PaillierFiles.naming(ciphertext) { () throws(PaillierError) in
        try Paillier.Ciphertext(json: Data(text.utf8), publicKey: publicKey)
      }
      let plain = try PaillierFiles.naming(ciphertext) { () throws(PaillierError) in try privateKey.decryptEncoded(c) }
      try out.write(PaillierFiles.format(plain) + "\n")
      try out.finish()
      summary("paillier", records: 1, since: started)
      return
    }
    let batchHeader = try PaillierFiles.validateHeader(header, file: ciphertext, publicKey: publicKey, keyFile: key)
    let scores = ScoreColumns(batchHeader)
    if let names = scores?.names ?? batchHeader.columns {
      out.writeHeader(names.map(csvField).joined(separator: ",") + "\n")
    }
    let records = try PaillierFiles.transformRecords(
      from: reader, path: ciphertext, header: batchHeader, to: out, publicKey: publicKey, verb: "decrypt"
    ) { cts in
      if let scores {
        guard cts.count == 1 else { throw CLIError("a score record holds \(cts.count) values, not 1") }
        return scores.row(for: try privateKey.decryptEncoded(cts[0]).doubleValue())
      }
      return try cts.map { try PaillierFiles.format(privateKey.decryptEncoded($0)) }.joined(separator: ",")
    }
    try out.finish()
    summary("paillier", records: records, since: started)
  }

  private func summary(_ scheme: String, records: Int, since started: ContinuousClock.Instant) {
    CommandSummary("decrypt", [
      ("scheme", .string(scheme)), ("input", .string(ciphertext)), ("output", output.map(ReportValue.string)),
      ("records", .int(records)), ("seconds", .double(seconds(since: started))),
    ]).emit(json: json)
  }
}

/// How `hekit decrypt` prints the scores `hekit score` wrote: logistic models
/// give logit, probability and label; linear ones the score.
struct ScoreColumns: Sendable {
  let kind: LinearModel.Kind
  let threshold: Double

  init(kind: LinearModel.Kind, threshold: Double) {
    self.kind = kind
    self.threshold = threshold
  }

  init?(_ header: Paillier.Batch.Header) {
    guard let kindName = header.annotations["model-kind"], let kind = LinearModel.Kind(rawValue: kindName) else {
      return nil
    }
    self.kind = kind
    threshold = header.annotations["model-threshold"].flatMap(Double.init) ?? 0.5
  }

  var names: [String] { kind == .logistic ? ["logit", "probability", "label"] : ["score"] }

  /// What one value is called: a logistic model's logit, a linear model's score.
  var what: String { kind == .logistic ? "logit" : "score" }

  func row(for value: Double) -> String {
    guard kind == .logistic else { return "\(value)" }
    let probability = LinearModel.sigmoid(value)
    return "\(value),\(probability),\(probability >= threshold ? 1 : 0)"
  }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
func csvField(_ text: String) -> String {
  guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
  return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
