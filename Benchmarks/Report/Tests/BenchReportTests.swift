// The report generator on a small hand-written fixture (Fixtures/report.json:
// made-up figures, not measurements): names, references and ratios, scaling
// curves, throughput pairs, the Markdown and the SVG, and bad input.

import BenchReportKit
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

func fixtureReport() throws -> BenchReport {
  var report = try BenchReport.load(from: fixtures.appendingPathComponent("report.json"))
  report.attachReferences()
  return report
}

@Test(arguments: [
  ("Paillier encrypt djn 3072b", "Paillier encrypt djn", "3072b"),
  ("BFV multiply+relinearize N=8192 logq=218", "BFV multiply+relinearize", "N=8192 logq=218"),
  ("NTT forward N=4096 q=60b simd8", "NTT forward", "N=4096 q=60b simd8"),
  ("Paillier dot product 30 terms 64b weights 2048b", "Paillier dot product 30 terms 64b weights", "2048b"),
  ("BFV batch end-to-end 4096 records all cores N=4096", "BFV batch end-to-end 4096 records all cores", "N=4096"),
  ("BigNum baseline (empty iteration)", "BigNum baseline (empty iteration)", ""),
])
func namesSplitIntoOperationAndParameters(name: String, operation: String, parameters: String) {
  let split = BenchmarkName.split(name)
  #expect(split.operation == operation)
  #expect(split.parameters == parameters)
}

@Test func referencesAndRatios() throws {
  let report = try fixtureReport()
  let power = try #require(report.results.first { $0.name == "BigNum power 2048b" })
  #expect(power.reference?.source == "gmp_floor")
  #expect(power.reference?.median == 5_000_000)
  #expect(abs(try #require(power.ratio) - 1.02) < 1e-12)
  #expect(power.bestRatio == 1)  // 4.0 ms against 4.0 ms
  let encrypt = try #require(report.results.first { $0.name == "Paillier encrypt djn 2048b" })
  #expect(encrypt.reference?.name == "DJN encryption (mpn table) 2048b")
  #expect(encrypt.ratio == 1.25)
  // PolyRing against NTL's best case (its own FFT prime), never NTL's same-prime
  // rows; NTL in the same process wins over the standalone NTL floor.
  let ntt = try #require(report.results.first { $0.name == "NTT forward N=4096 q=60b scalar" })
  #expect(ntt.reference?.source == "PolyRingBenchmarks")
  #expect(ntt.reference?.name == "NTL zz_pX forward transform N=4096 q=60b FFT prime")
  #expect(ntt.reference?.median == 88_000)
  #expect(ntt.ratio == 0.5)
  // The in-process same-prime product is there but is not the reference: the
  // standalone floor's FFT-prime row is.
  let product = try #require(report.results.first { $0.name == "Negacyclic product N=4096 q=60b scalar" })
  #expect(product.reference?.source == "ntl_floor")
  #expect(product.reference?.name == "NTL zz_pX negacyclic product, FFT prime N=4096")
  #expect(product.ratio == 0.4)
  // No floor for 3072 bits in the fixture, none for BFV at all.
  #expect(report.results.first { $0.name == "Paillier encrypt djn 3072b" }?.reference == nil)
  #expect(report.results.first { $0.suite == "BFVBenchmarks" }?.reference == nil)
}

@Test func scalingCurvesAndThroughput() throws {
  let report = try fixtureReport()
  let paillier = ScalingPanel.all[0].series(in: report)
  let encrypt = try #require(paillier.first { $0.label == "encrypt (DJN)" })
  #expect(encrypt.points.map(\.size) == [2048, 3072, 4096])
  #expect(encrypt.points.map(\.median) == [1_000_000, 2_400_000, 4_000_000])
  #expect(paillier.first { $0.label == "decrypt (CRT)" }?.points.map(\.size) == [2048, 4096])
  let bfv = ScalingPanel.all[1].series(in: report)
  #expect(bfv.count == 1)  // only encryption has two or more degrees here
  #expect(bfv[0].points.map(\.size) == [4096, 8192, 16384])
  let pairs = ThroughputPair.pairs(in: report)
  #expect(pairs.count == 1)
  #expect(pairs[0].items == 32)
  #expect(pairs[0].speedup == 2)
  #expect(pairs[0].oneCoreRate == 400)
}

