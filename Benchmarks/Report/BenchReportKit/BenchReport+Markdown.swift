// latest.md: the report as tables a person reads top to bottom.

import Foundation

extension BenchReport {
  /// The suites in the order the report lists them (others follow, sorted).
  static let suiteOrder = [
    "BigNumBenchmarks", "PaillierBenchmarks", "PolyRingBenchmarks", "BFVBenchmarks", "ScalingBenchmarks",
    "EncryptedMLBenchmarks",
  ]

  /// The report as Markdown: header (machine, builds, load), the chart, the
  /// scaling tables, one table per suite and build, the raw floors.
  ///
  /// - Parameter chartPath: the chart's path relative to the Markdown file, if one was drawn.
  public func markdown(chartPath: String? = "latest.svg") -> String {
    var out: [String] = []
    out.append("# HEKit benchmark report")
    out.append("")
    var when = "Written \(created) by `make bench`"
    if let elapsedSeconds { when += " in \(Format.elapsed(elapsedSeconds))" }
    out.append(when + ".")
    out.append("")
    out.append(contentsOf: machineLines())
    out.append("")
    out.append(
      "How to read: **median** and **p90** of the wall-clock time per iteration (one core unless the name says "
        + "all cores); **allocations** = heap allocations (mallocs) per iteration, median, the harness's own "
        + "included; **ratio** = median / median of the reference (the raw C floor on GMP, or NTL in the same "
        + "process): 1.00 is as fast as the raw library, above 1 slower; **ratio of bests** = fastest iteration / "
        + "the reference's fastest, the figure other processes disturb least (the floors run minutes before the "
        + "suites, so under load the medians of the two sides are taken at different moments).")
    if let chartPath {
      out.append("")
      out.append("![time per operation against parameters, and batch throughput on 1 and all cores](\(chartPath))")
    }
    out.append(contentsOf: scalingMarkdown())
    for build in buildNames {
      for suite in suites(in: build) {
        out.append("")
        out.append(buildNames.count > 1 ? "## \(suite) (\(build) build)" : "## \(suite)")
        out.append("")
        out.append("| operation | parameters | median | p90 | allocations | reference (median) | ratio | ratio of bests |")
        out.append("|---|---|---:|---:|---:|---|---:|---:|")
        for result in results where result.suite == suite && result.build == build {
          let reference = result.reference.map { "\($0.source): \(Format.escape($0.name)) (\(Format.duration($0.median)))" }
          out.append(
            "| \(Format.escape(result.operation)) | \(result.parameters) | \(Format.duration(result.median)) | "
              + "\(Format.duration(result.p90)) | \(result.mallocs.map { Format.count($0) } ?? "") | \(reference ?? "") | "
              + "\(result.ratio.map { String(format: "%.2f", $0) } ?? "") | "
              + "\(result.bestRatio.map { String(format: "%.2f", $0) } ?? "") |")
        }
      }
    }
    if !floors.isEmpty {
      out.append("")
      out.append("## Raw floors")
      out.append("")
      out.append("Plain C on GMP (`Benchmarks/raw/*.c`) and C++ on NTL (`*.cpp`), one core, built with the flags above.")
      out.append("")
      out.append("| program | operation | parameters | min | median | p90 | GMP allocations |")
      out.append("|---|---|---|---:|---:|---:|---:|")
      for floor in floors {
        out.append(
          "| \(floor.program) | \(Format.escape(floor.operation)) | \(floor.parameters) | \(Format.duration(floor.min)) | "
            + "\(Format.duration(floor.median)) | \(Format.duration(floor.p90)) | "
            + "\(floor.allocations.map { String(format: "%.1f", $0) } ?? "") |")
      }
    }
    out.append("")
    return out.joined(separator: "\n")
  }

  /// The builds that have results, `default` first.
  var buildNames: [String] {
    var names: [String] = []
    for result in results where !names.contains(result.build) { names.append(result.build) }
    return names.sorted { ($0 == "default" ? 0 : 1, $0) < ($1 == "default" ? 0 : 1, $1) }
  }

  func suites(in build: String) -> [String] {
    var names: [String] = []
    for result in results where result.build == build && !names.contains(result.suite) { names.append(result.suite) }
    return names.sorted {
      (Self.suiteOrder.firstIndex(of: $0) ?? Int.max, $0) < (Self.suiteOrder.firstIndex(of: $1) ?? Int.max, $1)
    }
  }

