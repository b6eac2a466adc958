import BigNum
import DifferentialPrivacy
@testable import EncryptedAnalytics
import Foundation
import Paillier
import Tabular
import Testing
import _TestSupport

/// The bundled diabetes data, and its statistics computed in plaintext.
enum Diabetes {
  static let data = try? Dataset(contentsOf: bundledData("diabetes.csv"))

  /// The first `n` rows of `columns`.
  static func rows(_ columns: [String], _ n: Int) throws -> [[Double]] {
    let data = try #require(Self.data)
    let indices = try columns.map { try #require(data.featureNames.firstIndex(of: $0)) }
    return data.features.prefix(n).map { row in indices.map { row[$0] } }
  }

  /// Σ X for X = round(x·2^f), exactly (what an encrypted sum decrypts to).
  static func fixedSum(_ values: [Double], _ f: Int) -> Double {
    let total = values.reduce(Int64(0)) { $0 + Int64(Double(sign: .plus, exponent: f, significand: $1).rounded()) }
    return Double(sign: .plus, exponent: -f, significand: Double(total))
  }

  /// The plaintext mean and population variance.
  static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count))
  }

  /// The plaintext histogram over `edges` (last bin closed).
  static func histogram(_ values: [Double], _ edges: [Double]) -> [Int] {
    var counts = [Int](repeating: 0, count: edges.count - 1)
    for x in values { counts[min(edges.count - 2, edges.lastIndex { $0 <= x } ?? 0)] += 1 }
    return counts
  }

  /// Three diabetes columns; age binned.
  static let ageEdges: [Double] = [0, 30, 45, 60, 100]
  static func schema(fractionBits: Int = 16, squares: Bool = true) throws -> Analytics.Schema {
    try Analytics.Schema(
      columns: [
        .init("age", range: 0...100, histogramEdges: ageEdges), .init("bmi", range: 10...50), .init("bp", range: 40...140),
      ], fractionBits: fractionBits, includesSquares: squares)
  }

  /// Checks a result against the plaintext statistics of `rows`.
  static func check(_ result: Analytics.Result, _ rows: [[Double]], _ schema: Analytics.Schema) {
    #expect(result.count == rows.count)
    let f = schema.fractionBits
    for (j, column) in schema.columns.enumerated() {
      let values = rows.map { $0[j] }
      guard let c = result[column.name] else { Issue.record("no column \(column.name)"); continue }
      let (mean, variance) = moments(values)
      #expect(c.sum == fixedSum(values, f))  // the exact fixed-point total
      #expect(abs((c.sum ?? .nan) - values.reduce(0, +)) <= (c.sumErrorBound ?? 0) * (1 + 1e-9) + 1e-9)
      #expect(abs((c.mean ?? .nan) - mean) <= (c.meanErrorBound ?? 0) + 1e-12)
      #expect(abs((c.variance ?? .nan) - variance) <= (c.varianceErrorBound ?? 0) + 1e-9)
      let n = Double(rows.count)
      #expect(abs((c.sampleVariance ?? .nan) - variance * n / (n - 1)) <= (c.varianceErrorBound ?? 0) * n / (n - 1) + 1e-9)
      if let edges = column.histogramEdges { #expect(c.histogram == histogram(values, edges)) }
    }
  }
}

/// Paillier analytics on diabetes rows: encrypted sums, means, variances,
/// histograms and weighted sums against the plaintext; multi-party; noise.
@Suite("Analytics under Paillier")
struct AnalyticsPaillierTests {
  static let key = try? Paillier.PrivateKey.insecureGenerate(bits: 512)
  static let columns = ["age", "bmi", "bp"]

