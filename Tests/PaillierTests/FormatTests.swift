import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier formats (python-paillier interop)")
struct FormatTests {
  @Test("pheutil keys load; phe's ciphertexts decrypt to phe's plaintexts", arguments: [1024, 2048])
  func pheCiphertexts(bits: Int) throws {
    let vectors = PheVectors.key(bits: bits)
    let key = try Paillier.PrivateKey(insecureJWK: Data(vectors.privateJWK.utf8))
    let pk = try Paillier.PublicKey(insecureJWK: Data(vectors.publicJWK.utf8))
    #expect(pk == key.publicKey)
    for vector in vectors.ciphertexts {
      let json = "{\"v\": \"\(vector.v)\", \"e\": \(vector.e)}"
      let c = try Paillier.Ciphertext(json: Data(json.utf8), publicKey: pk)
      #expect(c.exponent == vector.e)
      #expect(try key.decryptDouble(c) == pythonNumber(vector.plaintext))
    }
    let ops = vectors.operations
    let a = try Paillier.Ciphertext(value: big(ops.a.v), exponent: ops.a.e, publicKey: pk)
    let b = try Paillier.Ciphertext(value: big(ops.b.v), exponent: ops.b.e, publicKey: pk)
    #expect(try key.decryptDouble(a + b) == pythonNumber(ops.aPlusB))
    #expect(try key.decryptDouble(a * 3) == pythonNumber(ops.aTimes3))
    #expect(try key.decryptDouble(b * -2.5) == pythonNumber(ops.bTimesMinus25))
    #expect(try key.decryptDouble(a + 1.25) == pythonNumber(ops.aPlus125))
  }

  @Test("the older lambda/mu private key layout loads")
  func legacyKey() throws {
    let vectors = PheVectors.key(bits: 1024)
    let legacy = try Paillier.PrivateKey(insecureJWK: Data(vectors.legacyPrivateJWK.utf8))
    let modern = try Paillier.PrivateKey(insecureJWK: Data(vectors.privateJWK.utf8))
    #expect(legacy.p == modern.p && legacy.q == modern.q)
  }

