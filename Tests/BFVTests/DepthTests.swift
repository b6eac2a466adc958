import BFV
import PolyRing
import Foundation
import Testing

/// Chained squarings decrypt correctly up to each preset's documented depth,
/// and the noise budget falls at every step.
@Suite struct BFVDepthTests {
  @Test(arguments: [BFV.Preset.n4096, .n8192])
  func chainedSquarings(_ preset: BFV.Preset) throws {
    let p = preset == .n4096 ? Fixtures.n4096 : Fixtures.n8192
    let keys = preset == .n4096 ? Fixtures.n4096Keys : Fixtures.n8192Keys
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    var values = randomSlots(p, 30)
    var x = try keys.public_.encrypt(try encoder.encode(values))
    var budget = try keys.secret.noiseBudget(x)
    var budgets = [budget]
    for _ in 0..<preset.multiplicativeDepth {
      x = try x.multiplied(by: x, relinearizingWith: keys.relinearization)
      values = values.map { mulmod($0, $0, t) }
      let next = try keys.secret.noiseBudget(x)
      #expect(next < budget)
      budget = next
      budgets.append(budget)
      #expect(try encoder.decode(try keys.secret.decrypt(x)) == values)
    }
    #expect(budget > 0, "budgets \(budgets)")
    print("BFV \(preset) noise budgets by depth: \(budgets)")
  }
}

/// The same check for the large presets: minutes in a debug build, so it
/// runs only with HEKIT_BFV_DEEP=1 (e.g. `HEKIT_BFV_DEEP=1 swift test -c release
/// --filter BFVDeepPresetTests`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HEKIT_BFV_DEEP"] == "1"))
struct BFVDeepPresetTests {
  @Test(arguments: [BFV.Preset.n16384, .n32768])
  func chainedSquarings(_ preset: BFV.Preset) throws {
    let p = try BFV.Parameters(preset: preset)
    let secretKey = BFV.SecretKey(parameters: p)
    let publicKey = secretKey.publicKey()
    let relinearizationKey = secretKey.relinearizationKey()
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    var values = randomSlots(p, 31)
    var x = try publicKey.encrypt(try encoder.encode(values))
    var budgets = [try secretKey.noiseBudget(x)]
    for _ in 0..<preset.multiplicativeDepth {
      x = try x.multiplied(by: x, relinearizingWith: relinearizationKey)
      values = values.map { mulmod($0, $0, t) }
      let budget = try secretKey.noiseBudget(x)
      #expect(budget < budgets.last!)
      budgets.append(budget)
      #expect(try encoder.decode(try secretKey.decrypt(x)) == values)
    }
    #expect(budgets.last! > 0, "budgets \(budgets)")
    print("BFV \(preset) noise budgets by depth: \(budgets)")
  }

  @Test(arguments: [BFV.Preset.n16384, .n32768])
  func operationsSlotBySlot(_ preset: BFV.Preset) throws {
    let p = try BFV.Parameters(preset: preset)
    let secretKey = BFV.SecretKey(parameters: p)
    let publicKey = secretKey.publicKey()
    let galoisKeys = secretKey.galoisKeys(steps: [1, -3])
    let t = p.plaintextModulus
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 32)
    let b = randomSlots(p, 33)
    let x = try publicKey.encrypt(try encoder.encode(a))
    let y = try secretKey.encrypt(try encoder.encode(b))
    func decrypt(_ c: BFV.Ciphertext) throws -> [UInt64] { try encoder.decode(try secretKey.decrypt(c)) }
    #expect(try decrypt(try x + y) == slotwise(a, b, t) { $0 + $1 })
    #expect(try decrypt(try x - y) == slotwise(a, b, t) { $0 + t - $1 })
    #expect(try decrypt(try x * encoder.encode(b)) == slotwise(a, b, t) { mulmod($0, $1, t) })
    #expect(try decrypt(try x.rotatedRows(by: 1, using: galoisKeys)) == rotateRows(a, by: 1))
    #expect(try decrypt(try x.rotatedRows(by: -3, using: galoisKeys)) == rotateRows(a, by: -3))
    let half = p.degree / 2
    #expect(try decrypt(try x.swappedColumns(using: galoisKeys)) == Array(a[half...] + a[..<half]))
    let bytes = y.serialized()
    #expect(try decrypt(try BFV.Ciphertext(deserializing: bytes, parameters: p)) == b)
    #expect(try decrypt(try x.switchedModulus(toLevel: 1)) == a)
  }
}
