import Foundation
import HEKit

/// The choices that depend on the machine, measured there by
/// `hekit bench --tune` and applied to every later run.
///
/// A profile holds what the tune measured to be fastest on one machine:
///
/// - ``threads``: the threads for batch work (``Parallelism/threadLimit``);
/// - ``paillierDJNWindowBits``: the window of Paillier's DJN encryption
///   table (``Paillier/Tuning/djnWindowBits``), the fastest for
///   ``paillierEncryptions`` encryptions per key within ``memoryBudgetBytes``;
/// - ``bfv``: the BFV preset that scores ``BFVChoice/records`` records at
///   ``BFVChoice/depth`` fastest (`hekit keygen --scheme bfv` takes it when
///   no `--preset` is given; ``BFV`` itself takes the preset it is given);
///
/// plus the measurements behind each choice, so that a reader can see why.
///
/// The command line applies the profile at startup (``applyFromEnvironment(_:)``):
/// the file `$HEKIT_TUNING` names, else `$XDG_CONFIG_HOME/hekit/tuning.json`
/// (`~/.config/hekit/tuning.json`) when it exists; `HEKIT_TUNING=off` skips
/// it. `HEKIT_THREADS` and `HEKIT_PAILLIER_WINDOW` override single fields.
/// A Swift program applies one itself:
///
/// ```swift
/// let profile = try TuningProfile.load(from: TuningProfile.standardURL())
/// try profile.apply()
/// ```
///
/// Tuning changes speed and memory only, never a result: every window and
/// thread count gives ciphertexts of the same distribution and the same
/// decryptions. A DJN table is built once per key per process, so the
/// encryptions that pay for a wider window are those one process makes with
/// one key (one `hekit encrypt --input` run, say).
struct TuningProfile: Codable, Sendable, Equatable {
  /// The `format` field of every profile.
  static let formatName = "hekit-tuning"
  /// The version this build writes and reads.
  static let currentVersion = 1

  /// The machine a profile was measured on.
  struct Machine: Codable, Sendable, Equatable {
    /// The processor's model name.
    var cpu: String
    /// The cores available to the process.
    var cores: Int
    init(cpu: String, cores: Int) {
      self.cpu = cpu
      self.cores = cores
    }
    /// This machine.
    static var current: Machine {
      Machine(cpu: processorName(), cores: Parallelism.availableCores)
    }
  }

  /// The BFV preset chosen for a workload.
  struct BFVChoice: Codable, Sendable, Equatable {
    /// The number of records the workload scores.
    var records: Int
    /// The ciphertext-by-ciphertext multiplicative depth it needs (0 for linear scoring).
    var depth: Int
    /// The preset's name (`n4096`, `n8192`, ...).
    var preset: String
    init(records: Int, depth: Int, preset: String) {
      self.records = records
      self.depth = depth
      self.preset = preset
    }
  }

  /// One measurement behind a choice: what, with which setting, how long.
  struct Measurement: Codable, Sendable, Equatable {
    /// What was measured (`paillier.encrypt`, `paillier.table`, `batch.encrypt`, `bfv.batch`).
    var name: String
    /// The setting measured (`w=10`, `threads=2`, `n8192`).
    var setting: String
    /// The time the choice used, in seconds: the median, except for
    /// `paillier.encrypt`, the 10th percentile (most single encryptions on a
    /// busy machine wait for a core).
    var seconds: Double
    /// The samples behind the median.
    var samples: Int
    init(name: String, setting: String, seconds: Double, samples: Int) {
      self.name = name
      self.setting = setting
      self.seconds = seconds
      self.samples = samples
    }
  }

  var format: String = TuningProfile.formatName
  var version: Int = TuningProfile.currentVersion
  /// When the tune ran (ISO 8601).
  var created: String
  /// Where it ran.
  var machine: Machine
  /// Threads for batch work; `nil` means every core.
  var threads: Int?
  /// The DJN table window; `nil` means ``Paillier/Tuning/defaultDJNWindowBits``.
  var paillierDJNWindowBits: Int?
  /// The key size the window was measured at.
  var paillierKeyBits: Int?
  /// The encryptions per key the window was chosen for.
  var paillierEncryptions: Int?
  /// The most memory the DJN table was allowed.
  var memoryBudgetBytes: Int?
  /// The BFV preset chosen for a workload.
  var bfv: BFVChoice?
  /// What the tune measured.
  var measurements: [Measurement]

