import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier homomorphic algebra")
struct AlgebraTests {
  static let key = TestKeys.small
  static var pk: Paillier.PublicKey { key.publicKey }

  @Test("E(a) + E(b), E(a) + b, k E(a), -E(a), E(a) - E(b) over random values", arguments: 0..<6)
  func laws(round: Int) throws {
    let key = Self.key
    let a = randomSigned(bits: 400)
    let b = randomSigned(bits: 400)
    let k = randomSigned(bits: 64)
    let ea = try Self.pk.encrypt(a)
    let eb = try Self.pk.encrypt(b, mode: .standard)
    #expect(try key.decrypt(ea + eb) == a + b)
    #expect(try key.decrypt(ea + b) == a + b)
    #expect(try key.decrypt(b + ea) == a + b)
    #expect(try key.decrypt(ea * k) == a * k)
    #expect(try key.decrypt(k * ea) == a * k)
    #expect(try key.decrypt(-ea) == -a)
    #expect(try key.decrypt(ea - eb) == a - b)
    #expect(try key.decrypt(ea - b) == a - b)
    #expect(try key.decrypt(b - ea) == b - a)
    #expect(try key.decrypt(ea * 0) == 0)
    #expect(try key.decrypt(ea * -1) == -a)
    // Commutativity and associativity at the ciphertext level.
    #expect((try ea + eb).value == (try eb + ea).value)
    let ec = try Self.pk.encrypt(round)
    #expect(((try (ea + eb) + ec)).value == (try ea + (eb + ec)).value)
  }

  @Test("the call sites of the docs read as written")
  func callSites() throws {
    let a = try Self.pk.encrypt(42)
    let b = try Self.pk.encrypt(-8)
    let sum = try a + b * 3
    #expect(try Self.key.decrypt(sum) == 18)
  }

  @Test("re-randomisation changes the ciphertext, not the plaintext")
  func rerandomize() throws {
    let c = try Self.pk.encrypt(99)
    for mode in Paillier.EncryptionMode.allCases {
      let fresh = try c.rerandomized(mode: mode)
      #expect(fresh.value != c.value)
      #expect(try Self.key.decrypt(fresh) == 99)
    }
  }

  @Test("sum of many, with equal and mixed exponents")
  func sumOfMany() throws {
    let values = (0..<25).map { _ in randomSigned(bits: 200) }
    let cts = try values.map { try Self.pk.encrypt($0) }
    #expect(try Self.key.decrypt(Paillier.Ciphertext.sum(cts)) == values.reduce(0, +))
    let reals = [1.5, -0.25, 3.0, 1e-3]
    let realCts = try reals.map { try Self.pk.encrypt($0) }
    let total = try Self.key.decryptDouble(Paillier.Ciphertext.sum(realCts))
    #expect(abs(total - reals.reduce(0, +)) < 1e-12)
    #expect(throws: PaillierError.emptyInput) { try Paillier.Ciphertext.sum([]) }
  }

  @Test("dot product as one multi-exponentiation equals the sum of separate products", arguments: [1, 5, 30])
  func dotProduct(count: Int) throws {
    let values = (0..<count).map { _ in randomSigned(bits: 300) }
    let weights = (0..<count).map { _ in randomSigned(bits: 64) }
    let cts = try values.map { try Self.pk.encrypt($0) }
    let dot = try Paillier.Ciphertext.dotProduct(cts, weights)
    let expected = zip(values, weights).map { $0 * $1 }.reduce(0, +)
    #expect(try Self.key.decrypt(dot) == expected)
    let separate = try Paillier.Ciphertext.sum(zip(cts, weights).map { try $0 * $1 })
    #expect(dot.value == separate.value)  // same group element, computed jointly
  }

