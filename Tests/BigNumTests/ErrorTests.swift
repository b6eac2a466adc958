import BigNum
import Foundation
import Testing

/// Every error a caller can provoke is thrown, typed, and explained.
@Suite("Errors")
struct ErrorTests {
  @Test("division by zero in every form")
  func divisionByZero() {
    let a: BigInteger = 10
    #expect(throws: BigNumError.divisionByZero) { try a / 0 }
    #expect(throws: BigNumError.divisionByZero) { try a % 0 }
    #expect(throws: BigNumError.divisionByZero) { try a.quotientAndRemainder(dividingBy: 0) }
    #expect(throws: BigNumError.divisionByZero) { try a.flooredQuotientAndRemainder(dividingBy: 0) }
    #expect(throws: BigNumError.divisionByZero) { try a.modulo(0) }
    var b = a
    #expect(throws: BigNumError.divisionByZero) { try b /= 0 }
    #expect(b == 10)
  }

  @Test("malformed strings name the offset", arguments: [
    ("", 10, 0), ("-", 10, 1), ("12a", 10, 2), (" 12", 10, 0), ("12 ", 10, 2), ("1_000", 10, 1),
    ("0x", 16, 2), ("fg", 16, 1), ("102", 2, 2), ("+-1", 10, 1), ("١٢", 10, 0),
  ])
  func malformed(_ c: (String, Int, Int)) {
    #expect(throws: BigNumError.malformedInteger(radix: c.1, offset: c.2)) { try BigInteger(c.0, radix: c.1) }
  }

  @Test("unsupported radix")
  func radix() {
    #expect(throws: BigNumError.unsupportedRadix(1)) { try BigInteger("1", radix: 1) }
    #expect(throws: BigNumError.unsupportedRadix(37)) { try BigInteger("1", radix: 37) }
  }

  @Test("malformed base64url", arguments: ["A", "AQA$", "AQ+B", "AQAB=", "AQ===", "AR"])
  func base64(_ text: String) {
    #expect(throws: BigNumError.malformedBase64URL) { try BigInteger(base64URL: text) }
  }

  @Test("modular errors")
  func modular() {
    let a: BigInteger = 3
    #expect(throws: BigNumError.nonPositiveModulus) { try a.power(2, modulus: 0) }
    #expect(throws: BigNumError.nonPositiveModulus) { try a.power(2, modulus: -7) }
    #expect(throws: BigNumError.notInvertible) { try BigInteger(6).power(-1, modulus: 9) }
    #expect(throws: BigNumError.evenModulus) { try a.constantTimePower(5, modulus: 10) }
    #expect(throws: BigNumError.nonPositiveModulus) { try a.constantTimePower(5, modulus: 0) }
    #expect(throws: BigNumError.negativeExponent) { try a.constantTimePower(-1, modulus: 7) }
    #expect(throws: BigNumError.negativeExponent) { try a.power(-1) }
    #expect(throws: BigNumError.invalidBitWidth(3 * 10_000_000)) { try BigInteger(7).power(10_000_000) }
  }

  @Test("random and prime bit widths and bounds")
  func randomness() {
    #expect(throws: BigNumError.invalidBitWidth(-1)) { try BigInteger.random(bitWidth: -1) }
    #expect(throws: BigNumError.invalidBitWidth(Int.max)) { try BigInteger.random(bitWidth: Int.max) }
    #expect(throws: BigNumError.invalidBitWidth(1)) { try BigInteger.randomPrime(bitWidth: 1) }
    #expect(throws: BigNumError.invalidBitWidth(-5)) { try BigInteger.randomPrime(bitWidth: -5) }
    #expect(throws: BigNumError.nonPositiveBound) { try BigInteger.random(below: 0) }
    #expect(throws: BigNumError.nonPositiveBound) { try BigInteger.random(below: -3) }
  }

  @Test("byte encodings of negative or oversized values")
  func bytes() {
    #expect(throws: BigNumError.negativeValue) { try BigInteger(-1).bigEndianBytes() }
    #expect(throws: BigNumError.negativeValue) { try BigInteger(-1).base64URLString() }
    #expect(throws: BigNumError.valueTooLarge(byteCount: 1)) { try BigInteger(256).bigEndianBytes(count: 1) }
  }

  @Test("JSON decoding rejects numbers and junk with a DecodingError")
  func json() {
    for text in [#"[12]"#, #"["12.5"]"#, #"["0x10"]"#, #"[""]"#] {
      #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([BigInteger].self, from: Data(text.utf8))
      }
    }
  }

  @Test("every error has a message a user can act on")
  func messages() {
    let errors: [BigNumError] = [
      .divisionByZero, .malformedInteger(radix: 16, offset: 3), .unsupportedRadix(40), .malformedBase64URL,
      .nonPositiveModulus, .evenModulus, .negativeExponent, .notInvertible, .invalidBitWidth(-1),
      .nonPositiveBound, .negativeValue, .valueTooLarge(byteCount: 2),
    ]
    for error in errors {
      let message = error.localizedDescription
      #expect(message.count > 10 && !message.contains("BigNumError"), "\(error)")
    }
    #expect(BigNumError.malformedInteger(radix: 16, offset: 3).localizedDescription.contains("offset 3"))
  }
}
