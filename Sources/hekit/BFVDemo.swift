import Foundation
import HEKit

/// The encrypted-scoring job of `hekit demo` under BFV, in one process but
/// through the same code and line formats as `hekit keygen/encrypt/score/
/// decrypt --scheme bfv`, every stage timed and the result checked against
/// the plaintext model; then the end-to-end rate on one full batch.
enum BFVDemo {
  static func run(
    dataPath: String, target: String, preset: BFV.Preset, rows: Int?, throughput: Bool, log: DemoLog
  ) throws -> PaillierDemo.Report {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    @discardableResult
    func stage(_ name: String, _ detail: @autoclosure () -> String = "", _ body: () throws -> Void) rethrows -> Double {
      try log.stage(name, detail(), body)
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let spec = try BFVParameterSpec(preset: preset)
    let widths = spec.plaintextModuli.map { "\(64 - $0.leadingZeroBitCount)" }.joined(separator: "+")
    log.say("HEKit \(HEKitVersion.string): encrypted logistic-regression scoring, BFV N=\(spec.degree) (log q \(spec.logQ)), "
      + "t = \(spec.plaintextModuli.count) primes of \(widths) bits, \(cores) cores")
    log.set("scheme", .string("bfv"))
    log.set("degree", .int(spec.degree))
    log.set("log-q", .int(spec.logQ))
    log.set("plaintext-moduli", .uints(spec.plaintextModuli))
    log.set("cores", .int(cores))

    var all = try readDataset(dataPath, target: target)
    if let rows, rows < all.count {
      all.features = Array(all.features.prefix(rows))
      all.targets = Array(all.targets.prefix(rows))
    }
    let model = try LinearModel.train(.logistic, on: all.split(testEvery: 5).train)
    // The client declares each column's range from its own data, as `hekit encrypt` does by default.
    let ranges = try FixedPointLinearModel.ranges(of: all)

    var keyPair: (public: BFVKeyFile, secret: BFVKeyFile)?
    try stage("client: key generation") { keyPair = try BFVKeyFile.generate(spec, comment: nil) }
    guard let (publicKeys, secretKeys) = keyPair else { return .init(passed: false) }
    let publicKeyBytes = try publicKeys.text().utf8.count

    let encryptor = try BFVRecordEncryptor(
      keys: publicKeys, columns: all.featureNames, ranges: ranges, precisionBits: 30)
    let numbered = all.features.enumerated().map { (line: $0.offset + 2, values: $0.element) }
    let capacity = encryptor.recordsPerBatch
    var recordLines: [String] = []
    let batches = (all.count + capacity - 1) / capacity
    try stage("client: encrypt \(all.count) records", "\(batches) batch\(batches == 1 ? "" : "es") of \(capacity) slots × \(all.featureNames.count) columns × \(spec.plaintextModuli.count) moduli") {
      recordLines = try stride(from: 0, to: numbered.count, by: capacity).map {
        try encryptor.encryptLine(Array(numbered[$0..<min($0 + capacity, numbered.count)]))
      }
    }
    let recordsHeader = try encryptor.header.line()
    let uploadBytes = recordLines.reduce(recordsHeader.utf8.count + 1) { $0 + $1.utf8.count + 1 }

    // The server reads the header and lines as text, with the public keys only.
    let server = try BFVScoringServer(
      model: model, keys: publicKeys, records: try BFVFileHeader.parse(recordsHeader, file: "records"), file: "records",
      targetError: 1e-6)
    var scoreLines: [String] = []
    try stage("server: score \(all.count) records", "F = \(server.scorer.encoding.fractionBits), noise flooded with \(server.header.floodingBits ?? 0)-bit noise") {
      scoreLines = try recordLines.map { try server.score(BFVBatchLine($0)) }
    }
    let downloadBytes = scoreLines.reduce(try server.header.line().utf8.count + 1) { $0 + $1.utf8.count + 1 }

    let decryptor = try BFVBatchDecryptor(keys: secretKeys, header: server.header, file: "scores")
    var logits: [Double] = []
    try stage("client: decrypt \(all.count) scores") {
      for line in scoreLines { logits += try decryptor.scores(of: BFVBatchLine(line)) }
    }

    let agreement = Agreement(logits: logits, model: model, data: all)
    let bound = server.scorer.encoding.errorBound
    log.say(String(format: "sizes: %.1f MB of encrypted records up, %.1f KB of encrypted scores down, public key %.1f KB",
      Double(uploadBytes) / 1e6, Double(downloadBytes) / 1e3, Double(publicKeyBytes) / 1e3))
    log.set("upload-bytes", .int(uploadBytes))
    log.set("download-bytes", .int(downloadBytes))
    log.set("public-key-bytes", .int(publicKeyBytes))
    agreement.report(to: log, bound: bound)

    if throughput {
      // One full batch: the data's rows repeated to fill every slot.
      let full = (0..<capacity).map { (line: $0 + 2, values: all.features[$0 % all.count]) }
      var line = ""
      var scored = ""
      let cpuBefore = processorSeconds()
      let encrypt = try seconds(clock.measure { line = try encryptor.encryptLine(full) })
      let score = try seconds(clock.measure {
        scored = try server.score(BFVBatchLine(line))
      })
      var count = 0
      let decrypt = try seconds(clock.measure {
        count = try decryptor.scores(of: BFVBatchLine(scored)).count
      })
      let total = encrypt + score + decrypt
      let cpu = processorSeconds() - cpuBefore
      let perRecord = Double(line.utf8.count + 1) / Double(count)
      log.set("throughput", .object([
        ("records", .int(count)), ("encrypt-seconds", .double(encrypt)), ("score-seconds", .double(score)),
        ("decrypt-seconds", .double(decrypt)), ("records-per-second", .double(Double(count) / total)),
        ("processor-seconds", .double(cpu)), ("upload-bytes-per-record", .double(perRecord)),
      ]))
      log.say(String(format: "throughput: a full batch of %d records, encrypt %.3f s + score %.3f s + decrypt %.3f s = %.3f s: %.0f records/s end to end",
        count, encrypt, score, decrypt, total, Double(count) / total))
      log.say(String(format: "  (%.3f s of processor time over %d cores; %.2f KB up and %.0f bytes down per record at full batches)",
        cpu, cores, perRecord / 1e3, Double(scored.utf8.count + 1) / Double(count)))
    }
    let passed = agreement.maxError <= bound + 1e-9 && agreement.agree == all.count
    log.set("passed", .bool(passed))
    log.say(passed ? "ok: every encrypted score is within the bound of the plaintext model" : "FAIL: encrypted and plaintext scores disagree")
    return .init(passed: passed)
  }
}

/// The processor time of this process (all threads) in seconds.
func processorSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
