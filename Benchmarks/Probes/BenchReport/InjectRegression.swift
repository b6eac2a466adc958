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
  /// Writes `<suite>/<to>/results.json`: `<suite>/<from>/results.json` with the
  /// metrics of `benchmark` replaced by those of `slower`.
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
    top["results"] = results
    top["baselineName"] = to
    let directory = baselines.appendingPathComponent(suite).appendingPathComponent(to)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try JSONSerialization.data(withJSONObject: top).write(to: directory.appendingPathComponent("results.json"))
    print("wrote baseline '\(to)' of \(suite): '\(benchmark)' measured as '\(slower)'")
  }
}