  init(
    created: String, machine: Machine, threads: Int? = nil, paillierDJNWindowBits: Int? = nil,
    paillierKeyBits: Int? = nil, paillierEncryptions: Int? = nil, memoryBudgetBytes: Int? = nil,
    bfv: BFVChoice? = nil, measurements: [Measurement] = []
  ) {
    self.created = created
    self.machine = machine
    self.threads = threads
    self.paillierDJNWindowBits = paillierDJNWindowBits
    self.paillierKeyBits = paillierKeyBits
    self.paillierEncryptions = paillierEncryptions
    self.memoryBudgetBytes = memoryBudgetBytes
    self.bfv = bfv
    self.measurements = measurements
  }

  /// The BFV preset this profile recommends for its workload.
  var bfvPreset: BFV.Preset? { bfv.flatMap { BFV.Preset(rawValue: $0.preset) } }

  /// Checks every field a reader relies on.
  /// - Throws: ``TuningError/invalidProfile(path:reason:)`` (with an empty path).
  func validate() throws(TuningError) {
    func fail(_ reason: String) -> TuningError { .invalidProfile(path: "", reason: reason) }
    guard format == Self.formatName else { throw fail("format is '\(format)', not '\(Self.formatName)'") }
    guard version == Self.currentVersion else {
      throw fail("version \(version) is not supported (this build reads version \(Self.currentVersion))")
    }
    if let threads, threads < 1 { throw fail("threads must be at least 1, not \(threads)") }
    if let w = paillierDJNWindowBits, !Paillier.Tuning.djnWindowBitsRange.contains(w) {
      throw fail("paillierDJNWindowBits must be \(Paillier.Tuning.djnWindowBitsRange.lowerBound) to \(Paillier.Tuning.djnWindowBitsRange.upperBound), not \(w)")
    }
    if let bfv {
      guard BFV.Preset(rawValue: bfv.preset) != nil else {
        throw fail("bfv.preset '\(bfv.preset)' is not one of \(BFV.Preset.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      guard bfv.records > 0, bfv.depth >= 0 else { throw fail("bfv.records must be positive and bfv.depth non-negative") }
    }
    guard machine.cores > 0 else { throw fail("machine.cores must be positive") }
  }

  /// Reads and checks a profile.
  /// - Throws: ``TuningError/unreadable(path:reason:)`` when the file cannot
  ///   be read; ``TuningError/invalidProfile(path:reason:)`` when it is not a
  ///   valid profile.
  static func load(from url: URL) throws(TuningError) -> TuningProfile {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw .unreadable(path: url.path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw .unreadable(path: url.path, reason: "\(url.path) is a directory, not a file") }
    let data: Data
    do {
      // Read to the end rather than by size, so a FIFO or pipe reads too.
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      data = try handle.readToEnd() ?? Data()
    } catch {
      throw .unreadable(path: url.path, reason: (error as NSError).localizedDescription)
    }
    let profile: TuningProfile
    do {
      try StrictJSON.checkNoDuplicateKeys(data)
    } catch {
      throw .invalidProfile(path: url.path, reason: "\(error)")
    }
    do {
      profile = try JSONDecoder().decode(TuningProfile.self, from: data)
    } catch let error as DecodingError {
      throw .invalidProfile(path: url.path, reason: Self.describe(error))
    } catch {
      throw .invalidProfile(path: url.path, reason: "\(error)")
    }
    do {
      try profile.validate()
    } catch {
      if case .invalidProfile(_, let reason) = error { throw .invalidProfile(path: url.path, reason: reason) }
      throw error
    }
    return profile
  }

  /// The profile as pretty-printed JSON with sorted keys.
  func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Sets the process-wide knobs: ``Parallelism/threadLimit`` and
  /// ``Paillier/Tuning/djnWindowBits`` (fields left `nil` reset to the defaults).
  /// - Throws: ``TuningError/invalidProfile(path:reason:)`` when the profile
  ///   does not validate (nothing is changed then).
  func apply() throws(TuningError) {
    try validate()
    Parallelism.threadLimit = threads
    Paillier.Tuning.djnWindowBits = paillierDJNWindowBits ?? Paillier.Tuning.defaultDJNWindowBits
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
    }
    switch error {
    case .dataCorrupted(let context): return "not JSON, or malformed at \(path(context)): \(context.debugDescription)"
    case .keyNotFound(let key, let context):
      let at = path(context)
      return "missing field '\(key.stringValue)'\(at == "the top level" ? "" : " in \(at)")"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}

/// A processor's model name, from `/proc/cpuinfo` on Linux.
func processorName() -> String {
  if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
  }
  #if arch(arm64)
    return "arm64"
  #else
    return "x86_64"
  #endif
}