  @Test("count, sums, means, variances and histograms match the plaintext; two clients merge")
  func statistics() throws {
    let key = try #require(Self.key)
    let schema = try Diabetes.schema()
    let rows = try Diabetes.rows(Self.columns, 60)
    let client = try Analytics.PaillierClient(schema: schema, publicKey: key.publicKey)
    // Two clients' halves: one aggregator each, merged (a second shard or party).
    var first = try Analytics.PaillierAggregator(schema: schema, publicKey: key.publicKey)
    var second = first
    try first.add(client.encrypt(Array(rows.prefix(25))))
    try second.add(client.encrypt(Array(rows.dropFirst(25)), firstLine: 27))
    try first.merge(second)
    #expect(first.count == 60)
    let release = try first.release(.all)
    #expect(release.privacy == nil && release.totals.count == schema.quantities.count)
    let result = try key.decrypt(release)
    Diabetes.check(result, rows, schema)
    // The values are python-paillier encodings at exponent −f/4: they decrypt to x.
    let one = try client.encrypt([[59, 32.1, 101]])[0]
    #expect(try key.decryptDouble(one[0]) == 59 && abs(try key.decryptDouble(one[1]) - 32.1) < 1e-5)
    #expect(one.map(\.exponent) == [-4, -4, -4, -8, -8, -8, 0, 0, 0, 0])
    // Only the mean: no variance, no histogram, no squares decrypted.
    let mean = try key.decrypt(first.release(.mean))
    #expect(mean["bmi"]?.mean == result["bmi"]?.mean && mean["bmi"]?.variance == nil && mean["age"]?.histogram == nil)
  }

  @Test("weighted sums: Σ w·x with exact weights")
  func weightedSums() throws {
    let key = try #require(Self.key)
    let schema = try Diabetes.schema(squares: false)
    let rows = try Diabetes.rows(Self.columns, 30)
    let weights = (0..<30).map { Double($0 % 7) * 0.25 - 0.5 }
    var aggregator = try Analytics.PaillierAggregator(schema: schema, publicKey: key.publicKey)
    try aggregator.add(try Analytics.PaillierClient(schema: schema, publicKey: key.publicKey).encrypt(rows), weights: weights)
    let result = try key.decrypt(aggregator.release([.sum]))
    for (j, name) in Self.columns.enumerated() {
      let exact = zip(rows, weights).reduce(0.0) { $0 + $1.0[j] * $1.1 }
      let c = try #require(result[name])
      #expect(abs((c.weightedSum ?? .nan) - exact) <= (c.weightedSumErrorBound ?? 0) + 1e-9)
    }
    #expect(throws: AnalyticsError.self) { try aggregator.add([], weights: nil) }
  }

  @Test("differential privacy: every released total is noised, within its stated noise")
  func privacy() throws {
    let key = try #require(Self.key)
    let schema = try Diabetes.schema()
    let rows = try Diabetes.rows(Self.columns, 40)
    var aggregator = try Analytics.PaillierAggregator(schema: schema, publicKey: key.publicKey)
    try aggregator.add(Analytics.PaillierClient(schema: schema, publicKey: key.publicKey).encrypt(rows))
    let exact = try key.decrypt(aggregator.release(.all))
    let noisy = try key.decrypt(aggregator.release(.all, privacy: .laplace(epsilon: 1)))
    let statement = try #require(noisy.privacy)
    // Shares: the count, 3 sums, 3 sums of squares, 1 histogram.
    #expect(statement.shares.count == 8 && statement.description.contains("1.0-differentially private"))
    let sums = statement.shares.filter { $0.name.hasPrefix("sum(") && !$0.name.contains("²") }
    #expect(sums.map(\.sensitivity) == [100, 50, 140])  // max |x| of each range
    for (name, share) in zip(Self.columns, sums) {
      let difference = try #require(noisy[name]?.sum) - (try #require(exact[name]?.sum))
      #expect(difference != 0)  // the noise's scale is 8·max|X| units: P(0) < 10⁻⁶
      #expect(abs(difference) < 40 * share.noiseStandardDeviation)
    }
    // Gaussian: (ε, δ).
    let gaussian = try key.decrypt(aggregator.release([.sum], privacy: .gaussian(epsilon: 1, delta: 1e-6)))
    #expect(gaussian["bp"]?.sum != exact["bp"]?.sum && gaussian.privacy?.shares.count == 3)
  }

