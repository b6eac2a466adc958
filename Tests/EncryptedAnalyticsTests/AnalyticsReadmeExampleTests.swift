import EncryptedAnalytics
import Foundation
import Paillier
import Testing
import _TestSupport

/// The analytics example in README.md, line for line (with a 512-bit test
/// key and the data's path in the repository, to keep the debug test quick),
/// its printed output asserted.
@Test("README analytics example")
func readmeAnalyticsExample() throws {
  let schema = try Analytics.Schema(columns: [                        // public, shared by every party
    .init("age", range: 0...100, histogramEdges: [0, 30, 45, 60, 100]),
    .init("bmi", range: 10...50)])                                     // fixed point 2^-16, squares included
  let privateKey = try Paillier.PrivateKey.insecureGenerate(bits: 512)  // README: .generate(), the analyst's key
  let client = try Analytics.PaillierClient(schema: schema, publicKey: privateKey.publicKey)
  var aggregator = try Analytics.PaillierAggregator(schema: schema, publicKey: privateKey.publicKey)
  try aggregator.add(client.encrypt(csvAt: bundledData("diabetes.csv")))  // server: public key only
  let result = try privateKey.decrypt(aggregator.release([.mean, .variance, .histogram]))
  let noisy = try privateKey.decrypt(aggregator.release([.mean], privacy: .laplace(epsilon: 1)))
  let lines = [
    "\(result.count!) \(result["bmi"]!.mean!) \(result["bmi"]!.sampleVariance!) \(result["age"]!.histogram!)",
  ]
  #expect(lines == ["442 26.375792145189656 19.519799296889214 [44, 117, 178, 103]"])
  // The noised release: the count and the sums carry noise of the stated scale.
  let statement = try #require(noisy.privacy)
  #expect(statement.shares.map(\.name) == ["count", "sum(age)", "sum(bmi)"])
  #expect(noisy["bmi"]?.mean != result["bmi"]?.mean)
  #expect(abs(noisy["bmi"]!.mean! - result["bmi"]!.mean!) < 40 * statement.shares[2].noiseStandardDeviation / 400)
}
