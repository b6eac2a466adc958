import ArgumentParser
import Foundation
import HEKit

/// `hekit bench`: the main operations of both schemes timed on this machine in
/// under a minute, printed as a table and written as JSON; `--tune` instead
/// measures the choices that depend on the machine and writes the tuning
/// profile every later `hekit` run applies (see `BenchTune`).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time HEKit's main operations on this machine, or tune HEKit to it (--tune).",
    discussion: """
      Without --tune: times key generation, encryption, decryption, addition, \
      multiplication and scoring under Paillier and BFV, plus batch throughput \
      on one thread and on all, in under a minute; prints median, p90 and rate \
      per operation and writes them as JSON (--output). Timings include whatever \
      else the machine is running: the header shows the load average.

      With --tune: measures the Paillier DJN table window (speed against memory, \
      for --records × --features encryptions per key within --memory-mb), the \
      thread count for batch work, and the BFV preset that scores --records \
      records at --depth fastest; writes the choices to the tuning profile \
      (~/.config/hekit/tuning.json, or --profile), then re-measures with the \
      profile read back and prints the speed-up. Every hekit command applies \
      the profile at startup; HEKIT_TUNING=off skips it, HEKIT_TUNING=FILE \
      names another, HEKIT_THREADS and HEKIT_PAILLIER_WINDOW override a field.
      """
  )

  @Option(help: "The schemes to time.")
  var scheme: Schemes = .both

  @Option(help: "Paillier key size in bits (2048 to 4096).")
  var bits = 3072

  @Option(help: "BFV ring for the quick benchmark (n8192: the keys hekit keygen makes by default).")
  var preset: Ring = .n8192

  @Option(help: "Seconds spent timing each operation (0.1 to 10).")
  var seconds = 0.5

  @Option(help: "Where to write the results as JSON ('-' for stdout). An earlier result file is replaced; any other file only with --force.")
  var output = "hekit-bench.json"

  @Flag(help: "Replace an existing output file or profile of another kind.")
  var force = false

  @Flag(help: "Measure the machine-dependent choices and write the tuning profile.")
  var tune = false

  @Option(help: "--tune: records one run handles (a DJN table is built once per key per process: Paillier encryptions per table = records × features).")
  var records = 100_000

  @Option(help: "--tune: features per record.")
  var features = 30

  @Option(help: "--tune: ciphertext-by-ciphertext multiplicative depth the BFV work needs (0 for linear scoring).")
  var depth = 0

  @Option(name: .customLong("memory-mb"), help: "--tune: the most memory one Paillier key's DJN table may take, in MB.")
  var memoryMB = 256

  @Option(help: ArgumentHelp(
    "--tune: where to write the profile (default: $XDG_CONFIG_HOME/hekit/tuning.json or ~/.config/hekit/tuning.json).",
    discussion: "Commands read a profile elsewhere only when HEKIT_TUNING names it."))
  var profile: String?

  func validate() throws {
    guard (2048...4096).contains(bits), bits % 2 == 0 else {
      throw ValidationError("--bits must be an even number from 2048 to 4096, got \(bits)")
    }
    guard seconds.isFinite, (0.1...10).contains(seconds) else { throw ValidationError("--seconds must be from 0.1 to 10") }
    guard records >= 1 else { throw ValidationError("--records must be at least 1") }
    guard (1...10_000).contains(features) else { throw ValidationError("--features must be from 1 to 10000") }
    guard (0...BFV.Preset.n32768.multiplicativeDepth).contains(depth) else {
      throw ValidationError("--depth must be from 0 to \(BFV.Preset.n32768.multiplicativeDepth) (the deepest preset's)")
    }
    guard memoryMB >= 1 else { throw ValidationError("--memory-mb must be at least 1") }
    if !tune, records != 100_000 || features != 30 || depth != 0 || memoryMB != 256 || profile != nil {
      throw ValidationError("--records, --features, --depth, --memory-mb and --profile go with --tune")
    }
  }

  func run() throws {
    if tune {
      try BenchTune(
        bits: bits, records: records, features: features, depth: depth, memoryBytes: memoryMB * 1_000_000,
        profilePath: profile, force: force
      ).run()
    } else {
      try QuickBench(bits: bits, preset: preset.preset, scheme: scheme, seconds: seconds)
        .run(output: output, force: force)
    }
  }
}

