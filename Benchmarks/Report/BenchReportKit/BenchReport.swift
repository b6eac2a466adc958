// The benchmark report's data: what `make bench` measured, on which machine,
// with which builds, next to the raw floors. `BenchReport collect` writes it as
// Benchmarks/results/latest.json; the Markdown tables and the SVG chart are
// rendered from that JSON alone, so they can be regenerated (and tested) from
// any saved copy.

import Foundation

/// One `make bench` run: machine, builds, every suite's results and the raw floors.
public struct BenchReport: Codable, Equatable, Sendable {
  /// The `format` field of every report.
  public static let formatName = "hekit-bench-report"
  /// The version this code writes and reads.
  public static let currentVersion = 1

  /// The machine the run measured.
  public struct Machine: Codable, Equatable, Sendable {
    /// The processor's model name.
    public var cpu: String
    /// The cores available to the run.
    public var cores: Int
    /// Physical memory, in GiB.
    public var memoryGiB: Double?
    /// The operating system and kernel (`uname -sr`).
    public var kernel: String?
    /// The 1-, 5- and 15-minute load averages when the run started and ended:
    /// above about the core count, other processes shared the cores and every
    /// wall-clock figure is inflated.
    public var loadAverageStart: [Double]?
    public var loadAverageEnd: [Double]?

    public init(
      cpu: String, cores: Int, memoryGiB: Double? = nil, kernel: String? = nil, loadAverageStart: [Double]? = nil,
      loadAverageEnd: [Double]? = nil
    ) {
      self.cpu = cpu
      self.cores = cores
      self.memoryGiB = memoryGiB
      self.kernel = kernel
      self.loadAverageStart = loadAverageStart
      self.loadAverageEnd = loadAverageEnd
    }
  }

  /// A build of the suites: its name and compiler flags.
  public struct Build: Codable, Equatable, Sendable {
    /// `default` or `native` (compiled for this CPU).
    public var name: String
    /// The flags, as passed to `swift package benchmark` (and to cc / c++ for the floors).
    public var flags: String
    public init(name: String, flags: String) {
      self.name = name
      self.flags = flags
    }
  }

  /// What a result is compared with: a raw floor row or another benchmark of the same run.
  public struct Reference: Codable, Equatable, Sendable {
    /// `gmp_floor`, `paillier_floor`, `ntl_floor`, or the suite of an in-process reference.
    public var source: String
    /// The reference's operation and parameters as the source names them.
    public var name: String
    /// Its median and fastest iteration, in nanoseconds.
    public var median: Double
    public var min: Double?
    public init(source: String, name: String, median: Double, min: Double? = nil) {
      self.source = source
      self.name = name
      self.median = median
      self.min = min
    }
  }

  /// One benchmark of one suite in one build. Times in nanoseconds per iteration.
  public struct Result: Codable, Equatable, Sendable {
    /// The suite (executable target), e.g. `PaillierBenchmarks`.
    public var suite: String
    /// The build that ran it.
    public var build: String
    /// The benchmark's full name, parameters included.
    public var name: String
    /// The name without its parameters (`Paillier encrypt djn`).
    public var operation: String
    /// The parameters (`3072b`, `N=8192 logq=218`), empty if none.
    public var parameters: String
    /// The percentiles of wall-clock time per iteration.
    public var min: Double
    public var median: Double
    public var p90: Double
    /// The iterations measured.
    public var samples: Int
    /// Heap allocations (mallocs) per iteration, median, including the harness's own.
    public var mallocs: Double?
    /// The floor or reference it is compared with, if any.
    public var reference: Reference?

    public init(
      suite: String, build: String, name: String, min: Double, median: Double, p90: Double, samples: Int,
      mallocs: Double? = nil, reference: Reference? = nil
    ) {
      self.suite = suite
      self.build = build
      self.name = name
      (operation, parameters) = BenchmarkName.split(name)
      self.min = min
      self.median = median
      self.p90 = p90
      self.samples = samples
      self.mallocs = mallocs
      self.reference = reference
    }

    /// median / reference median: above 1 is slower than the reference.
    public var ratio: Double? {
      guard let reference, reference.median > 0 else { return nil }
      return median / reference.median
    }

    /// best / reference best (p0 against p0): the ratio other processes
    /// disturb least, since each side's fastest iteration is the least interrupted.
    public var bestRatio: Double? {
      guard let reference, let best = reference.min, best > 0 else { return nil }
      return min / best
    }
  }

  /// One row of a raw-floor program (C on GMP, C++ on NTL). Times in nanoseconds.
  public struct Floor: Codable, Equatable, Sendable {
    public var program: String
    public var library: String?
    public var operation: String
    public var parameters: String
    public var min: Double
    public var median: Double
    public var p90: Double
    public var samples: Int
    /// GMP allocations per operation, where the program counts them.
    public var allocations: Double?

    public init(
      program: String, library: String? = nil, operation: String, parameters: String, min: Double, median: Double,
      p90: Double, samples: Int, allocations: Double? = nil
    ) {
      self.program = program
      self.library = library
      self.operation = operation
      self.parameters = parameters
      self.min = min
      self.median = median
      self.p90 = p90
      self.samples = samples
      self.allocations = allocations
    }
  }

  public var format: String = BenchReport.formatName
  public var version: Int = BenchReport.currentVersion
  /// When the report was written (ISO 8601, UTC).
  public var created: String
  public var machine: Machine
  /// Versions of what was measured with: `swift`, `gmp`, `ntl`.
  public var toolchain: [String: String]
  public var builds: [Build]
  /// How long `make bench` took, in seconds, when known.
  public var elapsedSeconds: Double?
  public var results: [Result]
  public var floors: [Floor]

  public init(
    created: String, machine: Machine, toolchain: [String: String], builds: [Build], elapsedSeconds: Double? = nil,
    results: [Result], floors: [Floor]
  ) {
    self.created = created
    self.machine = machine
    self.toolchain = toolchain
    self.builds = builds
    self.elapsedSeconds = elapsedSeconds
    self.results = results
    self.floors = floors
  }

  /// Reads and checks a report.
  /// - Throws: ``ReportError``.
  public static func load(from url: URL) throws(ReportError) -> BenchReport {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw .unreadable(path: url.path, reason: (error as NSError).localizedDescription)
    }
    let report: BenchReport
    do {
      report = try JSONDecoder().decode(BenchReport.self, from: data)
    } catch {
      throw .malformed(path: url.path, reason: ReportError.describe(error))
    }
    guard report.format == formatName, report.version == currentVersion else {
      throw .malformed(
        path: url.path,
        reason: "format '\(report.format)' version \(report.version), expected '\(formatName)' version \(currentVersion)")
    }
    return report
  }

  /// The report as JSON (sorted keys, pretty-printed).
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Fills in every result's reference from the rules of ``FloorRules``.
  public mutating func attachReferences(rules: [FloorRule] = FloorRules.all) {
    for index in results.indices {
      results[index].reference = FloorRules.reference(for: results[index], in: self, rules: rules)
    }
  }
}

/// Everything that can go wrong reading the inputs of a report.
public enum ReportError: Error, Equatable, CustomStringConvertible, LocalizedError {
  case unreadable(path: String, reason: String)
  case malformed(path: String, reason: String)
  case missingInput(String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
    case .malformed(let path, let reason): return "\(path) is not what the report expects: \(reason)"
    case .missingInput(let what): return what
    }
  }
  public var errorDescription: String? { description }

  static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
    }
    switch error {
    case .dataCorrupted(let context): return "not valid JSON at \(path(context)): \(context.debugDescription)"
    case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' at \(path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
