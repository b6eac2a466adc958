import Foundation
import HEKit

#if canImport(Glibc)
  import Glibc
#endif

/// A monotonic clock in seconds.
enum BenchClock {
  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}

/// The timings of repeated calls: median, p90 and minimum, in seconds.
struct Timing {
  /// Every timed call, sorted.
  let samples: [Double]
  var median: Double { samples[samples.count / 2] }
  var p90: Double { samples[Swift.min(samples.count - 1, samples.count * 9 / 10)] }
  var min: Double { samples[0] }
  /// The 10th percentile: the cost of the work itself when other processes
  /// interrupt most calls (on a busy machine the median mostly measures the
  /// waits for a core).
  var p10: Double { samples[samples.count / 10] }

  init(_ samples: [Double]) {
    precondition(!samples.isEmpty, "a timing needs a sample")
    self.samples = samples.sorted()
  }

  /// Times `body` once after an untimed warm-up call (unless `warmUp` is
  /// false), then again until `seconds` have passed, at least `minimum` and
  /// at most `maximum` times. Setup belongs outside `body`.
  static func measure(
    seconds: Double, minimum: Int = 5, maximum: Int = 2_000, warmUp: Bool = true, _ body: () throws -> Void
  ) rethrows -> Timing {
    if warmUp { try body() }
    var samples: [Double] = []
    let deadline = BenchClock.now() + seconds
    while samples.count < minimum || (samples.count < maximum && BenchClock.now() < deadline) {
      let start = BenchClock.now()
      try body()
      samples.append(BenchClock.now() - start)
    }
    return Timing(samples)
  }

  /// One timed call (work that can only happen once, like building a table).
  static func once(_ body: () throws -> Void) rethrows -> Timing {
    let start = BenchClock.now()
    try body()
    return Timing([BenchClock.now() - start])
  }
}

/// The table `hekit bench` prints.
enum BenchTable {
  static let header = "   median       p90     rate  samples"

  static func print(_ row: QuickBench.Row) {
    let rate = row.perSecond.map { BenchTable.rate($0) } ?? (row.samples > 1 ? BenchTable.rate(1 / row.median) : "—")
    Swift.print(
      "  " + row.operation.padding(toLength: 48, withPad: " ", startingAt: 0)
        + pad(duration(row.median), 9) + pad(row.samples > 1 ? duration(row.p90) : "—", 10) + pad(rate, 9)
        + pad("\(row.samples)", 9))
  }

  static func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }

  /// Seconds in the unit that keeps three or four significant digits.
  static func duration(_ seconds: Double) -> String {
    switch seconds {
    case ..<1e-3: return String(format: "%.1f µs", seconds * 1e6)
    case ..<1: return String(format: seconds < 0.01 ? "%.2f ms" : seconds < 0.1 ? "%.1f ms" : "%.0f ms", seconds * 1e3)
    case ..<100: return String(format: "%.2f s", seconds)
    case ..<3600: return String(format: "%.0f s", seconds)
    default: return String(format: "%.1f h", seconds / 3600)
    }
  }

  static func rate(_ perSecond: Double) -> String {
    perSecond >= 1e4 ? String(format: "%.1fk/s", perSecond / 1e3) : String(format: "%.0f/s", perSecond)
  }
}

/// The machine, the tuning in force, and the files `hekit bench` writes.
enum BenchEnvironment {
  /// `CPU, N cores, load average L` with a warning when the machine is busy.
  static func machineLine() -> String {
    let cores = Parallelism.availableCores
    var line = "\(TuningProfile.Machine.current.cpu), \(cores) core\(cores == 1 ? "" : "s")"
    if let load = loadAverage()?.first {
      line += String(format: ", load average %.1f", load)
      if load > Double(cores) * 0.75 { line += " (busy: other processes share the cores, times are inflated)" }
    }
    return line
  }

  static func loadAverage() -> [Double]? {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
    let values = text.split(separator: " ").prefix(3).compactMap { Double($0) }
    return values.count == 3 ? values : nil
  }

