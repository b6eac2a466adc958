import BFV
import BigNum
@testable import EncryptedAnalytics
import Foundation
import Paillier
import Testing

/// Many parties' fixed-point vectors (model updates) summed under one public
/// key; only the aggregate is decrypted.
@Suite("Secure aggregation")
struct SecureAggregationTests {
  /// Five parties' updates of 10 coordinates in [−1, 1], deterministic.
  static let updates: [[Double]] = (0..<5).map { p in (0..<10).map { i in sin(Double(p * 10 + i)) } }

  /// The exact fixed-point sum at f = 16.
  static func fixedSum(_ updates: [[Double]]) -> [Double] {
    (0..<updates[0].count).map { i in Diabetes.fixedSum(updates.map { $0[i] }, 16) }
  }

  @Test("Paillier: five parties, the key holder decrypts the sum and the mean")
  func paillier() throws {
    let key = try #require(AnalyticsPaillierTests.key)
    let encoding = try SecureAggregation.VectorEncoding(dimension: 10, coordinateBound: 1, normBound: 3)
    var aggregator = try SecureAggregation.PaillierAggregator(encoding: encoding, publicKey: key.publicKey)
    for update in Self.updates {
      let party = try SecureAggregation.PaillierParty(encoding: encoding, publicKey: key.publicKey)
      try aggregator.add(party.encrypt(update))
    }
    let result = try key.decrypt(aggregator.release())
    #expect(result.parties == 5 && result.sum == Self.fixedSum(Self.updates))
    let mean = (0..<10).map { i in Self.updates.reduce(0) { $0 + $1[i] } / 5 }
    for (a, b) in zip(result.mean, mean) { #expect(abs(a - b) <= result.sumErrorBound / 5 + 1e-12) }
    // Gaussian noise with the ℓ2 norm bound as sensitivity: σ = 3·2^16·√(1/(2ρ)).
    let noisy = try key.decrypt(aggregator.release(privacy: .gaussian(epsilon: 1, delta: 1e-5)))
    let share = try #require(noisy.privacy?.shares.first)
    #expect(share.sensitivity == 3)
    #expect(noisy.sum != result.sum)
    for (a, b) in zip(noisy.sum, result.sum) { #expect(abs(a - b) < 10 * share.noiseStandardDeviation) }
    // Refusals: another dimension, a coordinate or a norm beyond the bounds.
    let party = try SecureAggregation.PaillierParty(encoding: encoding, publicKey: key.publicKey)
    #expect(throws: AnalyticsError.dimensionMismatch(expected: 10, found: 3)) { try party.encrypt([0, 0, 0]) }
    #expect(throws: AnalyticsError.self) { try party.encrypt([1.5] + Array(repeating: 0, count: 9)) }
    #expect(throws: AnalyticsError.self) { try party.encrypt(Array(repeating: 1, count: 10)) }  // norm √10 > 3
    #expect(throws: AnalyticsError.self) { try aggregator.add(Array(try party.encrypt(Self.updates[0]).prefix(4))) }
    #expect(throws: AnalyticsError.self) { try SecureAggregation.VectorEncoding(dimension: 0, coordinateBound: 1) }
  }

  @Test("BFV: 5 parties × 5000 coordinates (two ciphertexts per prime), noise flooded at N = 4096")
  func bfv() throws {
    let encoding = try SecureAggregation.VectorEncoding(dimension: 5000, coordinateBound: 1)
    let context = try SecureAggregation.BFVContext(encoding: encoding, maximumParties: 64)
    #expect(context.ciphertextsPerVector == 2)
    let keys = BFVKeyHolder(context: context)
    let updates = (0..<5).map { p in (0..<5000).map { i in sin(Double(p * 5000 + i)) } }
    var aggregator = try SecureAggregation.BFVAggregator(context: context, publicKeys: keys.publicKeys)
    for update in updates {
      try aggregator.add(SecureAggregation.BFVParty(context: context, publicKeys: keys.publicKeys).encrypt(update))
    }
    let result = try keys.decrypt(aggregator.release())  // flooded
    #expect(result.parties == 5 && result.sum == Self.fixedSum(updates))
    let noisy = try keys.decrypt(aggregator.release(privacy: .laplace(epsilon: 1)))
    let share = try #require(noisy.privacy?.shares.first)
    #expect(share.sensitivity == 5000)  // ℓ1: 5000 coordinates of at most 1
    #expect(noisy.sum != result.sum)
    let largest = zip(noisy.sum, result.sum).map { abs($0 - $1) }.max() ?? 0
    #expect(largest < 30 * share.noiseStandardDeviation)
    #expect(throws: AnalyticsError.self) { try aggregator.add([]) }
  }
}
