import BFV
import BigNum
@testable import EncryptedAnalytics
import Foundation
import Tabular
import Testing

/// BFV analytics at N = 4096 on the diabetes data: records in slots with
/// interleaved quantities, slot sums by rotation, CRT over several primes.
@Suite("Analytics under BFV")
struct AnalyticsBFVTests {
  static let columns = ["age", "bmi", "bp"]

  /// All 442 rows (two ciphertexts per modulus), f = 8; keys made once per run.
  static let shared: (Analytics.Schema, Analytics.BFVContext, BFVKeyHolder, [[Double]])? = {
    guard let schema = try? Diabetes.schema(fractionBits: 8),
      let context = try? Analytics.BFVContext(schema: schema, preset: .n4096, maximumRecords: 1024),
      let rows = try? Diabetes.rows(columns, 442)
    else { return nil }
    return (schema, context, BFVKeyHolder(context: context), rows)
  }()

  static func setUp() throws -> (Analytics.Schema, Analytics.BFVContext, BFVKeyHolder, [[Double]]) {
    try #require(shared)
  }

  @Test("the layout: stride, records per ciphertext, moduli for the largest total")
  func layout() throws {
    let (schema, context, _, _) = try Self.setUp()
    // 3 values + 3 squares + 4 bins + the count: 11 classes, stride 16, 256 records per ciphertext.
    #expect(context.stride == 16 && context.recordsPerCiphertext == 256)
    #expect(context.space.rotationSteps == [16, 32, 64, 128, 256, 512, 1024])
    // Largest total: 1024 · (140·2^8)² · 2^16 < 2^57, so T needs 58 bits: three 20-bit primes.
    #expect(context.space.moduliCount == 3 && context.space.plaintextBits >= 58)
    #expect(Set((0..<4096).map { context.classOf(slot: context.slot(record: $0 / 16, class: $0 % 16)) }).count == 16)
    #expect(throws: AnalyticsError.self) {
      try Analytics.BFVContext(schema: schema, preset: .n4096, plaintextBitWidth: 12)
    }
  }

  @Test("totals of 442 records match the plaintext; weighted sums; flooding needs N = 8192")
  func statistics() throws {
    let (schema, context, keys, rows) = try Self.setUp()
    let client = try Analytics.BFVClient(context: context, publicKeys: keys.publicKeys)
    // Two clients: 300 and 142 records, the weighted sums alongside.
    let weights = (0..<442).map { Double($0 % 5) - 1.5 }
    var aggregator = try Analytics.BFVAggregator(
      context: context, galoisKeys: keys.galoisKeys, publicKeys: keys.publicKeys, weightFractionBits: 1)
    try aggregator.add(client.encrypt(Array(rows.prefix(300))), weights: Array(weights.prefix(300)))
    try aggregator.add(client.encrypt(Array(rows.dropFirst(300))), weights: Array(weights.dropFirst(300)))
    #expect(aggregator.count == 442)
    #expect(throws: AnalyticsError.self) { try aggregator.release(.all) }  // flooding at N = 4096
    let result = try keys.decrypt(aggregator.release(.all, flooding: false))
    Diabetes.check(result, rows, schema)
    for (j, name) in Self.columns.enumerated() {
      // Weights are multiples of 1/2, exact at g = 1: the weighted sum is exact in fixed point.
      let exact = zip(rows, weights).reduce(0.0) { $0 + Double(sign: .plus, exponent: -8, significand: ($1.0[j] * 256).rounded()) * $1.1 }
      #expect(result[name]?.weightedSum == exact)
    }
    #expect(throws: AnalyticsError.self) { try aggregator.add(client.encrypt(Array(rows.prefix(3)))) }  // weights missing
  }

  @Test("differential privacy: masked release of means and histograms, every total noised")
  func privacy() throws {
    let (_, context, keys, rows) = try Self.setUp()
    var aggregator = try Analytics.BFVAggregator(context: context, galoisKeys: keys.galoisKeys, publicKeys: keys.publicKeys)
    try aggregator.add(Analytics.BFVClient(context: context, publicKeys: keys.publicKeys).encrypt(Array(rows.prefix(200))))
    let result = try keys.decrypt(aggregator.release([.mean, .histogram], privacy: .laplace(epsilon: 2), flooding: false))
    let statement = try #require(result.privacy)
    // The count, three sums and one histogram; no squares (masked out, not released).
    #expect(statement.shares.map(\.name) == ["count", "sum(age)", "sum(bmi)", "sum(bp)", "histogram(age)"])
    #expect(result["bmi"]?.variance == nil && result["bmi"]?.sum == nil)
    let count = try #require(result.count)
    #expect(abs(count - 200) < 40 * Int(statement.shares[0].noiseStandardDeviation.rounded(.up)))
    let histogram = try #require(result["age"]?.histogram)
    let exact = Diabetes.histogram(rows.prefix(200).map { $0[0] }, Diabetes.ageEdges)
    #expect(histogram.count == 4)
    for (bin, value) in zip(exact, histogram) { #expect(abs(bin - value) < 100) }  // scale 2.5
    let mean = try #require(result["bp"]?.mean)
    let plain = Diabetes.moments(rows.prefix(200).map { $0[2] }).mean
    #expect(mean != plain && abs(mean - plain) < 20)  // the sum's noise has scale 5·140·2^8/2: never 0 in practice
  }

  @Test("bad input: too many records, wrapping noise, keys of other parameters")
  func errors() throws {
    let schema = try Analytics.Schema(columns: [.init("x", range: 0...1)], fractionBits: 4, includesSquares: false)
    let context = try Analytics.BFVContext(schema: schema, preset: .n4096, maximumRecords: 8, headroomBits: 0)
    let keys = BFVKeyHolder(context: context)
    let client = try Analytics.BFVClient(context: context, publicKeys: keys.publicKeys)
    #expect(throws: AnalyticsError.tooManyRecords(count: 9, maximum: 8)) { try client.encrypt(Array(repeating: [0.5], count: 9)) }
    #expect(throws: TabularError.emptyInput(what: "no records to encrypt")) { try client.encrypt([]) }
    #expect(throws: AnalyticsError.self) { try client.encrypt([[2]]) }
    var aggregator = try Analytics.BFVAggregator(context: context, galoisKeys: keys.galoisKeys, publicKeys: keys.publicKeys)
    #expect(throws: TabularError.self) { try aggregator.release(.sum, flooding: false) }
    try aggregator.add(client.encrypt(Array(repeating: [1], count: 8)))
    #expect(throws: AnalyticsError.tooManyRecords(count: 9, maximum: 8)) { try aggregator.add(client.encrypt([[1]])) }
    // Noise of scale 10¹² far beyond T: refused before anything is computed, never wrapped.
    #expect(throws: AnalyticsError.self) { try aggregator.release(.sum, privacy: .laplace(epsilon: 1e-12), flooding: false) }
    #expect(throws: AnalyticsError.self) { try aggregator.release(.variance, flooding: false) }
    let other = try Self.setUp().2  // three moduli where this context has one
    #expect(throws: AnalyticsError.self) { try Analytics.BFVClient(context: context, publicKeys: other.publicKeys) }
    #expect(throws: AnalyticsError.self) {
      try Analytics.BFVAggregator(context: context, galoisKeys: other.galoisKeys, publicKeys: other.publicKeys)
    }
  }
}
