import BFV
import PolyRing
import Testing

@Suite struct SerializationTests {
  @Test(arguments: ["tiny", "n4096"])
  func roundTrips(_ name: String) throws {
    let (p, keys) = EvaluatorTests.fixture(name)
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 50)
    let plaintext = try encoder.encode(a)
    let fresh = try keys.public_.encrypt(plaintext)
    let bits = p.coefficientModuli.reduce(0) { $0 + (64 - $1.leadingZeroBitCount) }
    let polySize = (bits * p.degree + 7) / 8

    // Public-key ciphertext: two full polynomials.
    let bytes = fresh.serialized()
    #expect(bytes.count == 16 + 2 + 2 * polySize && bytes.count == fresh.serializedSize)
    let back = try BFV.Ciphertext(deserializing: bytes, parameters: p)
    #expect(try encoder.decode(try keys.secret.decrypt(back)) == a)
    #expect(back.serialized() == bytes)

    // Seeded: one polynomial and the seed.
    let seeded = try keys.secret.encrypt(plaintext)
    let seededBytes = seeded.serialized()
    #expect(seededBytes.count == 16 + 1 + polySize + 32 && seededBytes.count == seeded.serializedSize)
    let seededBack = try BFV.Ciphertext(deserializing: seededBytes, parameters: p)
    #expect(try encoder.decode(try keys.secret.decrypt(seededBack)) == a)

    // Three polynomials, and a lower level.
    let product = try fresh.multiplied(by: fresh)
    let productBack = try BFV.Ciphertext(deserializing: product.serialized(), parameters: p)
    #expect(try keys.secret.decrypt(productBack) == keys.secret.decrypt(product))
    let low = try fresh.switchedModulus(toLevel: 1)
    let lowBytes = low.serialized()
    #expect(lowBytes.count == low.serializedSize)
    #expect(try encoder.decode(try keys.secret.decrypt(try BFV.Ciphertext(deserializing: lowBytes, parameters: p))) == a)

    // Plaintext and keys.
    #expect(try BFV.Plaintext(deserializing: plaintext.serialized(), parameters: p) == plaintext)
    let secret = try BFV.SecretKey(deserializing: keys.secret.serialized(), parameters: p)
    #expect(try encoder.decode(try secret.decrypt(fresh)) == a)
    let publicKey = try BFV.PublicKey(deserializing: keys.public_.serialized(), parameters: p)
    #expect(try encoder.decode(try keys.secret.decrypt(try publicKey.encrypt(plaintext))) == a)
    let relin = try BFV.RelinearizationKey(deserializing: keys.relinearization.serialized(), parameters: p)
    #expect(relin.serialized() == keys.relinearization.serialized())
    let galois = keys.secret.galoisKeys(steps: [1])
    let galoisBack = try BFV.GaloisKeys(deserializing: galois.serialized(), parameters: p)
    #expect(galoisBack.galoisElements == galois.galoisElements)
    let rotated = try fresh.rotatedRows(by: 1, using: galoisBack)
    #expect(try encoder.decode(try keys.secret.decrypt(rotated)) == rotateRows(a, by: 1))
  }

  @Test func seededSizeAtN8192IsTheBitPackedBound() throws {
    let p = Fixtures.n8192
    let keys = Fixtures.n8192Keys
    let encoder = BFV.Encoder(parameters: p)
    let values = randomSlots(p, 51)
    let seeded = try keys.secret.encrypt(try encoder.encode(values))
    // 8192 · (43 + 43 + 44 + 44 + 44) bits = 223 232 bytes, plus header, level and seed.
    #expect(seeded.serializedSize == 16 + 1 + 223_232 + 32)
    let bytes = seeded.serialized()
    #expect(bytes.count == 223_281)
    let back = try BFV.Ciphertext(deserializing: bytes, parameters: p)
    #expect(try encoder.decode(try keys.secret.decrypt(back)) == values)
    #expect(try keys.public_.encrypt(try encoder.encode(values)).serializedSize == 446_482)
  }

  @Test func readersRejectBadInput() throws {
    let p = Fixtures.tiny
    let keys = Fixtures.tinyKeys
    let encoder = BFV.Encoder(parameters: p)
    let x = try keys.public_.encrypt(try encoder.encode([1, 2] as [UInt64]))
    let bytes = x.serialized()
    func rejects(_ data: [UInt8]) {
      #expect(throws: BFVError.self) { try BFV.Ciphertext(deserializing: data, parameters: p) }
    }
    rejects([])
    rejects(Array(bytes.prefix(10)))
    rejects(Array(bytes.dropLast()))
    rejects(bytes + [0])
    var badMagic = bytes
    badMagic[0] = 0x58
    rejects(badMagic)
    var badVersion = bytes
    badVersion[4] = 9
    rejects(badVersion)
    var badLevel = bytes
    badLevel[16] = 7
    rejects(badLevel)
    var badCount = bytes
    badCount[17] = 5
    rejects(badCount)
    var outOfRange = bytes
    for k in 18..<24 { outOfRange[k] = 0xff }  // first residue ≥ q_0
    rejects(outOfRange)
    #expect(throws: BFVError.parameterMismatch) {
      try BFV.Ciphertext(deserializing: bytes, parameters: Fixtures.small)
    }
    #expect(throws: BFVError.self) { try BFV.PublicKey(deserializing: bytes, parameters: p) }
    #expect(throws: BFVError.self) { try BFV.SecretKey(deserializing: bytes, parameters: p) }
  }
}
