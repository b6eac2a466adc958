// The report's scaling views: time against key size and ring degree, and
// throughput at one core against all cores. Each is derived from the results
// by name, so a suite that adds a parameter set adds a point.

import Foundation

/// A curve: one operation's median time at each parameter size.
public struct ScalingSeries: Equatable, Sendable {
  /// The label in the chart's legend.
  public var label: String
  /// (size, median ns) in increasing size.
  public var points: [(size: Int, median: Double)]

  public static func == (lhs: ScalingSeries, rhs: ScalingSeries) -> Bool {
    lhs.label == rhs.label && lhs.points.map(\.size) == rhs.points.map(\.size)
      && lhs.points.map(\.median) == rhs.points.map(\.median)
  }
}

/// A chart panel of curves against one parameter.
public struct ScalingPanel: Sendable {
  /// The panel's title.
  public var title: String
  /// The x axis: `key size (bits)` or `ring degree N`.
  public var axis: String
  /// (legend label, operation name as in ``BenchReport/Result/operation``).
  public var operations: [(label: String, operation: String)]

  /// The panels of the report, in order.
  public static let all: [ScalingPanel] = [
    ScalingPanel(
      title: "Paillier: time per operation against key size", axis: "key size (bits)",
      operations: [
        ("encrypt (DJN)", "Paillier encrypt djn"),
        ("decrypt (CRT)", "Paillier decrypt (CRT)"),
        ("dot product, 30 terms", "Paillier dot product 30 terms 64b weights"),
        ("encrypt (standard r^n)", "Paillier encrypt standard"),
      ]),
    ScalingPanel(
      title: "BFV: time per operation against ring degree", axis: "ring degree N",
      operations: [
        ("encrypt (public key)", "BFV encrypt public-key"),
        ("decrypt", "BFV decrypt"),
        ("multiply + relinearise", "BFV multiply+relinearize"),
        ("rotate rows by 1", "BFV rotate rows by 1"),
        ("multiply by plaintext", "BFV multiply plaintext prepared"),
      ]),
  ]

  /// The panel's curves in `report` for one build (operations with fewer than
  /// two sizes are left out).
  public func series(in report: BenchReport, build: String = "default") -> [ScalingSeries] {
    operations.compactMap { label, operation in
      var bySize: [Int: Double] = [:]
      for result in report.results where result.build == build && result.operation == operation {
        if let size = BenchmarkName.size(of: result.parameters), bySize[size] == nil { bySize[size] = result.median }
      }
      guard bySize.count >= 2 else { return nil }
      return ScalingSeries(label: label, points: bySize.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
  }
}

/// The same batch measured on one core and on all cores.
public struct ThroughputPair: Equatable, Sendable {
  /// The batch's name without `1 core` / `all cores`.
  public var label: String
  /// Items (values or records) per iteration.
  public var items: Int
  /// Median ns per iteration on one core and on all cores.
  public var oneCore: Double
  public var allCores: Double

  /// Items per second on one core.
  public var oneCoreRate: Double { Double(items) / (oneCore / 1e9) }
  /// Items per second on all cores.
  public var allCoresRate: Double { Double(items) / (allCores / 1e9) }
  /// How many times faster all cores are.
  public var speedup: Double { oneCore / allCores }

  /// Every pair of results named `… 1 core …` and `… all cores …` (same
  /// suite and build) whose name holds `batch N`.
  public static func pairs(in report: BenchReport, build: String = "default") -> [ThroughputPair] {
    report.results.compactMap { one -> ThroughputPair? in
      guard one.build == build, one.name.contains(" 1 core") else { return nil }
      let allName = one.name.replacingOccurrences(of: " 1 core", with: " all cores")
      guard let all = report.results.first(where: { $0.name == allName && $0.suite == one.suite && $0.build == build }),
        let items = batchSize(one.name)
      else { return nil }
      let label = one.name.replacingOccurrences(of: " 1 core", with: "")
      return ThroughputPair(label: label, items: items, oneCore: one.median, allCores: all.median)
    }
  }

  /// The first whole number after the word `batch` in a name.
  static func batchSize(_ name: String) -> Int? {
    let words = name.split(separator: " ")
    guard let start = words.firstIndex(of: "batch") else { return nil }
    return words[(start + 1)...].lazy.compactMap { Int($0) }.first
  }
}
