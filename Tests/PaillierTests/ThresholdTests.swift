import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier threshold decryption")
struct ThresholdTests {
  @Test("the fixtures are safe primes of 256 bits with their two top bits set")
  func fixturesAreSafePrimes() {
    for i in 0..<4 {
      let p = ThresholdFixtures.prime(i)
      #expect(p.bitWidth == 256 && p.bit(254))
      #expect(p.isProbablePrime() && ((p - 1) >> 1).isProbablePrime(), "fixture \(i)")
    }
  }

  @Test(
    "every subset of t parties (and more) decrypts; the plaintext matches the ordinary private key's",
    arguments: [(1, 1), (2, 3), (3, 5)])
  func anySubsetDecrypts(threshold: Int, parties: Int) throws {
    let (key, shares) = try ThresholdFixtures.deal(threshold: threshold, parties: parties)
    #expect(key.threshold == threshold && key.partyCount == parties)
    #expect(key.publicKey.n == ThresholdFixtures.prime(0) * ThresholdFixtures.prime(1))
    #expect(shares.map(\.index) == Array(1...parties))
    // The ordinary private key of the same modulus: a second decryption as oracle.
    let oracle = try Paillier.PrivateKey(
      insecureP: ThresholdFixtures.prime(0), q: ThresholdFixtures.prime(1), publicKey: key.publicKey)
    for value in [BigInteger(0), 1, -1, 123_456_789, randomSigned(bits: 160)] {
      let c = try key.publicKey.encrypt(value)
      let partials = try shares.map { try $0.partialDecrypt(c) }
      for subset in subsets(of: parties, size: threshold) {
        let chosen = subset.map { partials[$0 - 1] }
        #expect(try key.decrypt(c, partials: chosen) == value, "subset \(subset)")
        #expect(try key.decrypt(c, partials: chosen.reversed()) == value, "subset \(subset) reversed")
      }
      #expect(try key.decrypt(c, partials: partials) == value)  // all n: the lowest t are used
      #expect(try oracle.decrypt(c) == value)
      #expect(try key.decryptRaw(c, partials: partials) == (try oracle.decryptRaw(c)))
    }
  }