  /// The profile file in force, if one was applied at startup.
  static func profilePath() -> String? {
    guard let url = TuningProfile.activeURL(), FileManager.default.fileExists(atPath: url.path),
      (try? TuningProfile.load(from: url)) != nil
    else { return nil }
    return url.path
  }

  /// What tuning is in force, in words.
  static func describe() -> String {
    let threads = Parallelism.threadLimit.map { limit -> String in
      let count = Swift.min(limit, Parallelism.availableCores)
      return "\(count) thread\(count == 1 ? "" : "s")"
    } ?? "all cores"
    let settings = "batch work on \(threads), DJN window \(Paillier.Tuning.djnWindowBits)"
    if let path = profilePath() { return "\(path) (\(settings))" }
    return "no profile (\(settings); `hekit bench --tune` writes one)"
  }

  /// One thread, then all cores (just one when there is one core).
  static func threadCounts() -> [Int] {
    let cores = Parallelism.availableCores
    return cores == 1 ? [1] : [1, cores]
  }

  /// Runs `body` with batch work limited to `threads`, then restores the limit.
  static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
    let saved = Parallelism.threadLimit
    Parallelism.threadLimit = threads
    defer { Parallelism.threadLimit = saved }
    return try body()
  }

  /// Writes `value` as JSON to `path` ('-': stdout), atomically. A file that
  /// holds an earlier result of the same `format` is replaced; any other
  /// file only with `force`.
  /// Refuses, before any measuring, an output that `writeJSON` would not replace.
  static func checkOutput(_ path: String, format: String, force: Bool) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CLIError("\(path) is a directory, not a file")
    }
    if path != "-", FileManager.default.fileExists(atPath: path), !force, !isOwnFile(path, format: format) {
      throw CLIError("\(path) already exists (use --force to replace it)")
    }
  }

  static func writeJSON<T: Encodable>(_ value: T, to path: String, format: String, force: Bool) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    let replace = force || isOwnFile(path, format: format)
    let output = try Output(path: path, force: replace, inputs: [])
    try output.write(text)
    try output.finish()
    if path != "-" { print("wrote \(path)") }
  }

  /// Whether `path` holds JSON whose `format` field is `format`.
  static func isOwnFile(_ path: String, format: String) -> Bool {
    struct Header: Decodable { var format: String }
    guard let data = FileManager.default.contents(atPath: path),
      let header = try? JSONDecoder().decode(Header.self, from: data)
    else { return false }
    return header.format == format
  }
}

/// The synthetic scoring workload of the benchmark: a logistic model with
/// fixed weights and records of values in 0...100 (drawn at random; scoring
/// time does not depend on the values).
enum BenchWorkload {
  static func model(features: Int) throws -> LinearModel {
    try LinearModel(
      kind: .logistic, features: (1...features).map { "x\($0)" },
      weights: (0..<features).map { Double($0 % 7) / 3 - 1 }, intercept: 0.25)
  }

  static func rows(_ count: Int, features: Int) -> [[Double]] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in (0..<features).map { _ in Double.random(in: 0...100, using: &generator).rounded() } }
  }

  /// A BFV batch scorer, its client (fresh keys) and a full batch of records.
  struct BFVBatch {
    let scorer: BFVBatchScorer
    let client: BFVBatchClient
    let batch: [[Double]]
    var records: Int { batch.count }

    /// Encrypts the batch, scores it, decrypts the scores.
    func run() throws {
      _ = try client.decryptLogits(try scorer.score(try client.encrypt(batch)))
    }
  }

  static func bfvBatch(preset: BFV.Preset, features: Int) throws -> BFVBatch {
    let scorer = try BFVBatchScorer(
      try model(features: features), featureRanges: Array(repeating: 0...100, count: features), preset: preset)
    return BFVBatch(scorer: scorer, client: BFVBatchClient(for: scorer), batch: rows(scorer.recordsPerBatch, features: features))
  }
}
