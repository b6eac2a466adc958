import Foundation
import HEKit

/// `hekit bench --tune`: measures on this machine the choices that depend on
/// it, writes them to the tuning profile, then reads the profile back, applies
/// it as every `hekit` run does, and measures the speed-up against the defaults.
///
/// - Paillier DJN window: for each window from 7 to 14 whose table fits the
///   memory budget, the time to build the table (a key's first encryption) and
///   the 10th percentile of 60 encryptions over interleaved rounds (all
///   candidate tables are held at once, so the tune itself needs up to about
///   twice the budget; the 10th percentile, because on a busy machine most
///   single encryptions wait for a core and their median is mostly noise); the
///   choice minimises build + `records × features` encryptions.
/// - Threads for batch work: a batch of 64 encryptions on 1 … all cores,
///   interleaved; fewer than all cores only when that is at least 10% faster
///   (on a machine busy with other work, fewer threads can be faster).
/// - BFV preset: for the smallest two presets deep enough, a full batch of
///   linear scoring end to end (encrypt, score, decrypt), three interleaved
///   rounds; the choice minimises `⌈records / N⌉ × batch time`.
struct BenchTune {
  let bits: Int
  let records: Int
  let features: Int
  let depth: Int
  let memoryBytes: Int
  let profilePath: String?
  let force: Bool

  func run() throws {
    let url = profilePath.map { URL(fileURLWithPath: $0) } ?? TuningProfile.standardURL()
    // Refuse to replace something that is not a profile before spending a minute measuring.
    if FileManager.default.fileExists(atPath: url.path) && !force
      && !BenchEnvironment.isOwnFile(url.path, format: TuningProfile.formatName)
    {
      throw CLIError("\(url.path) exists and is not a tuning profile (use --force to replace it)")
    }
    print("HEKit \(HEKitVersion.string) tune: \(BenchEnvironment.machineLine())")
    // Measure from the defaults, whatever profile is in force.
    Parallelism.threadLimit = nil
    Paillier.Tuning.djnWindowBits = Paillier.Tuning.defaultDJNWindowBits
    var measurements: [TuningProfile.Measurement] = []

    let key = try Paillier.PrivateKey.generate(bits: bits)
    let window = try chooseWindow(key: key, into: &measurements)
    Paillier.Tuning.djnWindowBits = window.bits
    let threads = try chooseThreads(key: key, into: &measurements)
    Parallelism.threadLimit = threads
    let bfv = try choosePreset(into: &measurements)

    let profile = TuningProfile(
      created: ISO8601DateFormatter().string(from: Date()), machine: .current, threads: threads,
      paillierDJNWindowBits: window.bits, paillierKeyBits: bits, paillierEncryptions: records * features,
      memoryBudgetBytes: memoryBytes, bfv: bfv, measurements: measurements)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try BenchEnvironment.writeJSON(profile, to: url.path, format: TuningProfile.formatName, force: force)
    try verify(profileAt: url, key: key, predicted: window.speedup)
  }

  // MARK: The DJN window

