import ArgumentParser
import BigNum
import Foundation
import HEKit

/// `hekit analyze`: the aggregator's side (encrypted column statistics of
/// Paillier batch files, optionally noised for differential privacy) and,
/// with `--decrypt`, the key holder's (the statistics as CSV).
struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Count, sum, mean and variance of encrypted columns, with optional differential privacy.",
    discussion: """
      The aggregator runs it on batch files from `hekit encrypt --input` (one \
      --input per party, all under one public key, with the same columns) and \
      needs only the public key: it adds the ciphertexts column by column, \
      streaming, and writes an encrypted result (a batch file: a count row, a \
      sum row and, for variances, a sum-of-squares row, each re-randomised). \
      Variances need the records encrypted with `hekit encrypt --with-squares`. \
      The key holder runs `hekit analyze --decrypt --key KEY.key.json --input \
      result.enc` to print the statistics as CSV (variance and std are the \
      sample ones, over n - 1); `hekit decrypt` prints the raw totals.

      Differential privacy (--dp-epsilon, --sensitivity, and --dp-delta for \
      Gaussian noise): the aggregator draws discrete Laplace (or discrete \
      Gaussian) noise from the OS CSPRNG and adds it to the encrypted count, \
      sums and sums of squares before anything leaves it, so the key holder \
      only ever decrypts noised totals. The release as a whole is epsilon-DP \
      (or (epsilon, delta)-DP) for adding or removing one record, the budget \
      split evenly over the noised totals, provided every aggregated value \
      lies in [-S, S] for S = --sensitivity: S bounds a column sum's \
      sensitivity, S^2 a sum of squares', 1 the count's. hekit encrypt does \
      not clip values, so whoever encrypts must ensure that bound. Noised \
      sums are released at exponent -32 (squares -64), whatever the inputs'.
      """
  )

  @Option(help: "The public key file (with --decrypt: the private key file).")
  var key: String

  @Option(help: "An encrypted batch file (- for stdin); repeat for several parties under one key. With --decrypt: the result file.")
  var input: [String] = []

  @Option(help: "Statistics, comma-separated: count, sum, mean, variance, std, all.")
  var stat = "count,sum,mean"

  @Option(help: "The columns to aggregate, comma-separated (default: every value column).")
  var columns: String?

  @Option(help: "Differential privacy: the budget epsilon of the whole release.")
  var dpEpsilon: Double?

  @Option(help: "Differential privacy: delta, for discrete Gaussian noise (default: discrete Laplace, pure epsilon-DP).")
  var dpDelta: Double?

  @Option(help: "Differential privacy: the largest |value| any record holds in the aggregated columns.")
  var sensitivity: Double?

  @Flag(help: "Decrypt a result file with the private key and print the statistics as CSV.")
  var decrypt = false

  @OptionGroup var destination: OutputOption
  var output: String? { destination.output }

  @Flag(help: "Print JSON: with --decrypt the statistics as one object (instead of CSV), else a summary of the aggregation on standard output (needs --output).")
  var json = false

  @OptionGroup var replacing: ForceOption

  func validate() throws {
    guard !input.isEmpty else { throw ValidationError("give at least one --input batch file") }
    if decrypt {
      guard input.count == 1 else { throw ValidationError("--decrypt reads one result file") }
      guard dpEpsilon == nil, dpDelta == nil, sensitivity == nil, columns == nil else {
        throw ValidationError("--decrypt takes only --key, --input, --output and --json")
      }
      return
    }
    try CommandSummary.checkOutput(json: json, output: output)
    guard input.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("stdin (-) can be read only once") }
    if dpEpsilon != nil || dpDelta != nil || sensitivity != nil {
      guard let dpEpsilon, dpEpsilon > 0, dpEpsilon.isFinite else {
        throw ValidationError("differential privacy needs --dp-epsilon, a positive number")
      }
      guard let sensitivity, sensitivity > 0, sensitivity.isFinite else {
        throw ValidationError("differential privacy needs --sensitivity, the largest |value| of a record (positive)")
      }
      if let dpDelta, !(dpDelta > 0 && dpDelta < 1) { throw ValidationError("--dp-delta must lie strictly between 0 and 1") }
    }
    _ = try Self.statistics(stat)
  }

  /// The statistics of a --stat list; `all` means every one the CLI gives.
  static func statistics(_ list: String) throws -> Analytics.Statistics {
    let words = list.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    if words.contains("histogram") {
      throw ValidationError("histograms need bins declared by the client: use the Swift API (Analytics.Schema)")
    }
    do {
      return try Analytics.Statistics(parsing: list).subtracting(.histogram)
    } catch {
      throw ValidationError(error.localizedDescription)
    }
  }

  func run() throws {
    if decrypt {
      try AnalyzeResult.print(resultAt: input[0], key: key, output: output, force: replacing.force, json: json)
    } else {
      try aggregate()
    }
  }

  /// Sums the inputs' columns and writes the (noised) encrypted totals.
  private func aggregate() throws {
    let started = ContinuousClock.now
    let publicKey = try PaillierFiles.publicKey(at: key, refusingPrivate: true)
    if let columns, Self.columnList(columns).isEmpty { throw ValidationError("--columns names no column") }
    var aggregator = try Analytics.PaillierFileAggregator(
      publicKey: publicKey, keyFile: key, statistics: stat, columns: columns.map(Self.columnList))
    let out = try Output(path: output, force: replacing.force, inputs: [key] + input)  // refuse an existing file before any work
    for path in input {
      let reader = try LineReader(path: path)
      guard let headerLine = try reader.firstNonBlank() else { throw CLIError("\(path) is empty") }
      let header = try aggregator.header(headerLine, file: path)
      warnIfVersion1(path, header)
      let progress = ProgressLine("analyze", input: reader)
      defer { progress.finish() }
      try aggregator.add(file: path, header: header, lines: reader.next) { progress.advance(by: $0) }
    }
    let mechanism = dpEpsilon.map { epsilon -> DifferentialPrivacy.Mechanism in
      dpDelta.map { .gaussian(epsilon: epsilon, delta: $0) } ?? .laplace(epsilon: epsilon)
    }
    let release = try aggregator.release(privacy: mechanism, bound: sensitivity)
    if let statement = release.privacy, !json { FileHandle.standardError.write(Data("hekit analyze: \(statement)\n".utf8)) }
    try release.write(to: out.write)
    try out.finish()
    CommandSummary("analyze", [
      ("scheme", .string("paillier")), ("inputs", .strings(input)), ("output", output.map(ReportValue.string)),
      ("records", .int(release.records)), ("columns", .strings(release.columns)),
      ("rows", .strings(release.rows.map(\.rawValue))), ("privacy", release.privacyNote.map(ReportValue.string)),
      ("seconds", .double(seconds(since: started))),
    ]).emit(json: json)
  }

  /// The names of a --columns list.
  static func columnList(_ list: String) -> [String] {
    list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }
}