  @Test("bad input: a typed error naming the problem")
  func errors() throws {
    let key = try #require(Self.key)
    let schema = try Diabetes.schema()
    let client = try Analytics.PaillierClient(schema: schema, publicKey: key.publicKey)
    #expect(throws: AnalyticsError.valueOutOfRange(feature: "bmi", value: 55, range: 10...50)) {
      try client.encrypt([[50, 55, 100]])
    }
    #expect(throws: TabularError.nonFiniteValue(line: 3, column: "bp")) { try client.encrypt([[50, 20, 100], [50, 20, .nan]]) }
    #expect(throws: TabularError.self) { try client.encrypt([[50, 20]]) }
    #expect(throws: AnalyticsError.self) { try Analytics.PaillierClient(schema: try Diabetes.schema(fractionBits: 10), publicKey: key.publicKey) }
    #expect(throws: AnalyticsError.self) { try Analytics.Schema(columns: [.init("a", range: 0...1, histogramEdges: [0.5, 1])]) }
    #expect(throws: AnalyticsError.self) { try Analytics.Schema(columns: [.init("a", range: 0...1, histogramEdges: [0, 2, 1])]) }
    #expect(throws: TabularError.duplicateColumn("a")) { try Analytics.Schema(columns: [.init("a", range: 0...1), .init("a", range: 0...1)]) }
    #expect(throws: AnalyticsError.self) { try Analytics.Schema(columns: [.init("a", range: 0...1e20)], fractionBits: 16) }
    #expect(throws: AnalyticsError.self) { try Analytics.Statistics(parsing: "mean,median") }
    // CSV cells: missing, not a number.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hekit-analytics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("d.csv")
    try "age,bmi,bp\n50,20,100\n51,,90\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect(throws: TabularError.missingValue(line: 3, column: "bmi")) { try client.encrypt(csvAt: csv) }
    try "age,bmi,bp\n50,20,100\n51,x1,90\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect(throws: TabularError.notANumber(line: 3, column: "bmi", text: "x1")) { try client.encrypt(csvAt: csv) }
    try "age,bmi\n50,20\n".write(to: csv, atomically: true, encoding: .utf8)
    #expect(throws: TabularError.self) { try client.encrypt(csvAt: csv) }
    // The aggregator: nothing added, a variance without squares, records of another scale.
    var aggregator = try Analytics.PaillierAggregator(schema: schema, publicKey: key.publicKey)
    #expect(throws: TabularError.emptyInput(what: "no records to aggregate")) { try aggregator.release(.all) }
    let plain = try Diabetes.schema(squares: false)
    var noSquares = try Analytics.PaillierAggregator(schema: plain, publicKey: key.publicKey)
    try noSquares.add(Analytics.PaillierClient(schema: plain, publicKey: key.publicKey).encrypt([[50, 20, 100]]))
    #expect(throws: AnalyticsError.self) { try noSquares.release(.variance) }
    #expect(throws: DifferentialPrivacyError.self) { try noSquares.release(.mean, privacy: .laplace(epsilon: -1)) }
    let record = try client.encrypt([[50, 20, 100]])[0]
    #expect(throws: AnalyticsError.self) { try aggregator.add([Array(record.prefix(3))]) }
    #expect(throws: AnalyticsError.self) { try aggregator.add([[try record[0].decreasingExponent(to: -5)] + record.dropFirst()]) }
    #expect(throws: AnalyticsError.self) { try aggregator.add([record], weights: [1, 2]) }
    let other = try Paillier.PrivateKey.insecureGenerate(bits: 512)
    #expect(throws: PaillierError.keyMismatch) { try other.decrypt(try noSquares.release(.mean)) }
  }
}
