import Foundation
import HEKit

/// The encrypted-scoring job of `hekit demo` under Paillier, in one process,
/// with every stage timed and the result checked against the plaintext model.
enum PaillierDemo {
  struct Report {
    var passed: Bool
  }

  static func run(dataPath: String, target: String, bits: Int, rows: Int?, log: DemoLog) throws -> Report {
    func stage(_ name: String, _ detail: @autoclosure () -> String = "", _ body: () throws -> Void) rethrows {
      try log.stage(name, detail(), body)
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    log.set("scheme", .string("paillier"))
    log.set("bits", .int(bits))
    log.set("cores", .int(cores))
    log.say("HEKit \(HEKitVersion.string): encrypted logistic-regression scoring, Paillier \(bits)-bit, \(cores) cores")

    var all = try readDataset(dataPath, target: target)
    if let rows, rows < all.count {
      all.features = Array(all.features.prefix(rows))
      all.targets = Array(all.targets.prefix(rows))
    }
    let model = try LinearModel.train(.logistic, on: all.split(testEvery: 5).train)
    log.say("data: \(all.count) records × \(all.featureNames.count) features from \(dataPath); model trained in plaintext on 4/5 of them")

    var privateKey: Paillier.PrivateKey?
    try stage("client: key generation") { privateKey = try Paillier.PrivateKey.generate(bits: bits) }
    guard let privateKey else { return Report(passed: false) }
    let publicKey = privateKey.publicKey

    var encrypted: [[Paillier.Ciphertext]] = []
    let values = all.features.count * all.featureNames.count
    try stage("client: encrypt \(values) values") {
      encrypted = try PaillierFiles.parallelMap(all.features) { row in try row.map { try publicKey.encrypt($0) } }
    }
    let uploadBytes = encrypted.reduce(0) { $0 + Paillier.Batch.record($1).utf8.count + 1 }

    let scorer = EncryptedLinearModel(model)
    var scores: [Paillier.Ciphertext] = []
    try stage("server: score \(all.count) records") {
      scores = try PaillierFiles.parallelMap(encrypted) { record in try scorer.score(record).rerandomized() }
    }
    let downloadBytes = scores.reduce(0) { $0 + $1.jsonString.utf8.count + 1 }

    var logits: [Double] = []
    try stage("client: decrypt \(all.count) scores") {
      logits = try PaillierFiles.parallelMap(scores) { try privateKey.decryptDouble($0) }
    }

    let agreement = Agreement(logits: logits, model: model, data: all)
    log.say(String(format: "sizes: %.1f MB of encrypted records up, %.1f KB of encrypted scores down", Double(uploadBytes) / 1e6, Double(downloadBytes) / 1e3))
    log.set("upload-bytes", .int(uploadBytes))
    log.set("download-bytes", .int(downloadBytes))
    agreement.report(to: log, bound: nil)
    let passed = agreement.maxError <= 1e-6 && agreement.agree == all.count
    log.set("passed", .bool(passed))
    log.say(passed ? "ok: every encrypted score matches the plaintext model" : "FAIL: encrypted and plaintext scores disagree")
    return Report(passed: passed)
  }
}