/// The quick benchmark: every main operation timed, one table, one JSON file.
struct QuickBench {
  let bits: Int
  let preset: BFV.Preset
  let scheme: Schemes
  let seconds: Double

  /// One row of the table and of the JSON.
  struct Row: Codable {
    var scheme: String
    var operation: String
    var parameters: String
    /// Seconds per operation: median, p90, minimum.
    var median: Double
    var p90: Double
    var min: Double
    var samples: Int
    /// Items per second, for batch rows.
    var perSecond: Double?
    var threads: Int?
  }

  /// The JSON file `hekit bench` writes.
  struct Results: Codable {
    var format = "hekit-bench"
    var version = 1
    var hekit = HEKitVersion.string
    var created: String
    var cpu: String
    var cores: Int
    var loadAverage: [Double]?
    var tuningProfile: String?
    var threads: Int
    var paillierDJNWindowBits: Int
    var seconds: Double
    var rows: [Row]
  }

  func run(output: String, force: Bool) throws {
    try BenchEnvironment.checkOutput(output, format: "hekit-bench", force: force)
    let started = BenchClock.now()
    let applied = BenchEnvironment.describe()
    print("HEKit \(HEKitVersion.string) bench: \(BenchEnvironment.machineLine())")
    print("tuning: \(applied)")
    var rows: [Row] = []
    if scheme.includesPaillier { rows += try paillier() }
    if scheme.includesBFV { rows += try bfv() }
    let elapsed = BenchClock.now() - started
    print(String(format: "\n%d operations timed in %.1f s", rows.count, elapsed))
    let results = Results(
      created: ISO8601DateFormatter().string(from: Date()), cpu: TuningProfile.Machine.current.cpu,
      cores: Parallelism.availableCores, loadAverage: BenchEnvironment.loadAverage(),
      tuningProfile: BenchEnvironment.profilePath(), threads: Parallelism.threadCount,
      paillierDJNWindowBits: Paillier.Tuning.djnWindowBits, seconds: elapsed, rows: rows)
    try BenchEnvironment.writeJSON(results, to: output, format: "hekit-bench", force: force)
  }

  // MARK: Paillier

  private func paillier() throws -> [Row] {
    print()
    print("Paillier \(bits)-bit".padding(toLength: 50, withPad: " ", startingAt: 0) + BenchTable.header)
    var rows: [Row] = []
    func add(_ operation: String, _ timing: Timing, perSecond: Double? = nil, threads: Int? = nil) {
      let row = Row(
        scheme: "paillier", operation: operation, parameters: "\(bits)b", median: timing.median, p90: timing.p90,
        min: timing.min, samples: timing.samples.count, perSecond: perSecond, threads: threads)
      rows.append(row)
      BenchTable.print(row)
    }
    var key: Paillier.PrivateKey?
    add("key generation", try Timing.measure(seconds: max(seconds * 3, 1), minimum: 2, warmUp: false) {
      key = try Paillier.PrivateKey.generate(bits: bits)
    })
    guard let key else { return rows }
    let publicKey = key.publicKey
    let window = Paillier.Tuning.djnWindowBits
    let megabytes = Double(publicKey.djnTableByteCount) / 1e6
    add("first encryption: DJN table w=\(window), \(String(format: "%.1f", megabytes)) MB", try Timing.once {
      _ = try publicKey.encrypt(0)
    })
    let m = try BigInteger.random(bitWidth: bits - 8)
    let c = try publicKey.encrypt(m)
    add("encrypt (DJN)", try Timing.measure(seconds: seconds) { _ = try publicKey.encrypt(m) })
    add("decrypt (CRT)", try Timing.measure(seconds: seconds) { _ = try key.decryptRaw(c) })
    add("add two ciphertexts", try Timing.measure(seconds: seconds) { _ = try c + c })
    let scalar = try BigInteger.random(bitWidth: 64)
    let small = try publicKey.encrypt(123_456)  // room for the product in the plaintext window
    add("multiply by a 64-bit scalar", try Timing.measure(seconds: seconds) { _ = try small * scalar })
    let model = try BenchWorkload.model(features: 30)
    let scorer = EncryptedLinearModel(model)
    let record = try BenchWorkload.rows(1, features: 30)[0].map { try publicKey.encrypt($0) }
    add("score one record, 30 features", try Timing.measure(seconds: seconds) { _ = try scorer.score(record) })
    // Batch throughput: HEKit's batch encryption on one thread and on all.
    let batch = (0..<64).map { BigInteger($0 * 1000) }
    for threads in BenchEnvironment.threadCounts() {
      let timing = try BenchEnvironment.withThreads(threads) {
        try Timing.measure(seconds: seconds * 2, minimum: 3) { _ = try publicKey.encrypt(batch: batch) }
      }
      add(
        "batch encrypt 64 values, \(threads) thread\(threads == 1 ? "" : "s")", timing,
        perSecond: 64 / timing.median, threads: threads)
    }
    return rows
  }

