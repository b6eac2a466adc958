import BigNum
import Testing

@Suite("FixedBaseTable")
struct FixedBaseTableTests {
  @Test("hand-checked: 3^e mod 1000003 for small exponents")
  func handChecked() throws {
    let table = try FixedBaseTable(base: 3, modulus: 1_000_003, maximumExponentBitWidth: 64, windowBits: 4)
    #expect(try table.power(0) == 1)
    #expect(try table.power(1) == 3)
    #expect(try table.power(10) == 59049)
    #expect(try table.power(123_456) == BigInteger(3).power(123_456, modulus: 1_000_003))
  }

  @Test("agrees with power(_:modulus:) for random exponents, windows and moduli", arguments: [1, 3, 5, 8, 11])
  func agreesWithPower(windowBits: Int) throws {
    var generator = SeededGenerator(seed: UInt64(windowBits))
    for modulusBits in [64, 65, 1000, 2048] {
      let modulus = try BigInteger.random(bitWidth: modulusBits - 1, using: &generator) + (BigInteger(1) << (modulusBits - 1))
      let base = try BigInteger.random(bitWidth: modulusBits + 7, using: &generator)
      let table = try FixedBaseTable(base: base, modulus: modulus, maximumExponentBitWidth: 300, windowBits: windowBits)
      for _ in 0..<5 {
        let exponent = try BigInteger.random(bitWidth: 300, using: &generator)
        #expect(try table.power(exponent) == base.power(exponent, modulus: modulus))
      }
      #expect(try table.power((BigInteger(1) << 300) - 1) == base.power((BigInteger(1) << 300) - 1, modulus: modulus))
    }
  }

  @Test("secret exponents give secret results; memory size as documented")
  func secretsAndSize() throws {
    let table = try FixedBaseTable(base: 7, modulus: (BigInteger(1) << 127) - 1, maximumExponentBitWidth: 128)
    let exponent = BigInteger(123_456_789).secret()
    #expect(try table.power(exponent).isSecret)
    #expect(try !table.power(5).isSecret)
    #expect(table.byteCount == 16 * 255 * 2 * 8)
    #expect(FixedBaseTable.byteCount(modulusBitWidth: 6144, exponentBitWidth: 1536, windowBits: 8) == 37_601_280)
  }

  @Test("errors: bad modulus, window, width, negative or too wide exponents")
  func errors() throws {
    #expect(throws: BigNumError.nonPositiveModulus) { try FixedBaseTable(base: 2, modulus: 0, maximumExponentBitWidth: 8) }
    #expect(throws: BigNumError.invalidBitWidth(0)) {
      try FixedBaseTable(base: 2, modulus: 11, maximumExponentBitWidth: 8, windowBits: 0)
    }
    #expect(throws: BigNumError.invalidBitWidth(0)) { try FixedBaseTable(base: 2, modulus: 11, maximumExponentBitWidth: 0) }
    let table = try FixedBaseTable(base: 2, modulus: 11, maximumExponentBitWidth: 8)
    #expect(throws: BigNumError.negativeExponent) { try table.power(-1) }
    #expect(throws: BigNumError.invalidBitWidth(9)) { try table.power(256) }
    #expect(try table.power(255) == BigInteger(2).power(255, modulus: 11))
  }
}
