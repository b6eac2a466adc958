import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier encryption and decryption")
struct EncryptionTests {
  @Test("known answers with injected r match python-paillier's raw_encrypt", arguments: [1024, 2048])
  func standardKnownAnswers(bits: Int) throws {
    let vectors = PheVectors.key(bits: bits)
    let key = try Paillier.PrivateKey(insecureJWK: Data(vectors.privateJWK.utf8))
    for kat in vectors.standardKAT {
      let c = try key.publicKey.insecureEncrypt(big(kat.m), randomness: .standard(r: big(kat.r)))
      #expect(c.value == big(kat.c))
      #expect(try key.decrypt(c) == big(kat.m))
    }
  }

  @Test("known answers with injected alpha: c = (1 + m n) h_s^alpha mod n^2")
  func djnKnownAnswers() throws {
    let key = TestKeys.small
    let pk = key.publicKey
    for (m, alpha) in [(BigInteger(0), BigInteger(1)), (5, 12345), (-9, (BigInteger(1) << 511) - 1)] {
      let c = try pk.insecureEncrypt(m, randomness: .djn(alpha: alpha))
      let expected = try ((m.modulo(pk.n) * pk.n + 1) * pk.djnBase.power(alpha, modulus: pk.nSquared)).modulo(pk.nSquared)
      #expect(c.value == expected)
      #expect(try key.decrypt(c) == m)
    }
    let plain = try pk.insecureEncrypt(7, randomness: .none)
    #expect(plain.value == 7 * pk.n + 1)
  }

  @Test("both modes, the key owner's CRT encryption and phe's ciphertexts all decrypt alike")
  func modesAgree() throws {
    let key = TestKeys.small
    for _ in 0..<4 {
      let m = randomSigned(bits: 900)
      let djn = try key.publicKey.encrypt(m)
      let standard = try key.publicKey.encrypt(m, mode: .standard)
      let owner = try key.encrypt(m)
      #expect(djn.value != standard.value)
      for c in [djn, standard, owner] { #expect(try key.decrypt(c) == m) }
    }
    let extremes = [key.publicKey.maxInt, -key.publicKey.maxInt, 0, 1, -1]
    for m in extremes { #expect(try key.decrypt(key.publicKey.encrypt(m)) == m) }
  }

  @Test("a fresh obfuscator each time: equal plaintexts give different ciphertexts")
  func probabilistic() throws {
    let pk = TestKeys.small.publicKey
    let values = try (0..<8).map { _ in try pk.encrypt(1).value }
    #expect(Set(values).count == 8)
  }

  @Test("plaintexts outside |m| <= n/3 - 1 are refused")
  func outOfRange() throws {
    let pk = TestKeys.small.publicKey
    let limit = PaillierError.plaintextOutOfRange(limit: pk.maxInt)
    #expect(throws: limit) { try pk.encrypt(pk.maxInt + 1) }
    #expect(throws: limit) { try pk.encrypt(-pk.maxInt - 1) }
    #expect(throws: limit) { try pk.encrypt(pk.n) }
  }

  @Test("decryption validates 0 < c < n^2 and gcd(c, n) = 1")
  func invalidCiphertexts() throws {
    let key = TestKeys.small
    let pk = key.publicKey
    for bad in [BigInteger(0), pk.nSquared, pk.nSquared + 5, -(BigInteger(3)), key.p * 12345, key.q] {
      #expect(throws: PaillierError.invalidCiphertext) { try Paillier.Ciphertext(value: bad, publicKey: pk) }
    }
    let foreign = try TestKeys.other.publicKey.encrypt(3)
    #expect(throws: PaillierError.keyMismatch) { try key.decrypt(foreign) }
    #expect(throws: PaillierError.invalidRandomness) { try pk.insecureEncrypt(1, randomness: .standard(r: 0)) }
    #expect(throws: PaillierError.invalidRandomness) { try pk.insecureEncrypt(1, randomness: .standard(r: key.p)) }
    #expect(throws: PaillierError.invalidRandomness) { try pk.insecureEncrypt(1, randomness: .djn(alpha: -1)) }
  }

  @Test("a value in the overflow band fails to decode instead of wrapping")
  func overflowBand() throws {
    let key = TestKeys.small
    let pk = key.publicKey
    let middle = try pk.n / 2
    let c = try Paillier.Ciphertext(value: (middle * pk.n + 1).modulo(pk.nSquared), publicKey: pk)
    #expect(throws: PaillierError.decodingOverflow) { try key.decrypt(c) }
    #expect(try key.decryptRaw(c) == middle)
  }

  // The limit guards against a hang, not speed: a minute in a debug build,
  // 10 leave room for ThreadSanitizer (5-15x slower) on a busy machine.
  @Test("concurrent encryption from many tasks shares one DJN table", .timeLimit(.minutes(10)))
  func concurrentEncryption() async throws {
    let key = TestKeys.other
    let pk = key.publicKey
    let results = try await withThrowingTaskGroup(of: (Int, Paillier.Ciphertext).self) { group in
      for i in 0..<32 { group.addTask { (i, try pk.encrypt(i * 1000 - 7)) } }
      var out: [(Int, Paillier.Ciphertext)] = []
      for try await result in group { out.append(result) }
      return out
    }
    #expect(results.count == 32)
    for (i, c) in results { #expect(try key.decrypt(c) == BigInteger(i * 1000 - 7)) }
    #expect(Set(results.map(\.1.value)).count == 32)
  }

  @Test("batch encryption and decryption over all cores keep order")
  func batches() throws {
    let key = TestKeys.small
    let values = (0..<20).map { BigInteger($0 * $0 - 50) }
    let cts = try key.publicKey.encrypt(batch: values)
    #expect(try key.decrypt(batch: cts) == values)
    let standard = try key.publicKey.encrypt(batch: values, mode: .standard)
    #expect(try key.decrypt(batch: standard) == values)
    #expect(throws: PaillierError.plaintextOutOfRange(limit: key.publicKey.maxInt)) {
      try key.publicKey.encrypt(batch: [1, key.publicKey.n])
    }
  }

  @Test("3072-bit round trip (the default size) with a key from fixed primes")
  func defaultSize() throws {
    // Two 1536-bit primes, found once with GMP's nextprime from fixed seeds.
    let key = try FixedKeys.key3072()
    #expect(key.publicKey.bitWidth == 3072)
    let m = randomSigned(bits: 3000)
    #expect(try key.decrypt(key.publicKey.encrypt(m)) == m)
    #expect(try key.decrypt(key.publicKey.encrypt(m, mode: .standard)) == m)
  }
}

enum FixedKeys {
  /// A 3072-bit key from primes derived deterministically (nextprime above
  /// fixed 1536-bit values), so tests avoid a slow random search.
  static func key3072() throws -> Paillier.PrivateKey {
    let p = ((BigInteger(3) << 1534) + 0x1234_5678_9abc_def1).nextPrime()
    let q = ((BigInteger(3) << 1534) + (BigInteger(1) << 1500) + 0x0fed_cba9_8765_4321).nextPrime()
    return try Paillier.PrivateKey(p: p, q: q)
  }
}
