import BFV
import Foundation
import PolyRing
import Testing

/// Known answers with fixed seeds: keys, encryptions and a product of the
/// tiny parameter set, bit for bit, from Tests/Vectors/BFV/tiny-n16.txt.
/// Set HEKIT_REGENERATE_VECTORS=1 to rewrite the file (after a deliberate
/// format or sampling change).
@Suite struct KnownAnswerTests {
  static let url = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Vectors/BFV/tiny-n16.txt")

  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  static func computed() throws -> [(String, String)] {
    let p = Fixtures.tiny
    var generator = testGenerator(90)
    let secretKey = BFV.SecretKey(insecureParameters: p, using: &generator)
    let publicKey = secretKey.publicKey(using: &generator)
    let encoder = BFV.Encoder(parameters: p)
    let plaintext = try encoder.encode((0..<16).map { UInt64($0 * 17 % 257) })
    let x = try publicKey.encrypt(plaintext, using: &generator)
    let seed = [UInt8](repeating: 7, count: 32)
    let y = try secretKey.encrypt(plaintext, seed: seed, using: &generator)
    let product = try x.multiplied(by: y)
    let decrypted = try encoder.decode(try secretKey.decrypt(product))
    return [
      ("parameters", String(p.identity, radix: 16)),
      ("secretKey", hex(secretKey.serialized())),
      ("publicKey", hex(publicKey.serialized())),
      ("plaintext", hex(plaintext.serialized())),
      ("publicKeyCiphertext", hex(x.serialized())),
      ("seededCiphertext", hex(y.serialized())),
      ("product", hex(product.serialized())),
      ("decryptedProduct", decrypted.map(String.init).joined(separator: ",")),
    ]
  }

  @Test func matchesTheStoredVectors() throws {
    let lines = try Self.computed()
    if ProcessInfo.processInfo.environment["HEKIT_REGENERATE_VECTORS"] == "1" {
      let text = lines.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
      try text.write(to: Self.url, atomically: true, encoding: .utf8)
    }
    let stored = try String(contentsOf: Self.url, encoding: .utf8)
      .split(separator: "\n").map { line -> (String, String) in
        let parts = line.split(separator: " ", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
      }
    #expect(stored.map(\.0) == lines.map(\.0))
    for (expected, actual) in zip(stored, lines) {
      #expect(expected.1 == actual.1, "\(actual.0) differs from the stored vector")
    }
    // The product decrypts to the slot-wise squares.
    let squares: [UInt64] = (0..<16).map { (k: Int) -> UInt64 in
      let v = UInt64(k * 17 % 257)
      return v * v % 257
    }
    #expect(lines.last?.1 == squares.map(String.init).joined(separator: ","))
  }

  /// Format version 1 (before ciphertexts moved to evaluation form): the
  /// ciphertexts written then, kept in Tests/Vectors/BFV/tiny-n16-v1.txt
  /// with the keys that made them, still read and decrypt to the same slots.
  @Test func readsFormatVersionOneCiphertexts() throws {
    let url = Self.url.deletingLastPathComponent().appendingPathComponent("tiny-n16-v1.txt")
    var lines: [String: [UInt8]] = [:]
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0] != "decryptedProduct", parts[0] != "parameters" else { continue }
      let text = Array(parts[1].utf8)
      lines[String(parts[0])] = stride(from: 0, to: text.count, by: 2).map {
        UInt8(String(decoding: text[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
      }
    }
    let p = Fixtures.tiny
    let secretKey = try BFV.SecretKey(deserializing: lines["secretKey"]!, parameters: p)
    let encoder = BFV.Encoder(parameters: p)
    let values = (0..<16).map { UInt64($0 * 17 % 257) }
    for name in ["publicKeyCiphertext", "seededCiphertext"] {
      let bytes = lines[name]!
      #expect(bytes[4] == 1)
      let x = try BFV.Ciphertext(deserializing: bytes, parameters: p)
      #expect(try encoder.decode(try secretKey.decrypt(x)) == values, "\(name)")
      // Written back in the current version, it reads again to the same slots.
      let again = try BFV.Ciphertext(deserializing: x.serialized(), parameters: p)
      #expect(try encoder.decode(try secretKey.decrypt(again)) == values, "\(name)")
    }
    let product = try BFV.Ciphertext(deserializing: lines["product"]!, parameters: p)
    #expect(product.polynomialCount == 3)
    #expect(try encoder.decode(try secretKey.decrypt(product)) == values.map { $0 * $0 % 257 })
  }
}