  @Test("dot product with real weights and mixed exponents")
  func realDotProduct() throws {
    let values = [2.5, -1.0, 0.125, 40.0]
    let weights = [0.5, -3.25, 8.0, 1e-2]
    let cts = try values.map { try Self.pk.encrypt($0) }
    let result = try Self.key.decryptDouble(Paillier.Ciphertext.dotProduct(cts, weights))
    #expect(abs(result - zip(values, weights).map { $0 * $1 }.reduce(0, +)) < 1e-9)
    #expect(throws: PaillierError.lengthMismatch(expected: 4, actual: 1)) {
      try Paillier.Ciphertext.dotProduct(cts, [1.0])
    }
  }

  @Test("mixing keys throws keyMismatch")
  func keyMismatch() throws {
    let a = try Self.pk.encrypt(1)
    let b = try TestKeys.other.publicKey.encrypt(1)
    #expect(throws: PaillierError.keyMismatch) { try a + b }
    #expect(throws: PaillierError.keyMismatch) { try a - b }
    #expect(throws: PaillierError.keyMismatch) { try Paillier.Ciphertext.sum([a, b]) }
    #expect(throws: PaillierError.keyMismatch) { try Paillier.Ciphertext.dotProduct([a, b], [BigInteger(1), 2]) }
    let encoded = try Paillier.EncodedNumber(BigInteger(3), publicKey: TestKeys.other.publicKey)
    #expect(throws: PaillierError.keyMismatch) { try a + encoded }
    #expect(throws: PaillierError.keyMismatch) { try a * encoded }
    #expect(throws: PaillierError.keyMismatch) { try Self.pk.encrypt(encoded) }
  }

  @Test("the magnitude bound propagates and stops an overflow before computing")
  func boundPropagation() throws {
    let pk = Self.pk
    let big = try pk.n / 4  // below maxInt
    let a = try pk.encrypt(big)
    #expect(a.magnitudeBound == big)
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try a + a }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try a * 2 }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try a - (-a) }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) {
      try Paillier.Ciphertext.dotProduct([a, a], [BigInteger(1), 1])
    }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try a.decreasingExponent(to: -1) }
    // A result that cancels is still refused: the bound is worst-case.
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try (a + 1) - (-a) }
    let small = try pk.encrypt(10)
    #expect(try (small * 3 + small).magnitudeBound == 40)
    #expect((-small).magnitudeBound == 10)
  }

  @Test("ciphertexts read from files have no bound: the check is skipped, decryption catches overflow")
  func unknownBound() throws {
    let pk = Self.pk
    let a = try Paillier.Ciphertext(value: pk.encrypt(try pk.n / 4).value, publicKey: pk)
    #expect(a.magnitudeBound == nil)
    let doubled = try a * 2  // not refused: the bound is unknown
    #expect(doubled.magnitudeBound == nil)
    #expect(throws: PaillierError.decodingOverflow) { try Self.key.decrypt(doubled) }
  }

  @Test("exponent alignment lowers the larger exponent, as python-paillier does")
  func alignment() throws {
    let a = try Self.pk.encrypt(1.5)  // exponent -13
    let b = try Self.pk.encrypt(2)  // exponent 0
    let sum = try a + b
    #expect(sum.exponent == min(a.exponent, b.exponent))
    #expect(try Self.key.decryptDouble(sum) == 3.5)
    let lowered = try b.decreasingExponent(to: -4)
    #expect(lowered.exponent == -4)
    #expect(try Self.key.decrypt(lowered) == 2)
    #expect(throws: PaillierError.cannotIncreaseExponent(from: -4, to: 0)) { try lowered.decreasingExponent(to: 0) }
    #expect(throws: PaillierError.notAnInteger(exponent: -13)) { try Self.key.decrypt(a) }
  }
}

@Suite("Paillier documentation examples")
struct DocumentationExampleTests {
  @Test("the overview example of Paillier.docc computes what it says")
  func overview() throws {
    let privateKey = TestKeys.small
    let publicKey = privateKey.publicKey
    let a = try publicKey.encrypt(42)
    let b = try publicKey.encrypt(-8)
    let sum = try a + b * 3
    #expect(try privateKey.decrypt(sum) == 18)
    let x = try publicKey.encrypt(2.5)
    let score = try Paillier.Ciphertext.dotProduct([x, a], [0.5, 2.0])
    #expect(try privateKey.decryptDouble(score) == 85.25)
  }
}
