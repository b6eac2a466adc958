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

  /// The released rows of a result file, in order.
  enum Row: String { case count, sum, squares = "sum-of-squares" }

  /// Sums the inputs' columns and writes the (noised) encrypted totals.
  private func aggregate() throws {
    let started = ContinuousClock.now
    let publicKey = try PaillierFiles.publicKey(at: key, refusingPrivate: true)
    let statistics = try Self.statistics(stat)
    let out = try Output(path: output, force: replacing.force, inputs: [key] + input)  // refuse an existing file before any work
    var names: [String]?
    var sums: Analytics.PaillierColumnSums?
    var wanted: [Int] = []  // columns of the input records to add up: the values, then their squares
    var selected: [String] = []
    for path in input {
      let reader = try LineReader(path: path)
      guard let headerLine = try reader.firstNonBlank() else { throw CLIError("\(path) is empty") }
      guard Paillier.Batch.isHeader(headerLine) else { throw CLIError("\(path) is not a batch file of encrypted records (hekit encrypt --input)") }
      let header = try PaillierBatchFile.header(headerLine, file: path, publicKey: publicKey, keyFile: key)
      warnIfVersion1(path, header)
      guard header.annotations["analysis"] == nil, header.annotations["model-kind"] == nil else {
        throw CLIError("\(path) holds results, not records")
      }
      guard let columns = header.columns else {
        throw CLIError("\(path) names no columns: encrypt with a header line (hekit encrypt --header)")
      }
      if let names {
        guard names == columns else { throw CLIError("\(path) has other columns than \(input[0])") }
      } else {
        names = columns
        (selected, wanted) = try select(columns, statistics)
        sums = Analytics.PaillierColumnSums(publicKey: publicKey, width: wanted.count)
      }
      try add(from: reader, path: path, header: header, width: columns.count, columns: wanted, publicKey: publicKey, into: &sums)
    }
    guard let totals = sums, totals.count > 0 else { throw CLIError("no records to aggregate") }
    let rows: [Row] = [statistics.releasesCount ? .count : nil, statistics.releasesSums ? .sum : nil,
      statistics.contains(.variance) ? .squares : nil].compactMap { $0 }
    let k = selected.count
    var count = BigInteger(totals.count)
    var values = try (0..<(rows.contains(.squares) ? 2 * k : rows.contains(.sum) ? k : 0)).map { j in
      guard let total = try totals.total(j) else { throw CLIError("no records to aggregate") }
      return total
    }
    var annotations = ["analysis": "hekit-analyze", "rows": rows.map(\.rawValue).joined(separator: ","), "statistics": stat]
    if let epsilon = dpEpsilon, let s = sensitivity {
      let mechanism: DifferentialPrivacy.Mechanism = dpDelta.map { .gaussian(epsilon: epsilon, delta: $0) } ?? .laplace(epsilon: epsilon)
      let sensitivities = noiseSensitivities(rows, k, s)
      let noise = try DifferentialPrivacy.calibrate(mechanism, sensitivities: sensitivities)
      (count, values) = try addNoise(noise, hasCount: rows.contains(.count), count: count, values: values, k: k)
      let statement = DifferentialPrivacy.Statement(
        mechanism: mechanism, names: noiseNames(rows, selected), sensitivities: sensitivities, noise: noise,
        unitExponents: noiseUnits(rows, k))
      annotations["privacy"] = statement.description.replacingOccurrences(of: "\n  ", with: " | ")
      if !json { FileHandle.standardError.write(Data("hekit analyze: \(statement)\n".utf8)) }
    }
    try out.write(Paillier.Batch.header(for: publicKey, .init(columns: selected, annotations: annotations)) + "\n")
    if rows.contains(.count) {
      let encrypted = try publicKey.encrypt(count)
      try out.write(Paillier.Batch.record(Array(repeating: encrypted, count: k)) + "\n")
    }
    let fresh = try PaillierFiles.parallelMap(values) { try $0.rerandomized() }
    if rows.contains(.sum) { try out.write(Paillier.Batch.record(Array(fresh.prefix(k))) + "\n") }
    if rows.contains(.squares) { try out.write(Paillier.Batch.record(Array(fresh.dropFirst(k))) + "\n") }
    try out.write(Paillier.Batch.Trailer(records: rows.count, lines: rows.count).line + "\n")
    try out.finish()
    CommandSummary("analyze", [
      ("scheme", .string("paillier")), ("inputs", .strings(input)), ("output", output.map(ReportValue.string)),
      ("records", .int(totals.count)), ("columns", .strings(selected)), ("rows", .strings(rows.map(\.rawValue))),
      ("privacy", annotations["privacy"].map(ReportValue.string)), ("seconds", .double(seconds(since: started))),
    ]).emit(json: json)
  }

  /// The selected value columns and the record indices to sum: the values,
  /// then (for variances) their squares, named NAME^2 by `hekit encrypt --with-squares`.
  private func select(_ header: [String], _ statistics: Analytics.Statistics) throws -> ([String], [Int]) {
    let values = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      ?? header.filter { !($0.hasSuffix("^2") && header.contains(String($0.dropLast(2)))) }
    guard !values.isEmpty else { throw ValidationError("--columns names no column") }
    var indices = try values.map { name in
      guard let index = header.firstIndex(of: name) else { throw TabularError.unknownColumn(name, available: header) }
      return index
    }
    if statistics.contains(.variance) {
      indices += try values.map { name in
        guard let index = header.firstIndex(of: name + "^2") else {
          throw CLIError("a variance of '\(name)' needs its squares: encrypt with hekit encrypt --with-squares")
        }
        return index
      }
    }
    return (values, indices)
  }

  /// Adds a file's records, 64 lines at a time (parsed over all cores).
  private func add(
    from reader: LineReader, path: String, header: Paillier.Batch.Header, width: Int, columns: [Int],
    publicKey: Paillier.PublicKey, into sums: inout Analytics.PaillierColumnSums?
  ) throws {
    let progress = ProgressLine("analyze", input: reader)
    defer { progress.finish() }
    try PaillierBatchFile.forEachRecordChunk(
      lines: reader.next, file: path, header: header, publicKey: publicKey, progress: { progress.advance(by: $0) }
    ) { record in
      guard record.count == width else { throw CLIError("\(record.count) values where the header names \(width)") }
      return columns.map { record[$0] }
    } consume: { records in
      try sums?.add(records)
    }
  }

  // MARK: Differential privacy

  /// Sums are released at exponent −32, squares at −64 (fixed, so the
  /// exponents say nothing about the data).
  static let sumExponent = -32

  private func noiseNames(_ rows: [Row], _ selected: [String]) -> [String] {
    (rows.contains(.count) ? ["count"] : []) + (rows.contains(.sum) ? selected.map { "sum(\($0))" } : [])
      + (rows.contains(.squares) ? selected.map { "sum(\($0)^2)" } : [])
  }

  /// Sensitivities in units of 16^−32 (sums) and 16^−64 (squares), rounded up.
  private func noiseSensitivities(_ rows: [Row], _ k: Int, _ s: Double) -> [DifferentialPrivacy.Sensitivity] {
    let (n, d) = rational(s)
    let sum = ceilDivide(n << 128, d)
    let square = ceilDivide(n.squared() << 256, d.squared())
    return (rows.contains(.count) ? [.init(1)] : []) + (rows.contains(.sum) ? Array(repeating: .init(sum), count: k) : [])
      + (rows.contains(.squares) ? Array(repeating: .init(square), count: k) : [])
  }

  private func noiseUnits(_ rows: [Row], _ k: Int) -> [Int] {
    (rows.contains(.count) ? [0] : []) + (rows.contains(.sum) ? Array(repeating: -128, count: k) : [])
      + (rows.contains(.squares) ? Array(repeating: -256, count: k) : [])
  }

  /// The count and totals with noise added (totals first lowered to the
  /// fixed exponents); `noise` holds one distribution per share, in row order.
  private func addNoise(
    _ noise: [DifferentialPrivacy.Noise], hasCount: Bool, count: BigInteger, values: [Paillier.Ciphertext], k: Int
  ) throws -> (BigInteger, [Paillier.Ciphertext]) {
    let first = hasCount ? 1 : 0
    let noised = try values.enumerated().map { j, total -> Paillier.Ciphertext in
      let exponent = j < k ? Self.sumExponent : 2 * Self.sumExponent
      guard total.exponent >= exponent else {
        throw CLIError("a value was encrypted with more precision than 16^\(exponent): differential privacy needs values at exponent \(exponent) or above")
      }
      let lowered = try total.decreasingExponent(to: exponent)
      let sample = noise[first + j].sample()
      return try lowered + Paillier.EncodedNumber(mantissa: sample, exponent: exponent, publicKey: total.publicKey)
    }
    return (hasCount ? count + noise[0].sample() : count, noised)
  }

  private func rational(_ x: Double) -> (BigInteger, BigInteger) {
    var m = x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)
    var e = (x.isNormal ? Int(x.exponent) : Int(Double.leastNormalMagnitude.exponent)) - 52
    let zeros = m.trailingZeroBitCount
    m >>= UInt64(zeros)
    e += zeros
    return e >= 0 ? (BigInteger(m) << e, 1) : (BigInteger(m), BigInteger(1) << -e)
  }

  private func ceilDivide(_ a: BigInteger, _ b: BigInteger) -> BigInteger { (try? (a + b - 1) / b) ?? a }
}

