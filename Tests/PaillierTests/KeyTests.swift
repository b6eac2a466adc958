import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier keys")
struct KeyTests {
  @Test("insecure 1024-bit generation: exact size, primes of half size, CRT constants secret")
  func generatedKeyShape() throws {
    let key = TestKeys.small
    let n = key.publicKey.n
    #expect(n.bitWidth == 1024)
    #expect(key.p.bitWidth == 512 && key.q.bitWidth == 512)
    #expect(key.p * key.q == n)
    #expect(key.p < key.q)
    #expect(key.p.isProbablePrime() && key.q.isProbablePrime())
    #expect((key.q - key.p) > BigInteger(1) << 412)
    #expect(n.greatestCommonDivisor(with: (key.p - 1) * (key.q - 1)) == 1)
    #expect(key.p.isSecret && key.q.isSecret)
    #expect(!n.isSecret)
    #expect(key.publicKey.maxInt == (try n / 3) - 1)
    // h_s is an n-th residue: it decrypts to 0.
    let hs = try Paillier.Ciphertext(value: key.publicKey.djnBase, publicKey: key.publicKey)
    #expect(try key.decryptRaw(hs) == 0)
  }

  // A hang guard with room for the sanitizers (4096-bit prime search under TSan).
  @Test("secure generation from 2048 to 4096 bits", .timeLimit(.minutes(10)), arguments: [2048, 3072, 4096])
  func secureGeneration(bits: Int) throws {
    let key = try Paillier.PrivateKey.generate(bits: bits)
    #expect(key.publicKey.bitWidth == bits)
    #expect(key.p.bitWidth == bits / 2 && key.q.bitWidth == bits / 2)
    #expect(key.p.isSecret && key.q.isSecret)
    let c = try key.publicKey.encrypt(-77, mode: bits == 4096 ? .standard : .djn)
    #expect(try key.decrypt(c) == -77)
  }

  @Test("the default key size is 3072 bits")
  func defaultSize() {
    #expect(Paillier.defaultKeyBits == 3072)
  }

  @Test("insecure sizes need the insecure entry points", arguments: [512, 1024, 2046])
  func insecureRefused(bits: Int) {
    #expect(throws: PaillierError.insecureKeySize(bits: bits, minimum: 2048)) {
      try Paillier.PrivateKey.generate(bits: bits)
    }
  }

  @Test("unsupported sizes", arguments: [2049, 4098, 8192])
  func unsupportedSizes(bits: Int) {
    #expect(throws: PaillierError.unsupportedKeySize(bits: bits)) { try Paillier.PrivateKey.generate(bits: bits) }
  }

  @Test("public keys below 2048 bits are refused unless insecure")
  func publicKeyFloor() throws {
    let n = TestKeys.small.publicKey.n
    #expect(throws: PaillierError.insecureKeySize(bits: 1024, minimum: 2048)) { try Paillier.PublicKey(n: n) }
    #expect(try Paillier.PublicKey(insecureN: n).n == n)
    #expect(throws: PaillierError.self) { try Paillier.PublicKey(insecureN: n + 1) }  // even
    #expect(throws: PaillierError.self) { try Paillier.PublicKey(insecureN: 0) }
  }

  @Test("private keys from primes are validated")
  func primeValidation() throws {
    let key = TestKeys.small
    #expect(throws: PaillierError.self) { try Paillier.PrivateKey(insecureP: key.p, q: key.p) }
    var composite = key.q + 2  // odd, of q's size, not prime (q + 2 itself is prime once in a few hundred keys)
    while composite.isProbablePrime() { composite += 2 }
    #expect(throws: PaillierError.self) { try Paillier.PrivateKey(insecureP: key.p, q: composite) }
    #expect(throws: PaillierError.self) {
      try Paillier.PrivateKey(insecureP: key.p, q: key.q, publicKey: TestKeys.other.publicKey)
    }
    #expect(throws: PaillierError.insecureKeySize(bits: 1024, minimum: 2048)) {
      try Paillier.PrivateKey(p: key.p, q: key.q)
    }
    let rebuilt = try Paillier.PrivateKey(insecureP: key.q, q: key.p)  // either order
    #expect(rebuilt.p == key.p)
    let c = try key.publicKey.encrypt(1234)
    #expect(try rebuilt.decrypt(c) == 1234)
  }

  @Test("p and q recovered from lambda (phi or Carmichael's lambda)")
  func lambdaRecovery() throws {
    let key = TestKeys.small
    let phi = (key.p - 1) * (key.q - 1)
    let carmichael = (key.p - 1).leastCommonMultiple(with: key.q - 1)
    for lambda in [phi, carmichael] {
      let recovered = try Paillier.PrivateKey(insecurePublicKey: key.publicKey, lambda: lambda)
      #expect(recovered.p == key.p && recovered.q == key.q)
    }
    #expect(throws: PaillierError.self) {
      try Paillier.PrivateKey(insecurePublicKey: key.publicKey, lambda: phi + 2)
    }
  }

  @Test("a DJN base that is not an n-th residue is refused with the private key")
  func badDJNBase() throws {
    let key = TestKeys.small
    let bad = try Paillier.PublicKey(insecureN: key.publicKey.n, djnBase: key.publicKey.n + 1)
    #expect(throws: PaillierError.invalidKey("the DJN base h_s is not an n-th residue")) {
      try Paillier.PrivateKey(insecureP: key.p, q: key.q, publicKey: bad)
    }
  }

  @Test("keys compare by modulus; the DJN table size is documented")
  func equalityAndTableSize() throws {
    let key = TestKeys.small.publicKey
    #expect(try Paillier.PublicKey(insecureN: key.n) == key)
    #expect(key != TestKeys.other.publicKey)
    #expect(key.djnTableByteCount == 64 * 255 * 32 * 8)
    let p = (BigInteger(1) << 1535).nextPrime()
    let big = try Paillier.PublicKey(n: p * (p + (BigInteger(1) << 1000)).nextPrime())
    #expect(big.djnTableByteCount == 192 * 255 * 96 * 8)  // 37.6 MB at 3072 bits
  }
}