  @Test("t − 1 partial decryptions are refused with notEnoughShares", arguments: [(2, 3), (3, 5)])
  func tooFew(threshold: Int, parties: Int) throws {
    let (key, shares) = try ThresholdFixtures.deal(threshold: threshold, parties: parties)
    let c = try key.publicKey.encrypt(77)
    let partials = try shares.prefix(threshold - 1).map { try $0.partialDecrypt(c) }
    #expect(throws: PaillierError.notEnoughShares(have: threshold - 1, need: threshold)) {
      try key.decrypt(c, partials: partials)
    }
    #expect(throws: PaillierError.notEnoughShares(have: 0, need: threshold)) { try key.decrypt(c, partials: []) }
  }

  /// A copy of `partial` with some parts replaced.
  static func altered(
    _ partial: Paillier.PartialDecryption, index: Int? = nil, value: BigInteger? = nil, challenge: BigInteger? = nil,
    response: BigInteger? = nil
  ) -> Paillier.PartialDecryption {
    Paillier.PartialDecryption(
      index: index ?? partial.index, keyIdentity: partial.keyIdentity, ciphertextDigest: partial.ciphertextDigest,
      value: value ?? partial.value, challenge: challenge ?? partial.challenge, response: response ?? partial.response)
  }

  @Test("a tampered value, challenge, response or index fails the proof and names the party")
  func tampered() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let c = try key.publicKey.encrypt(-4242)
    let partials = try shares.map { try $0.partialDecrypt(c) }
    let nSquared = key.publicKey.nSquared
    let good = [partials[0], partials[3]]
    let target = partials[1]  // party 2
    let forgeries = [
      Self.altered(target, value: try (target.value * target.value).modulo(nSquared)),
      Self.altered(target, value: try (target.value * 4).modulo(nSquared)),
      Self.altered(target, challenge: target.challenge + 1),
      Self.altered(target, response: target.response + 1),
      Self.altered(target, response: target.response - key.publicKey.n),
    ]
    for forged in forgeries {
      #expect(throws: PaillierError.invalidPartialDecryption(party: 2)) {
        try key.decrypt(c, partials: good + [forged])
      }
      #expect(throws: PaillierError.invalidPartialDecryption(party: 2)) { try key.verify(forged, for: c) }
    }
    // Party 3's honest partial relabelled as party 2's.
    let relabelled = Self.altered(partials[2], index: 2)
    #expect(throws: PaillierError.invalidPartialDecryption(party: 2)) { try key.decrypt(c, partials: good + [relabelled]) }
    // A partial made with the right exponent but the proof of another ciphertext.
    let c2 = try key.publicKey.encrypt(5)
    let proofOfOther = try shares[1].partialDecrypt(c2)
    let mixed = Self.altered(target, challenge: proofOfOther.challenge, response: proofOfOther.response)
    #expect(throws: PaillierError.invalidPartialDecryption(party: 2)) { try key.decrypt(c, partials: good + [mixed]) }
    // The honest ones still decrypt once the cheat is left out.
    #expect(try key.decrypt(c, partials: good + [partials[4]]) == -4242)
    for partial in partials { try key.verify(partial, for: c) }
  }

  @Test("partials of another key or another ciphertext, duplicates and unknown parties are refused")
  func mismatches() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let (otherKey, otherShares) = ThresholdFixtures.otherTwoOfThree
    let c = try key.publicKey.encrypt(9)
    let partials = try shares.map { try $0.partialDecrypt(c) }
    // A share of another key cannot decrypt this key's ciphertext at all.
    #expect(throws: PaillierError.keyMismatch) { try otherShares[0].partialDecrypt(c) }
    // A partial made under another key (of that key's own ciphertext) is named.
    let foreignCiphertext = try otherKey.publicKey.encrypt(9)
    let foreign = try otherShares[2].partialDecrypt(foreignCiphertext)
    #expect(throws: PaillierError.partialKeyMismatch(party: 3)) {
      try key.decrypt(c, partials: [partials[0], partials[1], foreign])
    }
    #expect(throws: PaillierError.partialKeyMismatch(party: 3)) { try key.verify(foreign, for: c) }
    #expect(throws: PaillierError.keyMismatch) { try key.decrypt(foreignCiphertext, partials: partials) }
    // The same key, another dealing: same n, new shares, another identity.
    let (redealt, redealtShares) = try ThresholdFixtures.deal(threshold: 3, parties: 5)
    #expect(redealt.publicKey == key.publicKey && redealt != key)
    let c3 = try redealt.publicKey.encrypt(9)
    #expect(throws: PaillierError.partialKeyMismatch(party: 4)) {
      try key.decrypt(c, partials: [try redealtShares[3].partialDecrypt(c3), partials[0], partials[1]])
    }
    // A partial of another ciphertext under the same key.
    let c2 = try key.publicKey.encrypt(10)
    let ofOther = try shares[2].partialDecrypt(c2)
    #expect(throws: PaillierError.partialCiphertextMismatch(party: 3)) {
      try key.decrypt(c, partials: [partials[0], partials[1], ofOther])
    }
    // The same value with another exponent is the same ciphertext to a partial.
    let rescaled = try Paillier.Ciphertext(value: c.value, exponent: 0, publicKey: key.publicKey)
    #expect(try key.decrypt(rescaled, partials: Array(partials.prefix(3))) == 9)
    #expect(throws: PaillierError.duplicateParty(party: 2)) {
      try key.decrypt(c, partials: [partials[0], partials[1], partials[1], partials[3]])
    }
    #expect(throws: PaillierError.partyOutOfRange(party: 6, parties: 5)) {
      try key.decrypt(c, partials: partials.prefix(2) + [Self.altered(partials[2], index: 6)])
    }
    #expect(throws: PaillierError.partyOutOfRange(party: 0, parties: 5)) {
      try key.verify(Self.altered(partials[2], index: 0), for: c)
    }
  }

  @Test("a homomorphic sum, a scaled difference and a dot product decrypt by threshold")
  func homomorphic() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let pk = key.publicKey
    let values: [BigInteger] = [15, -3, 1_000_000, 42, -999]
    let ciphertexts = try values.map { try pk.encrypt($0) }
    var sum = ciphertexts[0]
    for c in ciphertexts.dropFirst() { sum = try sum + c }
    let parties = [shares[4], shares[1], shares[2]]
    #expect(try key.decrypt(sum, partials: parties.map { try $0.partialDecrypt(sum) }) == 999_055)
    let scaled = try (ciphertexts[0] - ciphertexts[1]) * 7
    #expect(try key.decrypt(scaled, partials: parties.map { try $0.partialDecrypt(scaled) }) == 126)
    let x = try pk.encrypt(2.5)
    let score = try Paillier.Ciphertext.dotProduct([x, ciphertexts[3]], [0.5, 2.0])
    #expect(try key.decryptDouble(score, partials: parties.map { try $0.partialDecrypt(score) }) == 85.25)
  }

  @Test("the DocC article's example (on the fixture key instead of a fresh 3072-bit one)")
  func articleExample() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    let a = try key.publicKey.encrypt(40)
    let b = try key.publicKey.encrypt(2)
    let sum = try a + b
    let partials = try [shares[0], shares[2], shares[4]].map { try $0.partialDecrypt(sum) }
    #expect(try key.decrypt(sum, partials: partials) == 42)
  }

  @Test("a 2048-bit key dealt through the secure entry point from the benchmarks' safe primes")
  func secureSize() throws {
    let p = try BigInteger(ThresholdFixtures.safePrimes1024[0], radix: 16)
    let q = try BigInteger(ThresholdFixtures.safePrimes1024[1], radix: 16)
    let (key, shares) = try Paillier.ThresholdPublicKey.deal(threshold: 3, parties: 5, p: p, q: q)
    #expect(key.publicKey.bitWidth == 2048)
    let c = try key.publicKey.encrypt(BigInteger(1) << 200)
    let partials = try [shares[4], shares[0], shares[2]].map { try $0.partialDecrypt(c) }
    #expect(try key.decrypt(c, partials: partials) == BigInteger(1) << 200)
    let share = try Paillier.ThresholdKeyShare(json: Data(shares[1].jsonString().utf8))
    #expect(share.index == 2 && share.thresholdKey == key)
  }

  @Test("dealing validates t, n and the primes; secure entry points refuse small keys")
  func dealingValidation() throws {
    let p = ThresholdFixtures.prime(0)
    let q = ThresholdFixtures.prime(1)
    for (t, n) in [(0, 3), (4, 3), (1, 0), (2, 257), (-1, 2)] {
      #expect(throws: PaillierError.invalidThreshold(threshold: t, parties: n)) {
        try Paillier.ThresholdPublicKey.insecureDeal(threshold: t, parties: n, p: p, q: q)
      }
    }
    #expect(throws: PaillierError.insecureKeySize(bits: 512, minimum: 2048)) {
      try Paillier.ThresholdPublicKey.deal(threshold: 2, parties: 3, p: p, q: q)
    }
    #expect(throws: PaillierError.insecureKeySize(bits: 1024, minimum: 2048)) {
      try Paillier.ThresholdPublicKey.deal(threshold: 2, parties: 3, bits: 1024)
    }
    #expect(throws: PaillierError.invalidKey("p and q must differ")) {
      try Paillier.ThresholdPublicKey.insecureDeal(threshold: 2, parties: 3, p: p, q: p)
    }
    // A prime that is not safe: the next prime after p.
    var notSafe = p.nextPrime()
    while ((notSafe - 1) >> 1).isProbablePrime() { notSafe = notSafe.nextPrime() }
    #expect(throws: PaillierError.self) {
      try Paillier.ThresholdPublicKey.insecureDeal(threshold: 2, parties: 3, p: notSafe, q: q)
    }
    #expect(throws: PaillierError.self) {
      try Paillier.ThresholdPublicKey.insecureDeal(threshold: 2, parties: 3, p: p * q, q: q)
    }
  }

  @Test("generated safe primes are safe; a freshly dealt 256-bit key decrypts by threshold")
  func generation() throws {
    let p = try Paillier.randomSafePrime(bitWidth: 128)
    #expect(p.bitWidth == 128 && p.bit(126))
    #expect(p.isSecret)
    #expect(p.isProbablePrime() && ((p - 1) >> 1).isProbablePrime())
    #expect(throws: PaillierError.self) { try Paillier.randomSafePrime(bitWidth: 8) }
    let (key, shares) = try Paillier.ThresholdPublicKey.insecureDeal(threshold: 2, parties: 3, bits: 256)
    #expect(key.publicKey.bitWidth == 256)
    let c = try key.publicKey.encrypt(-31_337)
    #expect(try key.decrypt(c, partials: [shares[2], shares[0]].map { try $0.partialDecrypt(c) }) == -31_337)
  }

  @Test("a share's integers are all marked secret (wiped on release); the key's are public")
  func shareSecrets() throws {
    let (key, shares) = ThresholdFixtures.threeOfFive
    for share in shares {
      let integers = Mirror(reflecting: share).children.compactMap { child -> (String, BigInteger)? in
        guard let name = child.label, let value = child.value as? BigInteger else { return nil }
        return (name, value)
      }
      #expect(integers.count >= 3, "found \(integers.map(\.0))")
      for (name, value) in integers { #expect(value.isSecret, "\(name) of party \(share.index) is not secret") }
    }
    #expect(!key.publicKey.n.isSecret && !key.verificationBase.isSecret)
    #expect(key.verificationKeys.allSatisfy { !$0.isSecret })
    let c = try key.publicKey.encrypt(1)
    let partial = try shares[0].partialDecrypt(c)
    #expect(!partial.value.isSecret && !partial.response.isSecret)
  }
}
