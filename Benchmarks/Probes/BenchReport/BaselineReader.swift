// Reads the baselines package-benchmark stores after a run
// (`swift package benchmark baseline update NAME`):
// .benchmarkBaselines/<suite>/<NAME>/results.json, one per suite, holding every
// benchmark's metrics as HDR histograms. The file's top level is the plugin's
// (internal) BenchmarkBaseline; its results are the library's public
// BenchmarkResult, whose statistics give the percentiles.

import Benchmark
import BenchReportKit
import Foundation

enum BaselineReader {
  /// The top level of a stored baseline, as the plugin writes it.
  private struct Stored: Decodable {
    struct Identifier: Decodable, Hashable {
      var target: String
      var name: String
    }
    var baselineName: String
    var results: [Identifier: [BenchmarkResult]]
  }

  /// Every benchmark of every suite stored under `baseline`, as report results.
  /// - Throws: ``ReportError`` for a file that cannot be read or decoded.
  static func results(in directory: URL, baseline: String, build: String) throws -> [BenchReport.Result] {
    let suites = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var results: [BenchReport.Result] = []
    for suite in suites.sorted() {
      let file = directory.appendingPathComponent(suite).appendingPathComponent(baseline)
        .appendingPathComponent("results.json")
      guard FileManager.default.fileExists(atPath: file.path) else { continue }
      let stored: Stored
      do {
        stored = try JSONDecoder().decode(Stored.self, from: Data(contentsOf: file))
      } catch let error as DecodingError {
        throw ReportError.malformed(path: file.path, reason: "not a package-benchmark baseline (\(error))")
      } catch {
        throw ReportError.unreadable(path: file.path, reason: (error as NSError).localizedDescription)
      }
      for (identifier, metrics) in stored.results {
        guard let wallClock = metrics.first(where: { $0.metric == .wallClock }) else { continue }
        let scale = Double(wallClock.scalingFactor.rawValue)
        let time = wallClock.statistics.percentiles(for: [0, 50, 90]).map { Double($0) / scale }
        let mallocs = metrics.first(where: { $0.metric == .mallocCountTotal }).map {
          Double($0.statistics.percentiles(for: [50])[0]) / Double($0.scalingFactor.rawValue)
        }
        results.append(
          BenchReport.Result(
            suite: identifier.target, build: build, name: identifier.name, min: time[0], median: time[1], p90: time[2],
            samples: wallClock.statistics.measurementCount, mallocs: mallocs))
      }
    }
    return results.sorted { lhs, rhs in
      (lhs.suite, lhs.operation, BenchmarkName.size(of: lhs.parameters) ?? 0, lhs.name)
        < (rhs.suite, rhs.operation, BenchmarkName.size(of: rhs.parameters) ?? 0, rhs.name)
    }
  }
}
