import BFV
import PolyRing
import Testing

@Suite struct ModulusSwitchingTests {
  @Test(arguments: ["tiny", "n4096"])
  func switchDownDecrypts(_ name: String) throws {
    let (p, keys) = EvaluatorTests.fixture(name)
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 40)
    let x = try keys.public_.encrypt(try encoder.encode(a))
    var product = try x.multiplied(by: x, relinearizingWith: keys.relinearization)
    let expected = a.map { mulmod($0, $0, t) }
    var budget = try keys.secret.noiseBudget(product)
    while product.level > 1 {
      let before = product.level
      try product.switchModulusDown()
      #expect(product.level == before - 1)
      #expect(try encoder.decode(try keys.secret.decrypt(product)) == expected)
      // Switching divides the noise by q_last and adds a rounding term; when the
      // term happens to cancel part of the noise the measured budget can gain a
      // bit (seen at the tiny N = 16), never more.
      let next = try keys.secret.noiseBudget(product)
      #expect(next <= budget + 1)
      budget = next
    }
    #expect(throws: BFVError.modulusChainExhausted) { try product.switchModulusDown() }
  }

  @Test func operationsAtLowerLevels() throws {
    let p = Fixtures.n4096
    let keys = Fixtures.n4096Keys
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 41)
    let b = randomSlots(p, 42)
    let x = try keys.public_.encrypt(try encoder.encode(a)).switchedModulus(toLevel: 2)
    let y = try keys.public_.encrypt(try encoder.encode(b))
    #expect(throws: BFVError.levelMismatch(2, 3)) { try x + y }
    let y2 = try y.switchedModulus(toLevel: 2)
    func decrypt(_ c: BFV.Ciphertext) throws -> [UInt64] { try encoder.decode(try keys.secret.decrypt(c)) }
    #expect(try decrypt(try x + y2) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x + encoder.encode(b)) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x * encoder.encode(b)) == slotwise(a, b, t) { mulmod($0, $1, t) })
    let prepared = try encoder.encode(b).preparedForMultiplication()
    #expect(try decrypt(try x + prepared) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x * prepared) == slotwise(a, b, t) { mulmod($0, $1, t) })
    #expect(throws: BFVError.self) { try x.multiplied(by: y2) }
    #expect(throws: BFVError.modulusChainExhausted) { try x.switchedModulus(toLevel: 3) }
  }

  @Test(arguments: ["tiny", "n4096"])
  func floodingKeepsTheValues(_ name: String) throws {
    let (p, keys) = EvaluatorTests.fixture(name)
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 43)
    var x = try keys.public_.encrypt(try encoder.encode(a))
    let before = try keys.secret.noiseBudget(x)
    try x.floodNoise(using: keys.public_)
    #expect(try encoder.decode(try keys.secret.decrypt(x)) == a)
    let after = try keys.secret.noiseBudget(x)
    #expect(after < before && after <= 4)
    #expect(throws: BFVError.self) { try x.floodNoise(using: keys.public_, bits: 10_000) }
    #expect(throws: BFVError.parameterMismatch) {
      try x.floodNoise(using: Fixtures.smallKeys.public_)
    }
  }
}
