import BigNum
import Foundation
import Paillier
import Testing

/// Ciphertexts read from files keep the plaintext bound HEKit writes with
/// them, so operations on them are refused before they could leave the
/// window (issue 18, cases 1 and 2), and a ciphertext swapped under a bound
/// is caught at decryption.
@Suite("Paillier: bounds carried by files")
struct FileBoundTests {
  static let key = TestKeys.small

  /// `c` written and read back as a file would be.
  static func reread(_ c: Paillier.Ciphertext) throws -> Paillier.Ciphertext {
    try Paillier.Ciphertext(json: Data(c.jsonString.utf8), publicKey: key.publicKey)
  }

  @Test("a file carries the bound's size class, not the plaintext's bit length")
  func sizeClasses() throws {
    let pk = Self.key.publicKey
    for (value, bits) in [(BigInteger(0), 56), (BigInteger(1000), 56), (BigInteger(1) << 55, 56),
                          (-(BigInteger(1) << 56), 64), (-(BigInteger(1) << 63), 64), (BigInteger(1) << 64, 128), (BigInteger(1) << 100, 128), (BigInteger(1) << 300, 512),
                          (BigInteger(1) << 600, 768)] {
      let read = try Self.reread(try pk.encrypt(value))
      #expect(read.magnitudeBound == BigInteger(1) << bits, "\(value)")
      #expect(try Self.key.decrypt(read) == value)
    }
    // At most max_int.
    let top = try Self.reread(try pk.encrypt(pk.maxInt))
    #expect(top.magnitudeBound == pk.maxInt)
  }

  @Test("python-paillier's ciphertexts (no bound field) read with an unknown bound")
  func pheHasNoBound() throws {
    let c = try Self.key.publicKey.encrypt(7)
    let text = "{\"v\": \"\(c.value)\", \"e\": 0}"
    let read = try Paillier.Ciphertext(json: Data(text.utf8), publicKey: Self.key.publicKey)
    #expect(read.magnitudeBound == nil)
    #expect(try Self.key.decrypt(read) == 7)
  }

  @Test("E(max_int) × 3, E(5) × ⌊n/4⌋, E(2^900) × 10^9 from files are refused before computing")
  func productsLeavingTheWindow() throws {
    let pk = Self.key.publicKey
    let limit = PaillierError.plaintextOutOfRange(limit: pk.maxInt)
    let top = try Self.reread(try pk.encrypt(pk.maxInt))
    #expect(throws: limit) { try top * 3 }
    let five = try Self.reread(try pk.encrypt(5))
    #expect(throws: limit) { try five * (try pk.n / 4) }
    let big = try Self.reread(try pk.encrypt(BigInteger(1) << 900))
    #expect(throws: limit) { try big * 1_000_000_000 }
    // Within the window the same operations go through, exactly.
    #expect(try Self.key.decrypt(try Self.reread(try five * 1_000_000_000)) == 5_000_000_000)
  }

  @Test("E(max_int) + E(max_int) is refused at the addition, not at decryption")
  func sumLeavingTheWindow() throws {
    let pk = Self.key.publicKey
    let top = try Self.reread(try pk.encrypt(pk.maxInt))
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try top + top }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try top + pk.maxInt }
  }

  @Test("E(1e308) + E(1e-300) and E(1e308) + 1e-300: exponent alignment that cannot be exact is refused")
  func exponentAlignment() throws {
    let pk = Self.key.publicKey
    let large = try Self.reread(try pk.encrypt(1e308))
    let tiny = try Self.reread(try pk.encrypt(1e-300))
    let limit = PaillierError.plaintextOutOfRange(limit: pk.maxInt)
    #expect(throws: limit) { try large + tiny }
    #expect(throws: limit) { try tiny + large }
    #expect(throws: limit) { try large + 1e-300 }
    // Close exponents still add, to within a double's precision.
    let sum = try Self.reread(try large + (try Self.reread(try pk.encrypt(1e300))))
    #expect(abs(try Self.key.decryptDouble(sum) - 1.00000001e308) < 1e293)
  }

  @Test("a ciphertext swapped in under a smaller bound is refused at decryption")
  func swappedCiphertext() throws {
    let pk = Self.key.publicKey
    let big = try pk.encrypt(BigInteger(1) << 200)
    let small = try pk.encrypt(3)
    let forged = "{\"v\": \"\(big.value)\", \"e\": 0, \"bound\": \"\(small.publicBound!)\"}"
    let read = try Paillier.Ciphertext(json: Data(forged.utf8), publicKey: pk)
    #expect(throws: PaillierError.boundExceeded) { try Self.key.decrypt(read) }
  }

  @Test(
    "a bound that is not a decimal from 0 to max_int is refused",
    arguments: ["\"-1\"", "\"12x\"", "12", "null", "\"\"", "MAX"])
  func malformedBounds(bound: String) throws {
    let pk = Self.key.publicKey
    let c = try pk.encrypt(1)
    let text = bound == "MAX" ? "\"\(pk.maxInt + 1)\"" : bound
    let json = "{\"v\": \"\(c.value)\", \"e\": 0, \"bound\": \(text)}"
    #expect(throws: PaillierError.self) { try Paillier.Ciphertext(json: Data(json.utf8), publicKey: pk) }
  }

  @Test("JSON naming a key twice is refused: ciphertexts, keys, batch records")
  func duplicateKeys() throws {
    let pk = Self.key.publicKey
    let c = try pk.encrypt(1)
    let twice = "{\"v\": \"\(c.value)\", \"e\": 0, \"e\": -8}"
    #expect(throws: PaillierError.malformedData("ciphertext: the key \"e\" appears twice in one JSON object")) {
      try Paillier.Ciphertext(json: Data(twice.utf8), publicKey: pk)
    }
    let jwk = pk.jwkString()
    let doubled = jwk.replacingOccurrences(of: "{", with: "{\"n\": \"AQAB\", ")
    #expect(throws: PaillierError.self) { try Paillier.PublicKey(insecureJWK: Data(doubled.utf8)) }
    #expect(throws: PaillierError.self) { try Paillier.Batch.parseRecord("[\(twice)]", publicKey: pk) }
  }
}

@Suite("Paillier: key material no generator would make is refused on load")
struct KeyMaterialTests {
  @Test("a private key with p = 5 and a large q (n = 5q) is refused")
  func unequalFactors() throws {
    let q = (BigInteger(1) << 2045).nextPrime()
    #expect(throws: PaillierError.invalidKey("p and q must be of equal size (p has 3 bits, q 2046)")) {
      try Paillier.PrivateKey(p: 5, q: q)
    }
  }

  @Test("a public key whose n has a small factor, or is prime, is refused")
  func badModuli() throws {
    let q = (BigInteger(1) << 2046).nextPrime()
    #expect(throws: PaillierError.invalidKey("n has the small factor 3, so it is not the product of two large primes")) {
      try Paillier.PublicKey(n: 3 * q)
    }
    #expect(throws: PaillierError.invalidKey("n has the small factor 9973, so it is not the product of two large primes")) {
      try Paillier.PublicKey(n: 9973 * q)
    }
    let prime = (BigInteger(1) << 2047).nextPrime()
    #expect(throws: PaillierError.invalidKey("n is prime, not the product of two large primes (anyone could decrypt)")) {
      try Paillier.PublicKey(n: prime)
    }
  }
}
