// The server-side Paillier score of one breast-cancer record (30 features,
// 3072-bit key), timed in thread CPU time so that other processes on the
// machine do not inflate it: `swift run -c release --package-path Benchmarks ScoreProbe [bits] [rounds]`.
// Prints the median over rounds of the time per score, for the scorer as it
// is and for the float-weight dot product it replaced, interleaved.

import Foundation
import HEKit

func threadSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let bits = arguments.first ?? 3072
let rounds = arguments.dropFirst().first ?? 15
let dataURL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Data/breast_cancer.csv")
let data = try Dataset(contentsOf: dataURL, target: "target")
let model = try LinearModel.train(.logistic, on: data.split(testEvery: 5).train)
let key = try Paillier.PrivateKey.generate(bits: bits)
let scorer = EncryptedLinearModel(model)
// Records as read from a file: no known magnitude bound.
let records = try data.features.prefix(8).map { row in try row.map { try key.publicKey.encrypt($0).withUnknownBound } }

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
var current: [Double] = []
var floatWeights: [Double] = []
var maxError = 0.0
for _ in 0..<rounds {
  var start = threadSeconds()
  for record in records { _ = try scorer.score(record) }
  current.append((threadSeconds() - start) / Double(records.count))
  start = threadSeconds()
  for record in records { _ = try Paillier.Ciphertext.dotProduct(record, scorer.folded.weights) + scorer.folded.intercept }
  floatWeights.append((threadSeconds() - start) / Double(records.count))
}
for (row, record) in zip(data.features, records) {
  maxError = max(maxError, abs(try key.decryptDouble(scorer.score(record)) - model.linearScore(row)))
}
print(String(format: "Paillier %d-bit, 30 features, median of %d rounds × %d records (thread CPU time):", bits, rounds, records.count))
print(String(format: "  score (fixed-point weights aligned to the record): %.3f ms", median(current) * 1e3))
print(String(format: "  float-weight dot product + intercept (before):     %.3f ms", median(floatWeights) * 1e3))
print(String(format: "  largest error against the plaintext logit: %.2e", maxError))