@Test func markdownHasTablesChartAndLoadWarning() throws {
  let markdown = try fixtureReport().markdown()
  #expect(markdown.contains("# HEKit benchmark report"))
  #expect(markdown.contains("in 6 min 12 s"))
  #expect(markdown.contains("Test CPU @ 2.0GHz, 2 cores"))
  #expect(markdown.contains("every wall-clock figure here is inflated"))
  #expect(markdown.contains("![time per operation"))
  #expect(markdown.contains("| operation | parameters | median | p90 | allocations | reference (median) | ratio | ratio of bests |"))
  #expect(markdown.contains("| BigNum power | 2048b | 5.10 ms | 6.00 ms | 17 | gmp_floor: power 2048b (5.00 ms) | 1.02 | 1.00 |"))
  #expect(markdown.contains("| encrypt (DJN) | 1.00 ms | 2.40 ms | 4.00 ms | ×4.00 |"))
  #expect(markdown.contains("| Paillier batch encrypt 32 djn 3072b | 400/s | 800/s | 2.00× |"))
  // Suites in layer order, BigNum first.
  let bigNum = try #require(markdown.range(of: "## BigNumBenchmarks"))
  let bfv = try #require(markdown.range(of: "## BFVBenchmarks"))
  #expect(bigNum.lowerBound < bfv.lowerBound)
}

@Test func chartIsSVGWithOneLinePerCurve() throws {
  let report = try fixtureReport()
  let svg = try #require(report.chartSVG())
  #expect(svg.hasPrefix("<?xml"))
  #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
  #expect(svg.hasSuffix("</svg>\n"))
  // Paillier: encrypt and decrypt; BFV: encrypt.
  #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
  #expect(svg.contains("N=16384"))
  #expect(svg.contains("×2.00"))
  #expect(svg.contains("1 core 400/s"))
  #expect(!svg.contains("& "))  // text is escaped
  // Well-formed XML.
  _ = try XMLDocument(data: Data(svg.utf8))
}

@Test func emptyReportDrawsNoChart() throws {
  var report = try fixtureReport()
  report.results = []
  #expect(report.chartSVG() == nil)
  #expect(!report.markdown(chartPath: nil).contains("!["))
}

@Test func badReportsAreRefusedWithThePath() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("benchreport-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let notJSON = directory.appendingPathComponent("a.json")
  try Data("{ not json".utf8).write(to: notJSON)
  #expect(throws: ReportError.self) { try BenchReport.load(from: notJSON) }
  let wrongFormat = directory.appendingPathComponent("b.json")
  try Data(#"{"format": "other", "version": 1}"#.utf8).write(to: wrongFormat)
  do {
    _ = try BenchReport.load(from: wrongFormat)
    Issue.record("a report of another format was accepted")
  } catch {
    #expect(error.description.contains(wrongFormat.path))
  }
  #expect(throws: ReportError.self) { try BenchReport.load(from: directory.appendingPathComponent("missing.json")) }
}

@Test func floorsAreReadAndCheckedForUnits() throws {
  let read = try FloorReader.floors(in: fixtures.appendingPathComponent("floors"))
  #expect(read.floors.count == 2)
  #expect(read.floors[0].operation == "power")
  #expect(read.floors[0].median == 5_000_000)
  #expect(read.libraries["GMP"] == "6.2.1")

  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("benchfloors-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  try Data(#"{"program": "x", "unit": "ms", "rows": []}"#.utf8).write(to: directory.appendingPathComponent("x.json"))
  #expect(throws: ReportError.self) { try FloorReader.floors(in: directory) }
}
