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
    guard let job = keyInput.scheme == .bfv
      ? try BFVCommands.decryption(key: keyInput, input: ciphertext) : try paillierDecryption(keyInput)
    else {
      summary("paillier", records: 1, since: started)  // one pheutil ciphertext, written
      return
    }
    let out = try Output(path: output, access: .owner, force: replacing.force, inputs: [key, ciphertext])
    let progress = ProgressLine("decrypt", input: job.reader)
    let records = try job.decryptor.decryptFile(
      lines: job.reader.next, file: ciphertext, to: out.writerHoldingHeader(), progress: { progress.advance(by: $0) })
    progress.finish()
    try out.finish()
    summary(job.scheme, records: records, since: started)
  }

  /// The Paillier decryption job of a batch file; nil when the file was one
  /// ciphertext, decrypted and written here.
  private func paillierDecryption(_ keyInput: KeyInput) throws -> DecryptionJob? {
    let privateKey = try PaillierFiles.privateKey(from: keyInput)
    let publicKey = privateKey.publicKey
    let reader = try LineReader(path: ciphertext)
    guard let header = try reader.firstNonBlank() else { throw CLIError("\(ciphertext) is empty") }
    if BFVFileHeader.isBFV(header) {
      throw FormatError.wrongKind(file: ciphertext, found: "a BFV file", needed: "a Paillier ciphertext or batch file (the key \(key) is a Paillier key)")
    }
    guard Paillier.Batch.isHeader(header) else {
      let out = try Output(path: output, access: .owner, force: replacing.force, inputs: [key, ciphertext])
      guard let text = try reader.document(startingWith: header, separator: "") else {
        throw CLIError("\(ciphertext) is larger than any Paillier ciphertext (\(LineReader.maximumDocumentBytes >> 20) MiB read)")
      }
      let c = try PaillierFiles.naming(ciphertext) { () throws(PaillierError) in
        try Paillier.Ciphertext(json: Data(text.utf8), publicKey: publicKey)
      }
      let plain = try PaillierFiles.naming(ciphertext) { () throws(PaillierError) in try privateKey.decryptEncoded(c) }
      try out.write(plain.decimalString() + "\n")
      try out.finish()
      return nil
    }
    let batchHeader = try PaillierBatchFile.header(header, file: ciphertext, publicKey: publicKey, keyFile: key)
    warnIfVersion1(ciphertext, batchHeader)
    return DecryptionJob(
      reader: reader, decryptor: PaillierBatchDecryptor(privateKey: privateKey, header: batchHeader), scheme: "paillier")
  }

  private func summary(_ scheme: String, records: Int, since started: ContinuousClock.Instant) {
    CommandSummary("decrypt", [
      ("scheme", .string(scheme)), ("input", .string(ciphertext)), ("output", output.map(ReportValue.string)),
      ("records", .int(records)), ("seconds", .double(seconds(since: started))),
    ]).emit(json: json)
  }
}