/// The key holder's side: a result file to CSV, one row per statistic.
enum AnalyzeResult {
  static func print(resultAt path: String, key: String, output: String?, force: Bool, json: Bool) throws {
    let privateKey = try PaillierFiles.privateKey(at: key)
    let out = try Output(path: output, access: .owner, force: force, inputs: [key, path])
    let reader = try LineReader(path: path)
    guard let headerLine = try reader.firstNonBlank(), Paillier.Batch.isHeader(headerLine) else {
      throw CLIError("\(path) is not a result file of hekit analyze")
    }
    let header = try PaillierBatchFile.header(headerLine, file: path, publicKey: privateKey.publicKey, keyFile: key)
    guard header.annotations["analysis"] == "hekit-analyze", let columns = header.columns,
      let rowNames = header.annotations["rows"]?.split(separator: ",").map(String.init)
    else { throw CLIError("\(path) is not a result file of hekit analyze") }
    let statistics = try Analyze.statistics(header.annotations["statistics"] ?? "all")
    var totals: [String: [(BigInteger, Int)]] = [:]
    var end = BatchTrailerCheck(paillier: path, header: header)
    var number = 1
    for name in rowNames {
      var next = try reader.next()
      number += 1
      while let line = next, line.isBlank {
        next = try reader.next()
        number += 1
      }
      guard let line = next, !(try end.isTrailer(line, number: number)) else {
        throw CLIError("\(path) is truncated: the \(name) row is missing")
      }
      end.count(records: 1)
      let record = try Paillier.Batch.parseRecord(line, publicKey: privateKey.publicKey)
      guard record.count == columns.count else { throw CLIError("\(path): the \(name) row holds \(record.count) values for \(columns.count) columns") }
      totals[name] = try PaillierFiles.parallelMap(record) { c -> (BigInteger, Int) in
        let encoded = try privateKey.decryptEncoded(c)
        return (try encoded.mantissa(), 4 * encoded.exponent)
      }
    }
    while let line = try reader.next() {
      number += 1
      if line.isBlank { continue }
      guard try end.isTrailer(line, number: number) else {
        throw CLIError("\(path), line \(number): more rows than the header's \(rowNames.count)")
      }
    }
    try end.finish()
    let words = header.annotations["statistics"]?.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
    var released: [(String, [ReportValue])] = []
    func row(_ name: String, _ value: (Int) -> ReportValue) { released.append((name, columns.indices.map(value))) }
    let moments = columns.indices.map { j -> (mean: Double?, variance: Double?, sampleVariance: Double?) in
      guard let n = totals["count"]?[j].0, let sum = totals["sum"]?[j] else { return (nil, nil, nil) }
      let squares = totals["sum-of-squares"]?[j]
      return Analytics.Result.moments(count: n, sum: sum.0, sumExponent: sum.1, squares: squares?.0, squaresExponent: squares?.1 ?? 0)
    }
    func text(_ x: Double?) -> ReportValue { x.map(ReportValue.double) ?? .null }
    if statistics.contains(.count), let counts = totals["count"] {
      row("count") { j in counts[j].0.intValue.map(ReportValue.int) ?? .string(counts[j].0.description) }
    }
    if statistics.contains(.sum), let sums = totals["sum"] {
      // A sum is the mean of one record with that value: m·2^e rounded once.
      row("sum") { j in text(Analytics.Result.moments(count: 1, sum: sums[j].0, sumExponent: sums[j].1, squares: nil, squaresExponent: 0).mean) }
    }
    if statistics.contains(.mean) { row("mean") { text(moments[$0].mean) } }
    if words.contains("variance") || words.contains("var") || words.contains("all") { row("variance") { text(moments[$0].sampleVariance) } }
    if words.contains("std") || words.contains("all") { row("std") { text(moments[$0].sampleVariance?.squareRoot()) } }
    if json {
      let object = ReportValue.object([
        ("command", .string("analyze")), ("columns", .strings(columns)),
        ("statistics", .object(released.map { ($0.0, .array($0.1)) })),
        ("privacy", header.annotations["privacy"].map(ReportValue.string) ?? .null),
      ])
      try out.write(object.json + "\n")
    } else {
      let lines = ["statistic," + columns.map(CSVParser.field).joined(separator: ",")]
        + released.map { name, values in name + "," + values.map(\.text).joined(separator: ",") }
      try out.write(lines.joined(separator: "\n") + "\n")
    }
    try out.finish()
    if let privacy = header.annotations["privacy"], !json {
      FileHandle.standardError.write(Data("note: noised for differential privacy: \(privacy)\n".utf8))
    }
  }
}
