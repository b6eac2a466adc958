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

  @OptionGroup var destination: SummaryOutputOptions
  var output: String? { destination.output }
  var json: Bool { destination.json }


  @OptionGroup var replacing: ForceOption

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
      try out.write(plain.decimalString() + "\n")
      try out.finish()
      summary("paillier", records: 1, since: started)
      return
    }
    let batchHeader = try PaillierBatchFile.header(header, file: ciphertext, publicKey: publicKey, keyFile: key)
    warnIfVersion1(ciphertext, batchHeader)
    let progress = ProgressLine("decrypt", input: reader)
    let decryptor = PaillierBatchDecryptor(privateKey: privateKey, header: batchHeader)
    let records = try decryptor.decryptFile(
      lines: reader.next, file: ciphertext, to: out.writerHoldingHeader(), progress: { progress.advance(by: $0) })
    progress.finish()
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
