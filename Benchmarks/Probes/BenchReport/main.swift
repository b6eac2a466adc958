// BenchReport: turns one `make bench` run into Benchmarks/results/latest.json,
// latest.md and latest.svg.
//
//   BenchReport collect --baselines DIR --baseline NAME=BUILD [--baseline ...]
//                       [--optional-baseline NAME=BUILD ...] (skipped when absent)
//                       [--flags BUILD=FLAGS ...] [--floors DIR] [--swift TEXT]
//                       [--load-start "1m 5m 15m"] [--started EPOCH] --output DIR
//   BenchReport render REPORT.json --output DIR
//   BenchReport inject-regression --baselines DIR --suite SUITE --from NAME --to NAME
//                                 --benchmark BENCHMARK --slower BENCHMARK
//
// `collect` reads the package-benchmark baselines the run stored
// (DIR/<suite>/<NAME>/results.json: every benchmark's histograms), the raw
// floors' JSON (DIR/*.json, written by `gmp-floor --json` and friends) and
// this machine's description, attaches each benchmark's floor, and writes the
// three files; `render` redraws all three from a saved JSON (references
// re-attached under the current rules);
// `inject-regression` copies a stored baseline with one benchmark's
// measurements replaced by a slower one's (see InjectRegression.swift).
// Bad input exits 1 (64 for bad usage) with a message naming the file.

import BenchReportKit
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct UsageError: Error, CustomStringConvertible {
  let description: String
}

let usage = """
  usage: BenchReport collect --baselines DIR --baseline NAME=BUILD [--baseline NAME=BUILD ...]
                             [--optional-baseline NAME=BUILD ...] [--flags BUILD=FLAGS ...] [--floors DIR] [--swift TEXT]
                             [--load-start "L1 L5 L15"] [--started EPOCH_SECONDS] --output DIR
         BenchReport render REPORT.json --output DIR
         BenchReport inject-regression --baselines DIR --suite SUITE --from NAME --to NAME
                                       --benchmark BENCHMARK --slower BENCHMARK
  """

/// Options as `--name value` pairs, repeatable.
struct Options {
  var values: [String: [String]] = [:]
  var positional: [String] = []

  init(_ arguments: ArraySlice<String>) throws {
    var rest = arguments
    while let word = rest.popFirst() {
      if word.hasPrefix("--") {
        guard let value = rest.popFirst() else { throw UsageError(description: "\(word) needs a value") }
        values[String(word.dropFirst(2)), default: []].append(value)
      } else {
        positional.append(word)
      }
    }
  }

  func one(_ name: String) throws -> String? {
    guard let list = values[name] else { return nil }
    guard list.count == 1 else { throw UsageError(description: "--\(name) given \(list.count) times") }
    return list[0]
  }

  func pairs(_ name: String) throws -> [(String, String)] {
    try (values[name] ?? []).map { text in
      guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
        throw UsageError(description: "--\(name) expects NAME=VALUE, got '\(text)'")
      }
      return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
  }
}

func write(_ report: BenchReport, to directory: URL) throws {
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  try report.jsonData().write(to: directory.appendingPathComponent("latest.json"), options: .atomic)
  let chart = report.chartSVG()
  if let chart {
    try Data(chart.utf8).write(to: directory.appendingPathComponent("latest.svg"), options: .atomic)
  }
  let markdown = report.markdown(chartPath: chart == nil ? nil : "latest.svg")
  try Data(markdown.utf8).write(to: directory.appendingPathComponent("latest.md"), options: .atomic)
  print("wrote \(directory.path)/latest.json, latest.md\(chart == nil ? "" : ", latest.svg")"
    + " (\(report.results.count) benchmarks, \(report.floors.count) floor rows)")
}

