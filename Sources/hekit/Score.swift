import ArgumentParser
import Foundation
import HEKit

/// `hekit score`: the server side. Encrypted records in, encrypted scores
/// out, with the plaintext model and public material only.
struct Score: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Score encrypted records with a plaintext model (no secret key involved).",
    discussion: """
      Reads a batch file from `hekit encrypt --input` and a model from `hekit train` \
      (or scikit-learn), and writes one encrypted score per record: the model's \
      linear part (a logit for logistic models), which `hekit decrypt` turns into \
      logit, probability and label. Each score is re-randomised with the public key \
      so it reveals nothing about the model beyond its value. Refuses private key \
      files: the server never needs one. With a BFV key (NAME.pub) the records \
      are scored a batch at a time: the model is quantised for the exponents \
      the records header declares (refused when its scores could exceed the \
      plaintext moduli or its error bound would exceed --target-error), \
      and every result is noise-flooded before it is written.
      """
  )

  @Option(help: "The model JSON.")
  var model: String

  @Option(help: "The public key file the records were encrypted under.")
  var key: String

  @Option(help: "The encrypted records (- for stdin).")
  var input: String

  @OptionGroup var destination: SummaryOutputOptions
  var output: String? { destination.output }
  var json: Bool { destination.json }

  @Option(help: """
    BFV: the largest acceptable bound on the error of the fixed-point scores (default: 1e-6 for a logistic model's \
    logits; for a linear model, 1e-6 of its largest score over the declared ranges).
    """)
  var targetError: Double?

  @Option(help: """
    BFV: what the key holder learns per record: logit (decrypt prints logit, probability and label) or \
    label (the label only: the score is blinded, r·(S − S_thr) + r′; needs keys of N = 8192 with room \
    for the blinding, e.g. hekit keygen --scheme bfv --moduli 4).
    """)
  var reveal: BFVScoringServer.Reveal = .logit


  @OptionGroup var replacing: ForceOption

  func validate() throws {
    if let targetError, !(targetError > 0 && targetError.isFinite) {
      throw ValidationError("--target-error must be a positive number")
    }
  }

  func run() throws {
    let started = ContinuousClock.now
    let keyInput = try KeyInput(path: key)
    let job = keyInput.scheme == .bfv
      ? try BFVCommands.scoring(model: model, key: keyInput, input: input, targetError: targetError, reveal: reveal)
      : try paillierScoring(keyInput)
    let out = try Output(path: output, force: replacing.force, inputs: [model, key, input])
    let progress = ProgressLine("score", input: job.reader)
    let records = try job.server.scoreFile(
      lines: job.reader.next, file: input, to: out.writerHoldingHeader(), progress: { progress.advance(by: $0) })
    progress.finish()
    try out.finish()
    summary(job.scheme, records: records, since: started, errorBound: job.errorBound, quantity: job.quantity)
  }

  /// The Paillier scoring job: the records file opened, its header and the key checked, the server built.
  private func paillierScoring(_ keyInput: KeyInput) throws -> ScoringJob {
    guard reveal == .logit else {
      throw CLIError("--reveal label needs a BFV key: Paillier scores are always the logit")
    }
    let model = try readModel(self.model)
    let publicKey = try PaillierFiles.publicKey(from: keyInput, refusingPrivate: true)
    let reader = try LineReader(path: input)
    guard let headerLine = try reader.firstNonBlank() else { throw CLIError("\(input) is empty") }
    if BFVFileHeader.isBFV(headerLine) {
      throw FormatError.wrongKind(file: input, found: "a BFV batch file", needed: "a Paillier batch file (the key \(key) is a Paillier key)")
    }
    guard Paillier.Batch.isHeader(headerLine) else {
      throw CLIError("\(input) is not a batch file of encrypted records (hekit encrypt --input)")
    }
    let header = try PaillierBatchFile.header(headerLine, file: input, publicKey: publicKey, keyFile: key)
    warnIfVersion1(input, header)
    let server: PaillierScoringServer
    do {
      server = try PaillierScoringServer(model: model, publicKey: publicKey, records: header)
    } catch {
      throw CLIError("\(input) and the model \(self.model): \(error.localizedDescription)")
    }
    if header.columns == nil { BFVCommands.warnByPosition(input: input, modelPath: self.model, model: model) }
    return ScoringJob(reader: reader, server: server, scheme: "paillier", errorBound: nil, quantity: "logit")
  }

  private func summary(
    _ scheme: String, records: Int, since started: ContinuousClock.Instant, errorBound: Double?, quantity: String
  ) {
    CommandSummary("score", [
      ("scheme", .string(scheme)), ("model", .string(model)), ("input", .string(input)),
      ("output", output.map(ReportValue.string)), ("records", .int(records)),
      ("seconds", .double(seconds(since: started))), ("\(quantity)-error-bound", errorBound.map(ReportValue.double)),
      ("bytes", output.flatMap(fileSize).map(ReportValue.int)),
    ]).emit(json: json)
  }
}
