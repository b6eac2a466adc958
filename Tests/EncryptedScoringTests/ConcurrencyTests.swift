import BFV
import EncryptedScoring
import Foundation
import Paillier
import PolyRing
import Tabular
import Testing
import _TestSupport

/// Scoring and encryption from many concurrent tasks that share keys, the
/// DJN table and the BFV parameter sets give what serial code gives.
@Suite("Concurrent scoring and encryption")
struct ConcurrencyTests {
  static let tasks = 32

  @Test("Paillier: concurrent scores equal serial ones bit for bit; concurrent encryptions decrypt alike")
  func paillier() async throws {
    let key = try Paillier.PrivateKey.insecureGenerate(bits: 1024)
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let scorer = EncryptedLinearModel(model)
    let rows = Array(data.features.prefix(Self.tasks))
    let records = try rows.map { row in try row.map { try key.publicKey.encrypt($0) } }
    let serial = try records.map { try scorer.score($0).value }
    let concurrent = try await withThrowingTaskGroup(of: (Int, Paillier.Ciphertext).self) { group in
      for (i, record) in records.enumerated() { group.addTask { (i, try scorer.score(record)) } }
      var results = [Paillier.Ciphertext?](repeating: nil, count: records.count)
      for try await (i, score) in group { results[i] = score }
      return results.compactMap { $0 }
    }
    #expect(concurrent.map(\.value) == serial)
    // Encryption: every task shares the key's lazily built DJN table.
    let fresh = try Paillier.PrivateKey.insecureGenerate(bits: 1024)
    let values = (0..<Self.tasks).map { Double($0) * 1.25 - 7 }
    let decrypted = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
      for (i, value) in values.enumerated() {
        group.addTask { (i, try fresh.decryptDouble(try fresh.publicKey.encrypt(value))) }
      }
      var results = [Double](repeating: .nan, count: values.count)
      for try await (i, value) in group { results[i] = value }
      return results
    }
    #expect(decrypted == values)
  }

  @Test("BFV batch: concurrent scores equal serial ones; concurrent encryptions decrypt alike")
  func bfv() async throws {
    // Three features keep it quick in a debug build: 4 batches × 3 features × K moduli encryptions.
    let features = ["mean radius", "mean texture", "worst area"]
    let data = try Dataset(contentsOf: bundledData("breast_cancer.csv"), features: features, target: "target")
    let model = try LinearModel.train(.logistic, on: data)
    let scorer = try BFVBatchScorer(model, featureRanges: FixedPointLinearModel.ranges(of: data), preset: .n4096)
    let client = BFVBatchClient(for: scorer)
    let batches = try (0..<4).map { k in try client.encrypt(Array(data.features[(k * 16)..<(k * 16 + 16)])) }
    let serial = try batches.map { try client.decryptScores(scorer.score($0)) }
    let concurrent = try await withThrowingTaskGroup(of: (Int, [Int128]).self) { group in
      for (i, batch) in batches.enumerated() { group.addTask { (i, try client.decryptScores(scorer.score(batch))) } }
      var results = [[Int128]](repeating: [], count: batches.count)
      for try await (i, scores) in group { results[i] = scores }
      return results
    }
    #expect(concurrent == serial)
    // Encryptions from concurrent tasks sharing the client's keys.
    let reencrypted = try await withThrowingTaskGroup(of: (Int, [Int128]).self) { group in
      for k in 0..<batches.count {
        let rows = Array(data.features[(k * 16)..<(k * 16 + 16)])
        group.addTask { (k, try client.decryptScores(scorer.score(client.encrypt(rows)))) }
      }
      var results = [[Int128]](repeating: [], count: batches.count)
      for try await (k, scores) in group { results[k] = scores }
      return results
    }
    #expect(reencrypted == serial)
    // The exact fixed-point scores, whatever the order of work.
    for (k, scores) in serial.enumerated() {
      let expected = try data.features[(k * 16)..<(k * 16 + 16)].map { try scorer.encoding.score(quantized: scorer.encoding.quantize($0)) }
      #expect(scores == expected)
    }
  }

  @Test("BFV encryption: concurrent tasks sharing a public key and its NTT tables give the serial ciphertexts bit for bit")
  func bfvEncryptionBitForBit() async throws {
    let parameters = try BFV.Parameters(preset: .n4096)
    let publicKey = BFV.SecretKey(parameters: parameters).publicKey()
    let encoder = BFV.Encoder(parameters: parameters)
    // The same generator seed per task in both runs: encryption is then a
    // function of its inputs, and any interference between tasks shows.
    @Sendable func encrypt(_ i: Int) throws -> [UInt8] {
      var seed = [UInt8](repeating: 0, count: SeededGenerator.seedByteCount)
      seed[0] = UInt8(i)
      var generator = try SeededGenerator(seed: seed)
      let plaintext = try encoder.encode((0..<64).map { UInt64(($0 * 31 + i) % 1000) })
      return try publicKey.encrypt(plaintext, using: &generator).serialized()
    }
    let serial = try (0..<Self.tasks).map(encrypt)
    let concurrent = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
      for i in 0..<Self.tasks { group.addTask { (i, try encrypt(i)) } }
      var results = [[UInt8]](repeating: [], count: Self.tasks)
      for try await (i, bytes) in group { results[i] = bytes }
      return results
    }
    #expect(concurrent == serial)
    #expect(Set(serial).count == Self.tasks)  // distinct seeds, distinct ciphertexts
  }
}