func collect(_ options: Options) throws {
  guard let baselines = try options.one("baselines"), let output = try options.one("output") else {
    throw UsageError(description: "collect needs --baselines DIR and --output DIR")
  }
  let required = try options.pairs("baseline")
  guard !required.isEmpty else { throw UsageError(description: "collect needs at least one --baseline NAME=BUILD") }
  var runs: [(String, String)] = []
  var results: [BenchReport.Result] = []
  for (name, build) in required + (try options.pairs("optional-baseline")) {
    let found = try BaselineReader.results(in: URL(fileURLWithPath: baselines), baseline: name, build: build)
    if found.isEmpty {
      if required.contains(where: { $0 == (name, build) }) {
        throw ReportError.missingInput(
          "no results for baseline '\(name)' under \(baselines) (run the suites with `benchmark baseline update \(name)` first)")
      }
      continue
    }
    runs.append((name, build))
    results += found
  }
  var floors: [BenchReport.Floor] = []
  var toolchain: [String: String] = [:]
  if let directory = try options.one("floors") {
    let read = try FloorReader.floors(in: URL(fileURLWithPath: directory))
    floors = read.floors
    toolchain.merge(read.libraries) { first, _ in first }
  }
  if let swift = try options.one("swift"), !swift.isEmpty {
    toolchain["Swift"] = swift.hasPrefix("Swift version ") ? String(swift.dropFirst("Swift version ".count)) : swift
  }
  // Empty values (a run-info file that is missing) count as not given.
  let loadStart = try options.one("load-start").map(MachineInfo.parseLoad).flatMap { $0.count == 3 ? $0 : nil }
  let started = try options.one("started").flatMap { text -> Double? in
    if text.isEmpty { return nil }
    guard let value = Double(text) else { throw UsageError(description: "--started expects seconds since 1970, got '\(text)'") }
    return value
  }
  let flags = try options.pairs("flags")
  let builds = runs.map { _, build in
    BenchReport.Build(name: build, flags: flags.first { $0.0 == build }?.1 ?? "swift package benchmark (release)")
  }
  var report = BenchReport(
    created: ISO8601DateFormatter().string(from: Date()),
    machine: MachineInfo.current(loadStart: loadStart),
    toolchain: toolchain,
    builds: builds,
    elapsedSeconds: started.map { Date().timeIntervalSince1970 - $0 },
    results: results,
    floors: floors)
  report.attachReferences()
  try write(report, to: URL(fileURLWithPath: output))
}

func render(_ options: Options) throws {
  guard options.positional.count == 1, let output = try options.one("output") else {
    throw UsageError(description: "render needs REPORT.json and --output DIR")
  }
  // References are derived from the rules, so a redraw applies the current ones.
  var report = try BenchReport.load(from: URL(fileURLWithPath: options.positional[0]))
  report.attachReferences()
  try write(report, to: URL(fileURLWithPath: output))
}

let arguments = CommandLine.arguments
do {
  guard arguments.count >= 2 else { throw UsageError(description: "no command") }
  let options = try Options(arguments.dropFirst(2))
  switch arguments[1] {
  case "collect": try collect(options)
  case "render": try render(options)
  case "inject-regression":
    guard let baselines = try options.one("baselines"), let suite = try options.one("suite"),
      let from = try options.one("from"), let to = try options.one("to"),
      let benchmark = try options.one("benchmark"), let slower = try options.one("slower")
    else {
      throw UsageError(description: "inject-regression needs --baselines, --suite, --from, --to, --benchmark and --slower")
    }
    try InjectRegression.run(
      baselines: URL(fileURLWithPath: baselines), suite: suite, from: from, to: to, benchmark: benchmark, slower: slower)
  default: throw UsageError(description: "unknown command '\(arguments[1])'")
  }
} catch let error as UsageError {
  FileHandle.standardError.write(Data("BenchReport: \(error)\n\(usage)\n".utf8))
  exit(64)
} catch {
  FileHandle.standardError.write(Data("BenchReport: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n".utf8))
  exit(1)
}
