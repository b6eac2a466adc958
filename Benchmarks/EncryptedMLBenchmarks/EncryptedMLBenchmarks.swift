// EncryptedML end to end on the bundled breast-cancer data (Data/, 569 × 30):
// the server's Paillier score of one record (30 features, 3072-bit key) and
// BFV batch scoring (encrypt + score + decrypt of a full slot batch).
// Keys, the model and the encrypted inputs are made outside the measured
// blocks; the DJN table is built before measuring.

import Benchmark
import HEKit
import Foundation

/// The repository's Data/ folder, found from this file's path.
let dataURL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Data/breast_cancer.csv")

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .milliseconds,
    warmupIterations: 1,
    maxDuration: .seconds(3),
    maxIterations: 200
  )
  guard let data = try? Dataset(contentsOf: dataURL, target: "target"),
    let model = try? LinearModel.train(.logistic, on: data.split(testEvery: 5).train)
  else {
    fatalError("cannot load \(dataURL.path) or train the model")  // benchmark setup, not user input
  }

  // Paillier: one record's server-side score (a 30-term dot product plus the
  // intercept), then the same with the re-randomisation `hekit score` applies.
  if let key = try? Paillier.PrivateKey.generate(bits: 3072) {
    let pk = key.publicKey
    let scorer = EncryptedLinearModel(model)
    let records = data.features.prefix(8).compactMap { row in try? row.map { try pk.encrypt($0) } }
    Benchmark("Paillier score 30 features 3072b") { benchmark in
      for i in benchmark.scaledIterations { blackHole(try scorer.score(records[i % records.count])) }
    }
    Benchmark("Paillier score 30 features + rerandomise 3072b") { benchmark in
      for i in benchmark.scaledIterations { blackHole(try scorer.score(records[i % records.count]).rerandomized()) }
    }
  }

  // BFV batch layout: a full batch of N records (the 569 rows repeated),
  // client encrypt + server score + client decrypt, all cores.
  for preset in [BFV.Preset.n4096, .n8192] {
    guard let ranges = try? FixedPointLinearModel.ranges(of: data),
      let scorer = try? BFVBatchScorer(model, featureRanges: ranges, preset: preset)
    else { continue }
    let client = BFVBatchClient(for: scorer)
    let n = scorer.recordsPerBatch
    let batchRows = (0..<n).map { data.features[$0 % data.count] }
    Benchmark(
      "BFV batch end-to-end \(n) records N=\(preset.degree)",
      configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput], maxIterations: 20)
    ) { benchmark in
      for _ in benchmark.scaledIterations {
        let batch = try client.encrypt(batchRows)
        let scores = try scorer.score(batch)
        blackHole(try client.decryptLogits(scores))
      }
    }
  }
}
