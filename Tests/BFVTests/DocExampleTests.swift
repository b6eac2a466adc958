import BFV
import Testing

/// The overview example of the BFV catalog (BFV.docc/BFV.md), at N = 4096 to
/// stay fast in a debug build; the catalog shows the same code at N = 8192.
@Suite struct DocExampleTests {
  @Test func catalogOverviewRuns() throws {
    let parameters = Fixtures.n4096
    let secretKey = Fixtures.n4096Keys.secret
    let publicKey = secretKey.publicKey()
    let relinearizationKey = Fixtures.n4096Keys.relinearization
    let galoisKeys = secretKey.powerOfTwoGaloisKeys()

    let encoder = BFV.Encoder(parameters: parameters)
    let x = try publicKey.encrypt(try encoder.encode([1, 2, 3] as [UInt64]))
    let w = try encoder.encode([4, 5, 6] as [UInt64]).preparedForMultiplication()

    let square = try x.multiplied(by: x, relinearizingWith: relinearizationKey)
    let dot = try x.innerProduct(with: w, using: galoisKeys)
    #expect(Array(try encoder.decode(try secretKey.decrypt(square)).prefix(4)) == [1, 4, 9, 0])
    let slots = try encoder.decode(try secretKey.decrypt(dot))
    #expect(slots == [UInt64](repeating: 32, count: parameters.degree))
  }
}
