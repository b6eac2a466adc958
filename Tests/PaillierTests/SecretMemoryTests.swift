import BigNum
import Foundation
import Paillier
import Testing

/// A private key's integers are all marked secret, however the key was made:
/// BigNum zeroes a secret integer's limbs before GMP frees them (BigNumTests'
/// "Secret memory" suite watches GMP's free for that), so marked means wiped
/// on release.
@Suite("Paillier secret key memory")
struct SecretMemoryTests {
  /// Every `BigInteger` the key stores (found by reflection, so a field added
  /// later is checked too), by name; the public key is not the key's secret.
  static func integers(of key: Paillier.PrivateKey) -> [(String, BigInteger)] {
    Mirror(reflecting: key).children.compactMap { child in
      guard let name = child.label, let value = child.value as? BigInteger else { return nil }
      return (name, value)
    }
  }

  static let keys: [(String, @Sendable () throws -> Paillier.PrivateKey)] = [
    ("generated", { try Paillier.PrivateKey.insecureGenerate(bits: 512) }),
    ("read from python-paillier's JWK", { try Paillier.PrivateKey(jwk: Data(PheVectors.key(bits: 2048).privateJWK.utf8)) }),
    ("built from p and q", {
      let key = TestKeys.small
      // Fresh, unmarked copies of the primes (from their digits), in the other order.
      return try Paillier.PrivateKey(insecureP: try BigInteger(key.q.description), q: try BigInteger(key.p.description))
    }),
  ]

  @Test("every secret integer of a private key is marked secret (wiped on release)", arguments: 0..<3)
  func everyIntegerSecret(_ index: Int) throws {
    let (how, make) = Self.keys[index]
    let key = try make()
    let integers = Self.integers(of: key)
    // p, q, p², q², p − 1, q − 1, hp, hq, p⁻¹ mod q, (p²)⁻¹ mod q² at least.
    #expect(integers.count >= 10, "\(how): found \(integers.map(\.0))")
    for (name, value) in integers {
      #expect(value.isSecret, "\(how): \(name) is not marked secret")
    }
    #expect(!key.publicKey.n.isSecret)
  }
}