  func machineLines() -> [String] {
    var lines: [String] = []
    var machineText = "**Machine**: \(machine.cpu), \(machine.cores) cores"
    if let memory = machine.memoryGiB { machineText += String(format: ", %.0f GiB", memory) }
    if let kernel = machine.kernel { machineText += ", \(kernel)" }
    lines.append(machineText + ".")
    if let start = machine.loadAverageStart?.first {
      let end = machine.loadAverageEnd?.first
      var load = String(format: "**Load average** (1 min) %.1f at the start", start)
      if let end { load += String(format: ", %.1f at the end", end) }
      let busiest = max(start, end ?? 0)
      if busiest > Double(machine.cores) * 0.75 {
        load += String(
          format: ": other processes shared the %d cores, so every wall-clock figure here is inflated (compare "
            + "figures within this run, or re-run `make bench` on a quiet machine)", machine.cores)
      }
      lines.append(load + ".")
    }
    if !toolchain.isEmpty {
      lines.append(
        "**Toolchain**: " + toolchain.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ") + ".")
    }
    if !builds.isEmpty {
      lines.append("**Builds**: " + builds.map { "\($0.name) (`\($0.flags)`)" }.joined(separator: "; ") + ".")
    }
    return lines.map { $0 + "  " }
  }

  func scalingMarkdown() -> [String] {
    var out: [String] = []
    let panels = ScalingPanel.all.map { ($0, $0.series(in: self)) }.filter { !$0.1.isEmpty }
    let pairs = ThroughputPair.pairs(in: self)
    guard !panels.isEmpty || !pairs.isEmpty else { return out }
    out.append("")
    out.append("## Scaling")
    for (panel, series) in panels {
      let sizes = Array(Set(series.flatMap { $0.points.map(\.size) })).sorted()
      let prefix = panel.axis.hasPrefix("ring") ? "N=" : ""
      let suffix = panel.axis.hasPrefix("key") ? " bits" : ""
      out.append("")
      out.append("### \(panel.title)")
      out.append("")
      out.append("| operation | " + sizes.map { "\(prefix)\($0)\(suffix)" }.joined(separator: " | ") + " | growth per doubling |")
      out.append("|---|" + sizes.map { _ in "---:|" }.joined() + "---:|")
      for curve in series {
        let cells = sizes.map { size in curve.points.first { $0.size == size }.map { Format.duration($0.median) } ?? "" }
        out.append("| \(curve.label) | " + cells.joined(separator: " | ") + " | \(Format.growth(curve.points)) |")
      }
    }
    if !pairs.isEmpty {
      out.append("")
      out.append("### Batch throughput on 1 core and on all \(machine.cores) cores")
      out.append("")
      out.append("| batch | 1 core | all cores | speed-up |")
      out.append("|---|---:|---:|---:|")
      for pair in pairs {
        out.append(
          "| \(Format.escape(pair.label)) | \(Format.rate(pair.oneCoreRate)) | \(Format.rate(pair.allCoresRate)) | "
            + String(format: "%.2f× |", pair.speedup))
      }
    }
    return out
  }
}

/// Number formatting shared by the tables and the chart.
enum Format {
  /// A duration given in nanoseconds, in the unit that keeps 3–4 significant digits.
  static func duration(_ ns: Double) -> String {
    switch ns {
    case ..<1_000: return String(format: "%.0f ns", ns)
    case ..<1_000_000: return String(format: ns < 10_000 ? "%.2f µs" : ns < 100_000 ? "%.1f µs" : "%.0f µs", ns / 1e3)
    case ..<1_000_000_000: return String(format: ns < 1e7 ? "%.2f ms" : ns < 1e8 ? "%.1f ms" : "%.0f ms", ns / 1e6)
    default: return String(format: "%.2f s", ns / 1e9)
    }
  }

  static func elapsed(_ seconds: Double) -> String {
    seconds < 120 ? String(format: "%.0f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
  }

  static func count(_ value: Double) -> String {
    value >= 1e6 ? String(format: "%.2fM", value / 1e6) : value >= 1e4 ? String(format: "%.1fk", value / 1e3)
      : String(format: "%.0f", value)
  }

  static func rate(_ perSecond: Double) -> String {
    perSecond >= 1e4 ? String(format: "%.1fk/s", perSecond / 1e3) : String(format: "%.0f/s", perSecond)
  }

  /// The average factor per doubling of the size, from the first to the last point.
  static func growth(_ points: [(size: Int, median: Double)]) -> String {
    guard let first = points.first, let last = points.last, last.size > first.size, first.median > 0 else { return "" }
    let doublings = log2(Double(last.size) / Double(first.size))
    return String(format: "×%.2f", pow(last.median / first.median, 1 / doublings))
  }

  /// Text safe inside a Markdown table cell.
  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "^", with: "\\^")
  }
}
