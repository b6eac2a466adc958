import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier threshold formats")
struct ThresholdFormatTests {
  static func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// `object` as JSON text with `key` set to the raw JSON `value` (nil removes it).
  static func replacing(_ text: String, _ key: String, with value: String?) throws -> String {
    var fields = try object(text).mapValues { value -> String in
      let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
      return String(decoding: data, as: UTF8.self)
    }
    fields[key] = value
    return "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
  }

  @Test("the threshold public key round trips and reads as an ordinary public key too")
  func publicKeyRoundTrip() throws {
    let (key, _) = ThresholdFixtures.threeOfFive
    let text = key.jsonString()
    let fields = try Self.object(text)
    #expect(fields["kty"] as? String == "DAJ" && fields["alg"] as? String == "PAI-GN1")
    #expect(fields["format"] as? String == "hekit-paillier-threshold-key")
    #expect(fields["version"] as? Int == 1 && fields["threshold"] as? Int == 3 && fields["parties"] as? Int == 5)
    #expect((fields["verification_keys"] as? [String])?.count == 5)
    #expect(fields["key_id"] as? String == key.identity && key.identity.count == 64)
    #expect(try BigInteger(base64URL: fields["n"] as! String) == key.publicKey.n)
    let reread = try Paillier.ThresholdPublicKey(insecureJSON: Data(text.utf8))
    #expect(reread == key && reread.identity == key.identity)
    #expect(reread.verificationKeys == key.verificationKeys && reread.verificationBase == key.verificationBase)
    #expect(reread.publicKey.djnBase == key.publicKey.djnBase)
    // Anyone with an ordinary reader can encrypt for the parties.
    let plain = try Paillier.PublicKey(insecureJWK: Data(text.utf8))
    #expect(plain == key.publicKey && plain.djnBase == key.publicKey.djnBase)
    #expect(throws: PaillierError.insecureKeySize(bits: 512, minimum: 2048)) {
      try Paillier.ThresholdPublicKey(json: Data(text.utf8))
    }
  }

  @Test("a share round trips, still matches its key and partially decrypts")
  func shareRoundTrip() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let text = shares[3].jsonString()
    let fields = try Self.object(text)
    #expect(fields["format"] as? String == "hekit-paillier-threshold-share")
    #expect(fields["index"] as? Int == 4 && fields["key_id"] as? String == key.identity)
    #expect(fields["kty"] == nil && fields["p"] == nil)
    let share = try Paillier.ThresholdKeyShare(insecureJSON: Data(text.utf8))
    #expect(share.index == 4 && share.thresholdKey == key)
    #expect(share.jsonString() == text)
    let c = try key.publicKey.encrypt(271_828)
    let partials = [try share.partialDecrypt(c), try shares[0].partialDecrypt(c), try shares[1].partialDecrypt(c)]
    #expect(try key.decrypt(c, partials: partials) == 271_828)
    #expect(throws: PaillierError.insecureKeySize(bits: 512, minimum: 2048)) {
      try Paillier.ThresholdKeyShare(json: Data(text.utf8))
    }
  }

  @Test("a share file never reads as a private key, nor a private key as a share")
  func shareIsNotAPrivateKey() throws {
    let (_, shares) = ThresholdFixtures.threeOfFive
    let text = shares[0].jsonString()
    #expect(throws: PaillierError.self) { try Paillier.PrivateKey(insecureJWK: Data(text.utf8)) }
    #expect(throws: PaillierError.self) { try Paillier.PrivateKey(jwk: Data(text.utf8)) }
    #expect(throws: PaillierError.self) { try Paillier.PublicKey(insecureJWK: Data(text.utf8)) }
    let privateText = TestKeys.small.jwkString()
    #expect(throws: PaillierError.self) { try Paillier.ThresholdKeyShare(insecureJSON: Data(privateText.utf8)) }
    #expect(throws: PaillierError.self) { try Paillier.ThresholdPublicKey(insecureJSON: Data(privateText.utf8)) }
    // An ordinary public key has no threshold fields.
    let publicText = TestKeys.small.publicKey.jwkString()
    #expect(throws: PaillierError.self) { try Paillier.ThresholdPublicKey(insecureJSON: Data(publicText.utf8)) }
  }

  @Test("a partial decryption round trips; it is refused under another key")
  func partialRoundTrip() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let c = try key.publicKey.encrypt(-5)
    let partial = try shares[2].partialDecrypt(c)
    let text = partial.jsonString
    let fields = try Self.object(text)
    #expect(fields["format"] as? String == "hekit-paillier-partial-decryption")
    let digest = try key.digest(of: c)
    #expect(fields["index"] as? Int == 3 && fields["ciphertext"] as? String == digest)
    #expect((fields["proof"] as? [String: Any])?.count == 2)
    let reread = try Paillier.PartialDecryption(json: Data(text.utf8), thresholdKey: key)
    #expect(reread == partial)
    try key.verify(reread, for: c)
    let (other, _) = ThresholdFixtures.otherTwoOfThree
    #expect(throws: PaillierError.partialKeyMismatch(party: 3)) {
      try Paillier.PartialDecryption(json: Data(text.utf8), thresholdKey: other)
    }
  }

  @Test("end to end through files: key, shares and partials written and read back, then combined")
  func endToEnd() throws {
    let (dealtKey, dealtShares) = try ThresholdFixtures.deal(threshold: 2, parties: 4)
    let keyText = dealtKey.jsonString()
    let shareTexts = dealtShares.map { $0.jsonString() }
    let key = try Paillier.ThresholdPublicKey(insecureJSON: Data(keyText.utf8))
    let encryptor = try Paillier.PublicKey(insecureJWK: Data(keyText.utf8))
    let c = try encryptor.encrypt(-1_000_001) + encryptor.encrypt(1)
    let partialTexts = try [shareTexts[3], shareTexts[1]].map { text in
      try Paillier.ThresholdKeyShare(insecureJSON: Data(text.utf8)).partialDecrypt(c).jsonString
    }
    let partials = try partialTexts.map { try Paillier.PartialDecryption(json: Data($0.utf8), thresholdKey: key) }
    let received = try Paillier.Ciphertext(json: Data(c.jsonString.utf8), publicKey: key.publicKey)
    #expect(try key.decrypt(received, partials: partials) == -1_000_000)
  }

  /// Hostile variants of a valid text: each must throw a PaillierError.
  static func hostile(_ text: String, integers: [String], digests: [String]) throws -> [(String, String)] {
    var cases: [(String, String)] = [
      ("empty", ""), ("array", "[]"), ("empty object", "{}"), ("truncated", String(text.dropLast())),
      ("duplicate key", String(text.dropLast()) + ", \"version\": 1}"),
      ("version 2", try replacing(text, "version", with: "2")),
      ("version 0", try replacing(text, "version", with: "0")),
      ("version as text", try replacing(text, "version", with: "\"1\"")),
      ("version true", try replacing(text, "version", with: "true")),
      ("no version", try replacing(text, "version", with: nil)),
      ("other format", try replacing(text, "format", with: "\"hekit-paillier-batch\"")),
      ("no format", try replacing(text, "format", with: nil)),
    ]
    for field in integers {
      for value in ["0", "-1", "6", "2.5", "1e400", "99999999999999999999", "\"3\"", "null"] {
        cases.append(("\(field) = \(value)", try replacing(text, field, with: value)))
      }
    }
    for field in digests {
      cases.append(("\(field) short", try replacing(text, field, with: "\"abc\"")))
      if field == "key_id" {  // a well-formed digest of another ciphertext is refused only when combined
        cases.append(("\(field) other", try replacing(text, field, with: "\"" + String(repeating: "0", count: 64) + "\"")))
      }
      cases.append(("\(field) uppercase", try replacing(text, field, with: "\"" + String(repeating: "A", count: 64) + "\"")))
    }
    return cases
  }

  @Test("hostile threshold public keys are refused with typed errors")
  func hostilePublicKeys() throws {
    let (key, _) = ThresholdFixtures.threeOfFive
    let text = key.jsonString()
    var cases = try Self.hostile(text, integers: ["threshold", "parties"], digests: ["key_id"])
    let keys = key.verificationKeys.map { "\"\((try? $0.base64URLString()) ?? "")\"" }
    cases += [
      ("a verification key missing", try Self.replacing(text, "verification_keys", with: "[" + keys.dropLast().joined(separator: ", ") + "]")),
      ("verification keys swapped", try Self.replacing(text, "verification_keys", with: "[" + [keys[1], keys[0]] .joined(separator: ", ") + ", " + keys[2...].joined(separator: ", ") + "]")),
      ("verification key 1", try Self.replacing(text, "verification_keys", with: "[\"AQ\", " + keys.dropFirst().joined(separator: ", ") + "]")),
      ("v = 1", try Self.replacing(text, "v", with: "\"AQ\"")),
      ("v altered", try Self.replacing(text, "v", with: "\"Ag\"")),
      ("no djn_hs", try Self.replacing(text, "djn_hs", with: nil)),
      ("threshold above parties", try Self.replacing(text, "threshold", with: "6")),
      ("n altered", try Self.replacing(text, "n", with: "\"\((try? (key.publicKey.n + 2).base64URLString()) ?? "")\"")),
    ]
    for (what, hostile) in cases {
      #expect(throws: PaillierError.self, "\(what)") { try Paillier.ThresholdPublicKey(insecureJSON: Data(hostile.utf8)) }
    }
    #expect(throws: PaillierError.malformedData("threshold public key: version 2 is not supported (this build reads 1)")) {
      try Paillier.ThresholdPublicKey(insecureJSON: Data(try Self.replacing(text, "version", with: "2").utf8))
    }
  }

  @Test("hostile shares are refused with typed errors")
  func hostileShares() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let (other, _) = ThresholdFixtures.otherTwoOfThree
    let text = shares[1].jsonString()
    var cases = try Self.hostile(text, integers: ["index", "threshold", "parties"], digests: ["key_id"])
    let share = try #require(try Self.object(text)["share"] as? String)
    let altered = try BigInteger(base64URL: share) + 1
    cases += [
      ("share altered", try Self.replacing(text, "share", with: "\"\(try altered.base64URLString())\"")),
      ("share zero", try Self.replacing(text, "share", with: "\"\"")),
      ("index of another party", try Self.replacing(text, "index", with: "3")),
      ("other public key", try Self.replacing(text, "public", with: other.jsonString())),
      ("no public key", try Self.replacing(text, "public", with: nil)),
      ("key_ops decrypt", try Self.replacing(text, "key_ops", with: "[\"decrypt\"]")),
      ("threshold 2", try Self.replacing(text, "threshold", with: "2")),
    ]
    for (what, hostile) in cases {
      #expect(throws: PaillierError.self, "\(what)") { try Paillier.ThresholdKeyShare(insecureJSON: Data(hostile.utf8)) }
    }
    #expect(throws: PaillierError.partyOutOfRange(party: 6, parties: 5)) {
      try Paillier.ThresholdKeyShare(insecureJSON: Data(try Self.replacing(text, "index", with: "6").utf8))
    }
    #expect(throws: PaillierError.invalidKey("the share of party 3 does not match its verification key")) {
      try Paillier.ThresholdKeyShare(insecureJSON: Data(try Self.replacing(text, "index", with: "3").utf8))
    }
    #expect(key.identity != other.identity)
  }

  @Test("hostile partial decryptions are refused with typed errors")
  func hostilePartials() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let c = try key.publicKey.encrypt(8)
    let text = try shares[4].partialDecrypt(c).jsonString
    var cases = try Self.hostile(text, integers: ["index"], digests: ["key_id", "ciphertext"])
    let huge = "\"" + (try (BigInteger(1) << 5000).base64URLString()) + "\""
    cases += [
      ("value 0", try Self.replacing(text, "value", with: "\"\"")),
      ("value n^2", try Self.replacing(text, "value", with: "\"\(try key.publicKey.nSquared.base64URLString())\"")),
      ("value n", try Self.replacing(text, "value", with: "\"\(try key.publicKey.n.base64URLString())\"")),
      ("value not base64url", try Self.replacing(text, "value", with: "\"!!\"")),
      ("no proof", try Self.replacing(text, "proof", with: nil)),
      ("proof not an object", try Self.replacing(text, "proof", with: "[1, 2]")),
      ("proof without z", try Self.replacing(text, "proof", with: "{\"e\": \"AQ\"}")),
      ("proof with more", try Self.replacing(text, "proof", with: "{\"e\": \"AQ\", \"z\": \"AQ\", \"x\": 1}")),
      ("huge e", try Self.replacing(text, "proof", with: "{\"e\": \(huge), \"z\": \"AQ\"}")),
      ("huge z", try Self.replacing(text, "proof", with: "{\"e\": \"AQ\", \"z\": \(huge)}")),
      ("duplicate key in proof", try Self.replacing(text, "proof", with: "{\"e\": \"AQ\", \"z\": \"AQ\", \"z\": \"Ag\"}")),
    ]
    for (what, hostile) in cases {
      #expect(throws: PaillierError.self, "\(what)") {
        try Paillier.PartialDecryption(json: Data(hostile.utf8), thresholdKey: key)
      }
    }
    #expect(throws: PaillierError.partyOutOfRange(party: 6, parties: 5)) {
      try Paillier.PartialDecryption(json: Data(try Self.replacing(text, "index", with: "6").utf8), thresholdKey: key)
    }
    // Well-formed but of another ciphertext: refused when combined, naming the party.
    let otherDigest = "\"" + (try key.digest(of: try key.publicKey.encrypt(8))) + "\""
    let moved = try Paillier.PartialDecryption(
      json: Data(try Self.replacing(text, "ciphertext", with: otherDigest).utf8), thresholdKey: key)
    #expect(throws: PaillierError.partialCiphertextMismatch(party: 5)) { try key.verify(moved, for: c) }
  }
}