  private func chooseWindow(key: Paillier.PrivateKey, into measurements: inout [TuningProfile.Measurement]) throws
    -> (bits: Int, speedup: Double)
  {
    let encryptions = records * features
    let defaultWindow = Paillier.Tuning.defaultDJNWindowBits
    // w = 6 and below build faster than w = 7 but encrypt slower; w = 7 covers small workloads.
    let candidates = (7...14).filter {
      $0 == defaultWindow || Paillier.Tuning.djnTableByteCount(keyBits: bits, windowBits: $0) <= memoryBytes
    }
    print()
    print(
      "Paillier \(bits)-bit: DJN table window for \(encryptions) encryptions per key and process",
      "(\(records) records × \(features) features), tables up to \(memoryBytes / 1_000_000) MB")
    // Build every candidate's table (a fresh key object with the same n and h_s
    // builds its own at the window in force), then time encryptions in
    // interleaved rounds, so that the load of other processes hits each alike.
    var keys: [(bits: Int, key: Paillier.PublicKey, build: Double)] = []
    for w in candidates {
      Paillier.Tuning.djnWindowBits = w
      let publicKey = try Paillier.PublicKey(n: key.publicKey.n, djnBase: key.publicKey.djnBase)
      keys.append((w, publicKey, try Timing.once { _ = try publicKey.encrypt(0) }.median))
    }
    Paillier.Tuning.djnWindowBits = defaultWindow
    let m = BigInteger(123_456_789)
    var samples: [Int: [Double]] = [:]
    for _ in 0..<60 {  // one encryption per candidate per round
      for entry in keys {
        samples[entry.bits, default: []] += try Timing.once { _ = try entry.key.encrypt(m) }.samples
      }
    }
    print("   w      table   build (1st encryption)   encrypt: p10   median   build + \(encryptions) encryptions")
    var costs: [(bits: Int, total: Double)] = []
    for entry in keys {
      let encrypt = Timing(samples[entry.bits] ?? [])
      let total = entry.build + Double(encryptions) * encrypt.p10
      costs.append((entry.bits, total))
      measurements.append(.init(name: "paillier.table", setting: "w=\(entry.bits)", seconds: entry.build, samples: 1))
      measurements.append(
        .init(name: "paillier.encrypt", setting: "w=\(entry.bits)", seconds: encrypt.p10, samples: encrypt.samples.count))
      print(
        String(format: "  %2d %@ %@ %@ %@ %@%@", entry.bits,
          BenchTable.pad(String(format: "%.1f MB", Double(entry.key.djnTableByteCount) / 1e6), 10),
          BenchTable.pad(BenchTable.duration(entry.build), 24), BenchTable.pad(BenchTable.duration(encrypt.p10), 13),
          BenchTable.pad(BenchTable.duration(encrypt.median), 8), BenchTable.pad(BenchTable.duration(total), 28),
          entry.bits == defaultWindow ? "  (default)" : ""))
    }
    let best = costs.min { $0.total < $1.total } ?? (defaultWindow, 1)
    let baseline = costs.first { $0.bits == defaultWindow }?.total ?? best.total
    let speedup = baseline / best.total
    print(String(format: "  chosen w=%d: %.2f× the speed of the default w=%d for this workload", best.bits, speedup, defaultWindow))
    return (best.bits, speedup)
  }

  // MARK: Threads

  private func chooseThreads(key: Paillier.PrivateKey, into measurements: inout [TuningProfile.Measurement]) throws -> Int? {
    let cores = Parallelism.availableCores
    print("\nthreads for batch work (a batch of 64 Paillier encryptions, w=\(Paillier.Tuning.djnWindowBits)):")
    let publicKey = try Paillier.PublicKey(n: key.publicKey.n, djnBase: key.publicKey.djnBase)
    _ = try publicKey.encrypt(0)
    let batch = (0..<64).map { BigInteger($0) }
    // Rounds interleave the thread counts, so that drifting load hits each alike.
    var samples: [Int: [Double]] = [:]
    for _ in 0..<7 {
      for threads in 1...cores {
        samples[threads, default: []] += [
          try BenchEnvironment.withThreads(threads) { try Timing.once { _ = try publicKey.encrypt(batch: batch) }.median }
        ]
      }
    }
    let medians = samples.mapValues { Timing($0).median }
    for threads in 1...cores {
      let median = medians[threads] ?? .infinity
      measurements.append(.init(name: "batch.encrypt64", setting: "threads=\(threads)", seconds: median, samples: 7))
      print(String(format: "  %2d thread%@  %7.0f encryptions/s%@", threads, threads == 1 ? " " : "s", 64 / median,
        threads == cores ? "  (default: all cores)" : ""))
    }
    let all = medians[cores] ?? .infinity
    guard let best = medians.min(by: { $0.value < $1.value }), best.key < cores, best.value < all * 0.9 else {
      print("  chosen: all \(cores) cores (the default)")
      return nil
    }
    print(String(format: "  chosen: %d thread%@, %.2f× the speed of all cores (other work holds the rest)",
      best.key, best.key == 1 ? "" : "s", all / best.value))
    if let load = BenchEnvironment.loadAverage()?.first, load > Double(cores) * 0.75 {
      print(String(format: "  note: the load average is %.1f on %d cores, so this reflects the other work running now;", load, cores))
      print("  tune again when the machine is as busy as it usually is when HEKit runs")
    }
    return best.key
  }

  // MARK: The BFV preset