/// The key holder's side: a result file to CSV, one row per statistic.
enum AnalyzeResult {
  static func print(resultAt path: String, key: String, output: String?, force: Bool, json: Bool) throws {
    let privateKey = try PaillierFiles.privateKey(at: key)
    let out = try Output(path: output, access: .owner, force: force, inputs: [key, path])
    let reader = try LineReader(path: path)
    guard let headerLine = try reader.firstNonBlank() else { throw CLIError("\(path) is not a result file of hekit analyze") }
    let file = try Analytics.PaillierResultFile(headerLine: headerLine, file: path, privateKey: privateKey, keyFile: key)
    _ = try Analyze.statistics(file.statistics)
    warnIfVersion1(path, file.header)
    let table = try file.decrypt(lines: reader.next)
    let released = table.rows.map { name, values in
      (name, values.map { value -> ReportValue in
        switch value {
        case .integer(let n): n.intValue.map(ReportValue.int) ?? .string(n.description)
        case .number(let x): .double(x)
        case .missing: .null
        }
      })
    }
    if json {
      let object = ReportValue.object([
        ("command", .string("analyze")), ("columns", .strings(table.columns)),
        ("statistics", .object(released.map { ($0.0, .array($0.1)) })),
        ("privacy", table.privacy.map(ReportValue.string) ?? .null),
      ])
      try out.write(object.json + "\n")
    } else {
      let lines = ["statistic," + table.columns.map(CSVParser.field).joined(separator: ",")]
        + released.map { name, values in name + "," + values.map(\.text).joined(separator: ",") }
      try out.write(lines.joined(separator: "\n") + "\n")
    }
    try out.finish()
    if let privacy = table.privacy, !json {
      FileHandle.standardError.write(Data("note: noised for differential privacy: \(privacy)\n".utf8))
    }
  }
}
