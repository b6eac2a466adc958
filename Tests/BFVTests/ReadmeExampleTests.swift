import BFV
import Testing

/// The BFV example in README.md, line for line, its printed value asserted.
@Test("README BFV example")
func readmeBFVExample() throws {
  let parameters = try BFV.Parameters(preset: .n8192)        // 128-bit, log q 218, depth 5
  let secretKey = BFV.SecretKey(parameters: parameters)
  let publicKey = secretKey.publicKey()                        // give the server these three,
  let relinearizationKey = secretKey.relinearizationKey()      // never the secret key
  let galoisKeys = secretKey.powerOfTwoGaloisKeys()
  let encoder = BFV.Encoder(parameters: parameters)
  let x = try publicKey.encrypt(try encoder.encode([1, 2, 3] as [UInt64]))
  let w = try encoder.encode([4, 5, 6] as [UInt64]).preparedForMultiplication()
  let dot = try x.innerProduct(with: w, using: galoisKeys)     // 32 in every slot
  let square = try x.multiplied(by: x, relinearizingWith: relinearizationKey)
  let slots = try encoder.decode(try secretKey.decrypt(dot))
  let squares = try encoder.decode(try secretKey.decrypt(square))
  #expect(slots[0] == 32 && slots[4095] == 32)
  #expect(Array(squares.prefix(3)) == [1, 4, 9])
}
