import BFV
import PolyRing
import Testing

/// Every operation, slot by slot against plaintext arithmetic mod t.
@Suite struct EvaluatorTests {
  static let cases: [String] = ["tiny", "n4096"]

  static func fixture(_ name: String) -> (BFV.Parameters, Fixtures.Keys) {
    switch name {
    case "tiny": (Fixtures.tiny, Fixtures.tinyKeys)
    case "small": (Fixtures.small, Fixtures.smallKeys)
    case "n8192": (Fixtures.n8192, Fixtures.n8192Keys)
    default: (Fixtures.n4096, Fixtures.n4096Keys)
    }
  }

  @Test(arguments: ["tiny", "small", "n4096", "n8192"])
  func encryptDecrypt(_ name: String) throws {
    let (p, keys) = Self.fixture(name)
    let encoder = BFV.Encoder(parameters: p)
    let values = randomSlots(p, 10)
    let plaintext = try encoder.encode(values)
    #expect(try encoder.decode(try keys.secret.decrypt(try keys.public_.encrypt(plaintext))) == values)
    let symmetric = try keys.secret.encrypt(plaintext)
    #expect(symmetric.seed?.count == 32)
    #expect(try encoder.decode(try keys.secret.decrypt(symmetric)) == values)
  }

  @Test(arguments: cases)
  func additiveOperations(_ name: String) throws {
    let (p, keys) = Self.fixture(name)
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 11)
    let b = randomSlots(p, 12)
    let x = try keys.public_.encrypt(try encoder.encode(a))
    let y = try keys.secret.encrypt(try encoder.encode(b))
    let pb = try encoder.encode(b)
    func decrypt(_ c: BFV.Ciphertext) throws -> [UInt64] { try encoder.decode(try keys.secret.decrypt(c)) }
    #expect(try decrypt(try x + y) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x - y) == slotwise(a, b, t) { $0 + t - $1 })
    #expect(try decrypt(-x) == a.map { (t - $0) % t })
    #expect(try decrypt(try x + pb) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x - pb) == slotwise(a, b, t) { $0 + t - $1 })
    #expect(try decrypt(try x * pb) == slotwise(a, b, t) { mulmod($0, $1, t) })
    let prepared = pb.preparedForMultiplication()
    #expect(try decrypt(try x * prepared) == slotwise(a, b, t) { mulmod($0, $1, t) })
    #expect(try decrypt(try x + prepared) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x - prepared) == slotwise(a, b, t) { $0 + t - $1 })
    #expect(try keys.secret.noiseBudget(try x + prepared) >= keys.secret.noiseBudget(try x + pb) - 2)
    for scalar: UInt64 in [0, 1, 3, t - 1, t + 5] {
      #expect(try decrypt(x * scalar) == a.map { mulmod($0, scalar % t, t) })
    }
  }

  @Test(arguments: ["tiny", "n4096", "n8192"])
  func multiplyAndRelinearize(_ name: String) throws {
    let (p, keys) = Self.fixture(name)
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 13)
    let b = randomSlots(p, 14)
    let x = try keys.public_.encrypt(try encoder.encode(a))
    let y = try keys.public_.encrypt(try encoder.encode(b))
    let expected = slotwise(a, b, t) { mulmod($0, $1, t) }
    let product = try x.multiplied(by: y)
    #expect(product.polynomialCount == 3)
    #expect(try encoder.decode(try keys.secret.decrypt(product)) == expected)
    let relinearized = try x.multiplied(by: y, relinearizingWith: keys.relinearization)
    #expect(relinearized.polynomialCount == 2)
    #expect(try encoder.decode(try keys.secret.decrypt(relinearized)) == expected)
    #expect(try keys.secret.noiseBudget(relinearized) > 0)
  }

  @Test func mixedParametersThrow() throws {
    let encoder = BFV.Encoder(parameters: Fixtures.tiny)
    let other = BFV.Encoder(parameters: Fixtures.small)
    let x = try Fixtures.tinyKeys.public_.encrypt(try encoder.encode([1] as [UInt64]))
    let y = try Fixtures.smallKeys.public_.encrypt(try other.encode([1] as [UInt64]))
    let pt = try other.encode([1] as [UInt64])
    #expect(throws: BFVError.parameterMismatch) { try x + y }
    #expect(throws: BFVError.parameterMismatch) { try x * pt }
    #expect(throws: BFVError.parameterMismatch) { try x.multiplied(by: y) }
    #expect(throws: BFVError.parameterMismatch) { try Fixtures.tinyKeys.public_.encrypt(pt) }
    #expect(throws: BFVError.parameterMismatch) { try Fixtures.tinyKeys.secret.decrypt(y) }
    #expect(throws: BFVError.parameterMismatch) {
      try x.multiplied(by: x, relinearizingWith: Fixtures.smallKeys.relinearization)
    }
    let product = try x.multiplied(by: x)
    #expect(throws: BFVError.relinearizationRequired) { try product.multiplied(by: x) }
  }
}