  private func choosePreset(into measurements: inout [TuningProfile.Measurement]) throws -> TuningProfile.BFVChoice {
    let deepEnough = BFV.Preset.allCases.filter { $0.multiplicativeDepth >= depth }
    // The smallest preset deep enough and the next one up (larger rings cost more per record).
    let candidates = Array(deepEnough.prefix(2))
    let standard = deepEnough.contains(.n4096) ? BFV.Preset.n4096 : deepEnough[0]
    print()
    print("BFV preset for \(records) records at depth \(depth) (measured on linear scoring of \(features) features, a full batch end to end):")
    let batches = try candidates.map { try BenchWorkload.bfvBatch(preset: $0, features: features) }
    var samples = [[Double]](repeating: [], count: batches.count)
    for _ in 0..<3 {  // interleaved rounds
      for (index, batch) in batches.enumerated() {
        samples[index] += try Timing.measure(seconds: 0, minimum: 1, warmUp: false) { try batch.run() }.samples
      }
    }
    var costs: [(preset: BFV.Preset, total: Double)] = []
    for (index, preset) in candidates.enumerated() {
      let timing = Timing(samples[index])
      let count = (records + batches[index].records - 1) / batches[index].records
      let total = Double(count) * timing.median
      costs.append((preset, total))
      measurements.append(
        .init(name: "bfv.batch", setting: preset.rawValue, seconds: timing.median, samples: timing.samples.count))
      let batchCount = "\(count) batch\(count == 1 ? "" : "es")"
      print(
        "  \(preset.rawValue)  \(batches[index].records) records per batch, \(batchCount) ×",
        "\(BenchTable.duration(timing.median)) = \(BenchTable.duration(total))"
          + (preset == standard ? "  (hekit keygen's default without a profile)" : ""))
    }
    let best = costs.min { $0.total < $1.total } ?? (standard, 1)
    if best.preset == standard {
      print("  chosen: \(best.preset.rawValue) (the default)")
    } else if let baseline = costs.first(where: { $0.preset == standard })?.total {
      print(String(format: "  chosen: %@, %.2f× the speed of %@", best.preset.rawValue, baseline / best.total, standard.rawValue))
    } else {
      print("  chosen: \(best.preset.rawValue)")
    }
    return .init(records: records, depth: depth, preset: best.preset.rawValue)
  }

  // MARK: Verification

  /// Which runs of hekit will read the profile at `url`: every one when it is
  /// the file they read at startup, else only those told so by HEKIT_TUNING.
  static func whoApplies(_ url: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    let active = TuningProfile.activeURL(environment: environment)?.standardizedFileURL.path
    if active == url.standardizedFileURL.path {
      return "every hekit command now applies it (HEKIT_TUNING=off runs without)"
    }
    let standard = TuningProfile.standardURL(environment: environment).path
    return "hekit commands apply it only when HEKIT_TUNING=\(url.path) is set (without it they read \(standard))"
  }

  /// Reads the profile back, applies it as `hekit` does at startup, and times
  /// a fresh key's table and batches of 64 encryptions against the defaults,
  /// the two interleaved round by round.
  private func verify(profileAt url: URL, key: Paillier.PrivateKey, predicted: Double) throws {
    let profile = try TuningProfile.load(from: url)
    let defaults = TuningProfile(created: profile.created, machine: profile.machine)
    func freshKey(_ settings: TuningProfile) throws -> (key: Paillier.PublicKey, build: Double) {
      try settings.apply()
      let publicKey = try Paillier.PublicKey(n: key.publicKey.n, djnBase: key.publicKey.djnBase)
      return (publicKey, try Timing.once { _ = try publicKey.encrypt(0) }.median)
    }
    let tuned = try freshKey(profile)
    let plain = try freshKey(defaults)
    let batch = (0..<64).map { BigInteger($0) }
    var tunedSamples: [Double] = []
    var plainSamples: [Double] = []
    for _ in 0..<6 {
      try profile.apply()
      tunedSamples += try Timing.once { _ = try tuned.key.encrypt(batch: batch) }.samples
      try defaults.apply()
      plainSamples += try Timing.once { _ = try plain.key.encrypt(batch: batch) }.samples
    }
    try profile.apply()
    let tunedBatch = Timing(tunedSamples).median
    let plainBatch = Timing(plainSamples).median
    print()
    print("check, with the profile read back from \(url.path) and applied as every hekit run applies it:")
    print(
      "  64 encryptions (median of 6, interleaved): \(BenchTable.duration(tunedBatch)) tuned,",
      "\(BenchTable.duration(plainBatch)) with the defaults: " + String(format: "%.2f×", plainBatch / tunedBatch))
    print(
      "  table build (once per key and process): \(BenchTable.duration(tuned.build)) tuned,",
      "\(BenchTable.duration(plain.build)) with the defaults")
    print(
      String(
        format: "  predicted for %d encryptions per key (table included): %.2f× the speed of the defaults",
        records * features, predicted))
    print(Self.whoApplies(url))
  }
}
