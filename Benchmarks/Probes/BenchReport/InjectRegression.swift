// `BenchReport inject-regression`: a copy of a stored baseline in which one
// benchmark carries another's (slower) measurements, so that
// `make bench-check-selftest` can show that the check fails on a regression
// beyond the thresholds, with the suites' real thresholds and package-benchmark's
// own comparison, without waiting for a real slowdown.
//
// A stored baseline (.benchmarkBaselines/<suite>/<NAME>/results.json) holds its
// results as a dictionary keyed by {target, name}, which JSONEncoder writes as
// an array alternating key and value; this keeps every other field as it is.

import BenchReportKit
import Foundation

enum InjectRegression {
  /// The metrics `make bench-check` measures and judges.
  static let judgedMetrics: Set<String> = ["wallClock", "mallocCountTotal"]

  /// Writes `<suite>/<to>/results.json`: `<suite>/<from>/results.json` with the
  /// metrics of `benchmark` replaced by those of `slower`, and only the
  /// ``judgedMetrics`` kept.
  /// - Throws: ``ReportError`` when the file or either benchmark is missing.
  static func run(baselines: URL, suite: String, from: String, to: String, benchmark: String, slower: String) throws {
    let source = baselines.appendingPathComponent(suite).appendingPathComponent(from)
      .appendingPathComponent("results.json")
    let data: Data
    do {
      data = try Data(contentsOf: source)
    } catch {
      throw ReportError.unreadable(path: source.path, reason: (error as NSError).localizedDescription)
    }
    guard var top = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      var results = top["results"] as? [Any], results.count % 2 == 0
    else { throw ReportError.malformed(path: source.path, reason: "not a package-benchmark baseline") }
    func index(of name: String) throws -> Int {
      guard let index = stride(from: 0, to: results.count, by: 2).first(where: {
        (results[$0] as? [String: Any])?["name"] as? String == name
      }) else { throw ReportError.missingInput("no benchmark '\(name)' in \(source.path)") }
      return index + 1
    }
    results[try index(of: benchmark)] = results[try index(of: slower)]
    // Only the metrics a `make bench-check` run records (--metric wallClock
    // --metric mallocCountTotal), so that nothing else is compared.
    for index in stride(from: 1, to: results.count, by: 2) {
      guard let metrics = results[index] as? [[String: Any]] else { continue }
      results[index] = metrics.filter { entry in
        guard let metric = entry["metric"] as? [String: Any] else { return false }
        return metric.keys.contains { judgedMetrics.contains($0) }
      }
    }
    top["results"] = results
    top["baselineName"] = to
    let directory = baselines.appendingPathComponent(suite).appendingPathComponent(to)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try JSONSerialization.data(withJSONObject: top).write(to: directory.appendingPathComponent("results.json"))
    print("wrote baseline '\(to)' of \(suite): '\(benchmark)' measured as '\(slower)'")
  }
}