  // MARK: BFV

  private func bfv() throws -> [Row] {
    let parameters = try BFV.Parameters(preset: preset)
    let label = "N=\(parameters.degree) logq=\(parameters.logQ)"
    print()
    print("BFV N=\(parameters.degree), log q \(parameters.logQ)".padding(toLength: 50, withPad: " ", startingAt: 0)
      + BenchTable.header)
    var rows: [Row] = []
    func add(_ operation: String, _ timing: Timing, perSecond: Double? = nil, threads: Int? = nil) {
      let row = Row(
        scheme: "bfv", operation: operation, parameters: label, median: timing.median, p90: timing.p90,
        min: timing.min, samples: timing.samples.count, perSecond: perSecond, threads: threads)
      rows.append(row)
      BenchTable.print(row)
    }
    var keys: (BFV.SecretKey, BFV.PublicKey, BFV.RelinearizationKey, BFV.GaloisKeys)?
    add("key generation (secret, public, relin, Galois)", Timing.measure(seconds: seconds, minimum: 2) {
      let secretKey = BFV.SecretKey(parameters: parameters)
      keys = (secretKey, secretKey.publicKey(), secretKey.relinearizationKey(), secretKey.galoisKeys(steps: [1]))
    })
    guard let (secretKey, publicKey, relinearizationKey, galoisKeys) = keys else { return rows }
    let encoder = BFV.Encoder(parameters: parameters)
    let t = parameters.plaintextModulus
    let plaintext = try encoder.encode((0..<parameters.degree).map { UInt64($0) * 7919 % t })
    let prepared = plaintext.preparedForMultiplication()
    let x = try publicKey.encrypt(plaintext)
    let y = try publicKey.encrypt(plaintext)
    add("encrypt (public key, \(parameters.slotCount) slots)", try Timing.measure(seconds: seconds) {
      _ = try publicKey.encrypt(plaintext)
    })
    add("decrypt", try Timing.measure(seconds: seconds) { _ = try secretKey.decrypt(x) })
    add("add two ciphertexts", try Timing.measure(seconds: seconds) { _ = try x + y })
    add("multiply by a plaintext", try Timing.measure(seconds: seconds) { _ = try x * prepared })
    add("multiply + relinearise", try Timing.measure(seconds: seconds) {
      _ = try x.multiplied(by: y, relinearizingWith: relinearizationKey)
    })
    add("rotate rows by 1", try Timing.measure(seconds: seconds) { _ = try x.rotatedRows(by: 1, using: galoisKeys) })
    // A full batch of records scored by a 30-feature model: encrypt + score + decrypt.
    let batch = try BenchWorkload.bfvBatch(preset: preset, features: 30)
    print("  (batch score: a full batch, 30 features, logistic model: client encrypt + server score + client decrypt)")
    for threads in BenchEnvironment.threadCounts() {
      let timing = try BenchEnvironment.withThreads(threads) {
        try Timing.measure(seconds: seconds * 2, minimum: 2) { try batch.run() }
      }
      add(
        "batch score \(batch.records) records, \(threads) thread\(threads == 1 ? "" : "s")", timing,
        perSecond: Double(batch.records) / timing.median, threads: threads)
    }
    return rows
  }
}
