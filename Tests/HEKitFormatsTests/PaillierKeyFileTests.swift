import Foundation
import HEKitFormats
import Paillier
import Testing

/// Paillier key and ciphertext files as every HEKit program reads them.
@Suite("Paillier key files")
struct PaillierKeyFileTests {
  static let key: Paillier.PrivateKey = {
    do { return try Paillier.PrivateKey.insecureGenerate(bits: 2048) } catch { fatalError("key generation failed: \(error)") }
  }()

  @Test("public from public or private; private refused where asked; public refused as a private key")
  func keys() throws {
    let publicJWK = Data(Self.key.publicKey.jwkString(kid: "k").utf8)
    let privateJWK = Data(Self.key.jwkString().utf8)
    #expect(PaillierKeyFile.isPrivate(privateJWK) && !PaillierKeyFile.isPrivate(publicJWK))
    #expect(try PaillierKeyFile.publicKey(publicJWK, file: "k.pub.json").n == Self.key.publicKey.n)
    #expect(try PaillierKeyFile.publicKey(privateJWK, file: "k.key.json").n == Self.key.publicKey.n)
    #expect(throws: FormatError.privateKeyRefused(file: "k.key.json")) {
      try PaillierKeyFile.publicKey(privateJWK, file: "k.key.json", refusingPrivate: true)
    }
    #expect(throws: FormatError.privateKeyRequired(file: "k.pub.json")) {
      try PaillierKeyFile.privateKey(publicJWK, file: "k.pub.json")
    }
    #expect(try PaillierKeyFile.privateKey(privateJWK, file: "k.key.json").publicKey.n == Self.key.publicKey.n)
  }

  @Test("a BFV file, garbage, and a ciphertext without a bound are refused by name")
  func refusals() throws {
    let bfv = Data("{\"format\": \"hekit-bfv-public-key\", \"version\": 1}\n".utf8)
    #expect(throws: FormatError.otherScheme(file: "b.pub", found: "BFV")) {
      try PaillierKeyFile.publicKey(bfv, file: "b.pub")
    }
    #expect(throws: FormatError.self) { try PaillierKeyFile.publicKey(Data("not json".utf8), file: "x") }
    let bounded = try Self.key.publicKey.encrypt(5)
    let text = Data(bounded.jsonString.utf8)
    let read = try PaillierKeyFile.ciphertext(text, file: "c.json", publicKey: Self.key.publicKey, requiringBound: true)
    #expect(try Self.key.decrypt(read) == 5)
    // python-paillier's layout carries no bound: refused where the window must be checked.
    var object = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
    object.removeValue(forKey: "bound")
    let unbounded = try JSONSerialization.data(withJSONObject: object)
    #expect(throws: FormatError.unboundedCiphertext(file: "p.json")) {
      try PaillierKeyFile.ciphertext(unbounded, file: "p.json", publicKey: Self.key.publicKey, requiringBound: true)
    }
    #expect(try PaillierKeyFile.ciphertext(unbounded, file: "p.json", publicKey: Self.key.publicKey).magnitudeBound == nil)
  }
}