  @Test("a 2048-bit pheutil key loads through the secure entry point; 1024 needs the insecure one")
  func secureLoading() throws {
    #expect(TestKeys.phe2048.publicKey.bitWidth == 2048)
    let small = PheVectors.key(bits: 1024)
    #expect(throws: PaillierError.insecureKeySize(bits: 1024, minimum: 2048)) {
      try Paillier.PrivateKey(jwk: Data(small.privateJWK.utf8))
    }
    #expect(throws: PaillierError.insecureKeySize(bits: 1024, minimum: 2048)) {
      try Paillier.PublicKey(jwk: Data(small.publicJWK.utf8))
    }
  }

  @Test("hekit's JWKs are pheutil's layout plus djn_hs, and round trip")
  func writeAndRead() throws {
    let key = TestKeys.small
    let publicText = key.publicKey.jwkString(kid: "test \"quoted\" kid")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(publicText.utf8)) as? [String: Any])
    #expect(object["kty"] as? String == "DAJ")
    #expect(object["alg"] as? String == "PAI-GN1")
    #expect(object["key_ops"] as? [String] == ["encrypt"])
    #expect(object["kid"] as? String == "test \"quoted\" kid")
    #expect(try BigInteger(base64URL: object["n"] as! String) == key.publicKey.n)
    #expect(try BigInteger(base64URL: object["djn_hs"] as! String) == key.publicKey.djnBase)
    let reread = try Paillier.PublicKey(insecureJWK: Data(publicText.utf8))
    #expect(reread == key.publicKey && reread.djnBase == key.publicKey.djnBase)

    let privateText = key.jwkString()
    let privateObject = try #require(try JSONSerialization.jsonObject(with: Data(privateText.utf8)) as? [String: Any])
    #expect(privateObject["key_ops"] as? [String] == ["decrypt"])
    #expect(privateObject["pub"] is [String: Any])
    let rekey = try Paillier.PrivateKey(insecureJWK: Data(privateText.utf8))
    #expect(rekey.p == key.p && rekey.q == key.q)
    let c = try key.publicKey.encrypt(-31)
    let text = c.jsonString
    // pheutil's fields first, then HEKit's bound (python-paillier ignores it): the size class 2^56.
    #expect(text.hasPrefix("{\"v\": \"") && text.hasSuffix("\", \"e\": 0, \"bound\": \"72057594037927936\"}"))
    #expect(try rekey.decrypt(Paillier.Ciphertext(json: Data(text.utf8), publicKey: reread)) == -31)
  }

  @Test(
    "malformed keys and ciphertexts throw typed errors",
    arguments: [
      "", "[]", "{}", "{\"kty\": \"RSA\", \"alg\": \"PAI-GN1\", \"n\": \"AQAB\"}",
      "{\"kty\": \"DAJ\", \"alg\": \"XYZ\", \"n\": \"AQAB\"}", "{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"n\": \"!!\"}",
      "{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"n\": 12345}", "{\"kty\": \"DAJ\", \"alg\": \"PAI-GN1\", \"n\": \"\"}",
    ])
  func malformedPublicKeys(text: String) {
    #expect(throws: PaillierError.self) { try Paillier.PublicKey(insecureJWK: Data(text.utf8)) }
  }

  @Test("malformed private keys")
  func malformedPrivateKeys() throws {
    let pub = TestKeys.small.publicKey.jwkString()
    let cases = [
      "{\"kty\": \"DAJ\", \"key_ops\": [\"decrypt\"]}",
      "{\"kty\": \"DAJ\", \"key_ops\": [\"encrypt\"], \"pub\": \(pub), \"p\": \"Aw\", \"q\": \"BQ\"}",
      "{\"kty\": \"DAJ\", \"pub\": \(pub), \"p\": \"Aw\", \"q\": \"BQ\"}",
      "{\"kty\": \"DAJ\", \"pub\": \(pub)}",
      "{\"kty\": \"DAJ\", \"pub\": \(pub), \"lambda\": \"Aw\"}",
    ]
    for text in cases {
      #expect(throws: PaillierError.self) { try Paillier.PrivateKey(insecureJWK: Data(text.utf8)) }
    }
  }

  @Test("malformed ciphertexts")
  func malformedCiphertexts() throws {
    let pk = TestKeys.small.publicKey
    for text in ["{}", "{\"v\": \"12x\", \"e\": 0}", "{\"v\": \"5\"}", "{\"v\": \"5\", \"e\": \"0\"}", "{\"v\": \"5\", \"e\": 1.5}", "nope"] {
      #expect(throws: PaillierError.self) { try Paillier.Ciphertext(json: Data(text.utf8), publicKey: pk) }
    }
    #expect(throws: PaillierError.invalidCiphertext) {
      try Paillier.Ciphertext(json: Data("{\"v\": \"0\", \"e\": 0}".utf8), publicKey: pk)
    }
  }

  @Test("batch files: header names the key; records are arrays of pheutil ciphertexts")
  func batchFormat() throws {
    let key = TestKeys.small
    let pk = key.publicKey
    let header = Paillier.Batch.header(for: pk)
    #expect(Paillier.Batch.isHeader(header))
    try Paillier.Batch.validateHeader(header, for: pk)
    #expect(throws: PaillierError.keyMismatch) { try Paillier.Batch.validateHeader(header, for: TestKeys.other.publicKey) }
    #expect(throws: PaillierError.self) { try Paillier.Batch.validateHeader("{\"format\": \"x\"}", for: pk) }
    let row = try [pk.encrypt(1), pk.encrypt(-2.5), pk.encrypt(3)]
    let line = Paillier.Batch.record(row)
    #expect(!line.contains("\n"))
    let parsed = try Paillier.Batch.parseRecord(line, publicKey: pk)
    #expect(parsed == row)
    #expect(throws: PaillierError.self) { try Paillier.Batch.parseRecord("{\"v\": \"1\"}", publicKey: pk) }
  }
}
