import BFV
import PolyRing
import Testing

@Suite struct RotationTests {
  static let p = Fixtures.small
  static let keys = Fixtures.smallKeys
  static let galois = keys.secret.galoisKeys(steps: [1, 3, -2, 31])
  static let powers = keys.secret.powerOfTwoGaloisKeys()

  func decrypt(_ c: BFV.Ciphertext) throws -> [UInt64] {
    try BFV.Encoder(parameters: Self.p).decode(try Self.keys.secret.decrypt(c))
  }

  @Test(arguments: [1, 3, -2, 31, 5, -7, 0, 32, 17])
  func rowRotations(_ step: Int) throws {
    let values = randomSlots(Self.p, 20)
    let x = try Self.keys.public_.encrypt(try BFV.Encoder(parameters: Self.p).encode(values))
    let keys = [1, 3, -2, 31].contains(step) ? Self.galois : Self.powers
    #expect(try decrypt(try x.rotatedRows(by: step, using: keys)) == rotateRows(values, by: step))
  }

  @Test func columnSwapAndSum() throws {
    let p = Self.p
    let t = p.plaintextModulus
    let values = randomSlots(p, 21)
    let weights = randomSlots(p, 22)
    let encoder = BFV.Encoder(parameters: p)
    let x = try Self.keys.public_.encrypt(try encoder.encode(values))
    let half = p.degree / 2
    let swapped = Array(values[half...] + values[..<half])
    #expect(try decrypt(try x.swappedColumns(using: Self.galois)) == swapped)
    let total = values.reduce(0) { ($0 + $1) % t }
    #expect(try decrypt(try x.sumOfSlots(using: Self.powers)) == [UInt64](repeating: total, count: p.degree))
    let dot = zip(values, weights).reduce(0) { ($0 + mulmod($1.0, $1.1, t)) % t }
    let product = try x.innerProduct(
      with: try encoder.encode(weights).preparedForMultiplication(), using: Self.powers)
    #expect(try decrypt(product) == [UInt64](repeating: dot, count: p.degree))
  }

  @Test func rotationAtN4096() throws {
    let p = Fixtures.n4096
    let keys = Fixtures.n4096Keys
    let galois = keys.secret.galoisKeys(steps: [1, -1])
    let values = randomSlots(p, 23)
    let encoder = BFV.Encoder(parameters: p)
    let x = try keys.public_.encrypt(try encoder.encode(values))
    for step in [1, -1] {
      let rotated = try x.rotatedRows(by: step, using: galois)
      #expect(try encoder.decode(try keys.secret.decrypt(rotated)) == rotateRows(values, by: step))
    }
    let swapped = try x.swappedColumns(using: galois)
    #expect(try encoder.decode(try keys.secret.decrypt(swapped)) == Array(values[2048...] + values[..<2048]))
  }

  @Test func missingKeysThrow() throws {
    let x = try Self.keys.public_.encrypt(try BFV.Encoder(parameters: Self.p).encode([1] as [UInt64]))
    let none = Self.keys.secret.galoisKeys(steps: [3], includeColumnSwap: false)
    #expect(throws: BFVError.missingGaloisKey(step: 5)) { try x.rotatedRows(by: 5, using: none) }
    #expect(throws: BFVError.missingGaloisKey(step: 0)) { try x.swappedColumns(using: none) }
    let foreign = Fixtures.tinyKeys.secret.galoisKeys(steps: [1])
    #expect(throws: BFVError.parameterMismatch) { try x.rotatedRows(by: 1, using: foreign) }
  }
}
