// EncryptedML end to end on the bundled breast-cancer data (Data/, 569 × 30):
// the server's Paillier score of one record (30 features, 3072-bit key), a
// batch of such scores on one core and on all cores, and BFV batch scoring
// (encrypt + score + decrypt of a full slot batch) on one core and on all.
//
// Keys, the model and the encrypted inputs are made outside the measured
// blocks, in each benchmark's setup hook (package-benchmark runs each
// benchmark in its own process, so a process makes only what it measures);
// the DJN table is built there too. "1 core" runs HEKit's own batch code with
// `Parallelism.threadLimit = 1`, "all cores" with every core, so the pair is
// the scaling of exactly the code users run.

import Benchmark
import BenchmarkSupport
import Dispatch
import Foundation
import HEKit

/// The repository's Data/ folder, found from this file's path.
let dataURL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Data/breast_cancer.csv")

/// The data and the model trained on its first four fifths.
struct Training: Sendable {
  let data: Dataset
  let model: LinearModel
  static let shared = Result { () throws -> Training in
    let data = try Dataset(contentsOf: dataURL, target: "target")
    return Training(data: data, model: try LinearModel.train(.logistic, on: data.split(testEvery: 5).train))
  }
}

/// A 3072-bit Paillier key, its DJN table built, and the first records encrypted.
struct PaillierScoring: Sendable {
  let scorer: EncryptedLinearModel
  let records: [[Paillier.Ciphertext]]
  static let shared = Result { () throws -> PaillierScoring in
    let training = try Training.shared.get()
    let key = try Paillier.PrivateKey.generate(bits: 3072)
    let publicKey = key.publicKey
    let records = try training.data.features.prefix(16).map { row in try row.map { try publicKey.encrypt($0) } }
    return PaillierScoring(scorer: EncryptedLinearModel(training.model), records: records)
  }
}

/// A BFV batch scorer, the client's keys and a full batch of rows.
struct BFVBatch: Sendable {
  let scorer: BFVBatchScorer
  let client: BFVBatchClient
  let rows: [[Double]]
  init(_ preset: BFV.Preset) throws {
    let training = try Training.shared.get()
    scorer = try BFVBatchScorer(
      training.model, featureRanges: try FixedPointLinearModel.ranges(of: training.data), preset: preset)
    client = BFVBatchClient(for: scorer)
    rows = (0..<scorer.recordsPerBatch).map { training.data.features[$0 % training.data.count] }
  }
  static let n4096 = Result { try BFVBatch(.n4096) }
  static let n8192 = Result { try BFVBatch(.n8192) }
}

let benchmarks: @Sendable () -> Void = {
  applyKernelChoiceFromEnvironment()
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
    timeUnits: .milliseconds,
    warmupIterations: 1,
    maxDuration: .seconds(3),
    maxIterations: 200,
    thresholds: HEKitThresholds.singleCore
  )

  // Paillier: one record's server-side score (a 30-term dot product plus the
  // intercept), then the same with the re-randomisation `hekit score` applies.
  Benchmark(
    "Paillier score 30 features 3072b",
    closure: { benchmark in
      let f = try PaillierScoring.shared.get()
      for i in benchmark.scaledIterations { blackHole(try f.scorer.score(f.records[i % f.records.count])) }
    },
    setup: { _ = try PaillierScoring.shared.get() })
  Benchmark(
    "Paillier score 30 features + rerandomise 3072b",
    closure: { benchmark in
      let f = try PaillierScoring.shared.get()
      for i in benchmark.scaledIterations {
        blackHole(try f.scorer.score(f.records[i % f.records.count]).rerandomized())
      }
    },
    setup: { _ = try PaillierScoring.shared.get() })

  // A batch of 16 records scored and re-randomised, as `hekit score` does
  // line by line: on one core, and over all cores (Dispatch, as HEKit's
  // parallel loop over records).
  Benchmark(
    "Paillier batch score 16 records 1 core 3072b",
    closure: { benchmark in
      let f = try PaillierScoring.shared.get()
      for _ in benchmark.scaledIterations {
        for record in f.records { blackHole(try f.scorer.score(record).rerandomized()) }
      }
    },
    setup: { _ = try PaillierScoring.shared.get() })
  Benchmark(
    "Paillier batch score 16 records all cores 3072b",
    configuration: .init(thresholds: HEKitThresholds.allCores),
    closure: { benchmark in
      let f = try PaillierScoring.shared.get()
      for _ in benchmark.scaledIterations {
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: f.records.count) { i in
          do { blackHole(try f.scorer.score(f.records[i]).rerandomized()) } catch { failures.increment() }
        }
        if failures.value > 0 { benchmark.error("\(failures.value) scores failed") }
      }
    },
    setup: { _ = try PaillierScoring.shared.get() })

  // BFV batch layout: a full batch of N records (the 569 rows repeated),
  // client encrypt + server score + client decrypt.
  for (preset, fixture) in [(BFV.Preset.n4096, BFVBatch.n4096), (BFV.Preset.n8192, BFVBatch.n8192)] {
    let records = preset.degree
    let cores: [(name: String, threads: Int?)] = preset == .n4096 ? [("1 core", 1), ("all cores", nil)] : [("all cores", nil)]
    for (label, threads) in cores {
      Benchmark(
        "BFV batch end-to-end \(records) records \(label) N=\(preset.degree)",
        configuration: .init(
          metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxIterations: 20,
          thresholds: threads == 1 ? HEKitThresholds.singleCore : HEKitThresholds.allCores),
        closure: { benchmark in
          let f = try fixture.get()
          for _ in benchmark.scaledIterations {
            let batch = try f.client.encrypt(f.rows)
            let scores = try f.scorer.score(batch)
            blackHole(try f.client.decryptLogits(scores))
          }
        },
        setup: {
          Parallelism.threadLimit = threads
          _ = try fixture.get()
        })
    }
  }
}

/// A thread-safe count of failures inside a concurrent loop.
final class Counter: @unchecked Sendable {  // all access under the lock
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
