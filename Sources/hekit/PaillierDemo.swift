import Foundation
import HEKit

/// The encrypted-scoring job of `hekit demo` under Paillier, in one process,
/// with every stage timed and the result checked against the plaintext model.
enum PaillierDemo {
  struct Report {
    var passed: Bool
  }

  static func run(dataPath: String, target: String, bits: Int, rows: Int?) throws -> Report {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    func stage(_ name: String, _ detail: @autoclosure () -> String = "", _ body: () throws -> Void) rethrows {
      let elapsed = try clock.measure(body)
      let text = name.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds(elapsed))
      print(detail().isEmpty ? text : "\(text)   \(detail())")
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    print("HEKit \(HEKitVersion.string): encrypted logistic-regression scoring, Paillier \(bits)-bit, \(cores) cores")

    var all = try Dataset(contentsOf: URL(fileURLWithPath: dataPath), target: target)
    if let rows, rows < all.count {
      all.features = Array(all.features.prefix(rows))
      all.targets = Array(all.targets.prefix(rows))
    }
    let model = try LinearModel.train(.logistic, on: all.split(testEvery: 5).train)
    print("data: \(all.count) records × \(all.featureNames.count) features from \(dataPath); model trained in plaintext on 4/5 of them")

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

    var maxError = 0.0
    var agree = 0
    var correct = 0
    var heldOut = 0
    var heldOutCorrect = 0
    for (i, logit) in logits.enumerated() {
      let plain = model.linearScore(all.features[i])
      maxError = max(maxError, abs(logit - plain))
      let label = model.label(forLogit: logit)
      if label == model.label(forLogit: plain) { agree += 1 }
      let right = Double(label) == all.targets[i]
      if right { correct += 1 }
      if i % 5 == 0 {  // the rows Dataset.split(testEvery: 5) held out of training
        heldOut += 1
        if right { heldOutCorrect += 1 }
      }
    }
    let n = Double(all.count)
    print(String(format: "sizes: %.1f MB of encrypted records up, %.1f KB of encrypted scores down", Double(uploadBytes) / 1e6, Double(downloadBytes) / 1e3))
    print(String(format: "agreement with the plaintext model: max |logit error| %.1e, labels %d/%d (%.1f%%)", maxError, agree, all.count, 100 * Double(agree) / n))
    print(String(format: "accuracy against the true labels: %.2f%% on the %d held-out records, %.2f%% on all %d",
      100 * Double(heldOutCorrect) / Double(max(heldOut, 1)), heldOut, 100 * Double(correct) / n, all.count))
    let passed = maxError <= 1e-6 && agree == all.count
    print(passed ? "ok: every encrypted score matches the plaintext model" : "FAIL: encrypted and plaintext scores disagree")
    return Report(passed: passed)
  }
}
