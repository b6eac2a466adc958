import BigNum
import Foundation
import Paillier
import Testing

@Suite("Paillier fixed-point encoding")
struct EncodingTests {
  @Test("encodings match python-paillier's EncodedNumber.encode and decode", arguments: [1024, 2048])
  func pheEncodings(bits: Int) throws {
    let vectors = PheVectors.key(bits: bits)
    let pk = try Paillier.PublicKey(insecureJWK: Data(vectors.publicJWK.utf8))
    for vector in vectors.encodings {
      let value = pythonNumber(vector.value)
      let encoded = try Paillier.EncodedNumber(
        value, publicKey: pk, precision: vector.precision.map(pythonNumber), maxExponent: vector.maxExponent)
      #expect(encoded.exponent == vector.exponent, "exponent of \(vector.value)")
      #expect(encoded.encoding == big(vector.encoding), "encoding of \(vector.value)")
      let decoded = try encoded.doubleValue()
      #expect(decoded == pythonNumber(vector.decoded), "decoding of \(vector.value)")
    }
  }

  @Test("integers encode exactly at exponent 0, negatives wrap modulo n")
  func integers() throws {
    let pk = TestKeys.small.publicKey
    let minusFive = try Paillier.EncodedNumber(BigInteger(-5), publicKey: pk)
    #expect(minusFive.exponent == 0 && minusFive.encoding == pk.n - 5)
    #expect(try minusFive.integerValue() == -5)
    #expect(try minusFive.mantissa() == -5)
    let scaled = try Paillier.EncodedNumber(BigInteger(3), publicKey: pk, maxExponent: -2)
    #expect(scaled.exponent == -2 && scaled.encoding == 3 * 256)
    #expect(try scaled.integerValue() == 3)
    let zero = try Paillier.EncodedNumber(0.0, publicKey: pk)
    #expect(try zero.doubleValue() == 0 && zero.encoding == 0)
    #expect(try Paillier.EncodedNumber(mantissa: 7, exponent: 2, publicKey: pk).integerValue() == 7 * 256)
  }

  @Test("NaN and infinities are refused; so are bad precisions", arguments: [Double.nan, .infinity, -.infinity])
  func nonFinite(value: Double) {
    let pk = TestKeys.small.publicKey
    #expect(throws: PaillierError.nonFiniteValue) { try Paillier.EncodedNumber(value, publicKey: pk) }
    #expect(throws: PaillierError.nonFiniteValue) { try pk.encrypt(value) }
    #expect(throws: PaillierError.invalidPrecision) { try Paillier.EncodedNumber(1.0, publicKey: pk, precision: value) }
    #expect(throws: PaillierError.invalidPrecision) { try Paillier.EncodedNumber(1.0, publicKey: pk, precision: 0) }
  }

  @Test("tiny and huge exponents: underflow to zero, overflow throws, never silent")
  func extremeExponents() throws {
    let pk = TestKeys.small.publicKey
    let limit = PaillierError.plaintextOutOfRange(limit: pk.maxInt)
    // 1e300 needs ~1000 bits of mantissa at its natural exponent: fits 1024? no, near: check both sides.
    #expect(throws: limit) { try Paillier.EncodedNumber(1e308, publicKey: pk, maxExponent: -10) }
    #expect(throws: limit) { try Paillier.EncodedNumber(1.0, publicKey: pk, maxExponent: -1_000_000) }
    #expect(throws: limit) { try Paillier.EncodedNumber(BigInteger(1), publicKey: pk, maxExponent: -300) }
    let underflow = try Paillier.EncodedNumber(1e-300, publicKey: pk, precision: 1e-3)
    #expect(try underflow.doubleValue() == 0)
    let huge = try Paillier.EncodedNumber(mantissa: 1, exponent: 1_000_000, publicKey: pk)
    #expect(throws: PaillierError.doubleOverflow) { try huge.doubleValue() }
    let tiny = try Paillier.EncodedNumber(mantissa: 1, exponent: -1_000_000, publicKey: pk)
    #expect(try tiny.doubleValue() == 0)
    #expect(throws: PaillierError.notAnInteger(exponent: -1_000_000)) { try tiny.integerValue() }
    let denormal = try Paillier.EncodedNumber(Double.leastNonzeroMagnitude, publicKey: pk)
    #expect(try denormal.doubleValue() == Double.leastNonzeroMagnitude)
  }

  @Test("decreasing the exponent keeps the value; increasing is refused")
  func decreaseExponent() throws {
    let pk = TestKeys.small.publicKey
    let x = try Paillier.EncodedNumber(0.75, publicKey: pk)
    let lower = try x.decreasingExponent(to: x.exponent - 3)
    #expect(try lower.doubleValue() == 0.75)
    #expect(lower.encoding == x.encoding * 4096)
    #expect(throws: PaillierError.cannotIncreaseExponent(from: x.exponent, to: 5)) { try x.decreasingExponent(to: 5) }
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) { try x.decreasingExponent(to: -400) }
  }

  @Test("decoding a value in the overflow band throws")
  func decodingOverflow() throws {
    let pk = TestKeys.small.publicKey
    let band = try Paillier.EncodedNumber(encoding: pk.maxInt + 1, exponent: 0, publicKey: pk)
    #expect(throws: PaillierError.decodingOverflow) { try band.mantissa() }
    #expect(throws: PaillierError.decodingOverflow) { try band.doubleValue() }
    let edge = try Paillier.EncodedNumber(encoding: pk.n - pk.maxInt, exponent: 0, publicKey: pk)
    #expect(try edge.integerValue() == -pk.maxInt)
    #expect(throws: PaillierError.plaintextOutOfRange(limit: pk.maxInt)) {
      try Paillier.EncodedNumber(encoding: pk.n, exponent: 0, publicKey: pk)
    }
  }

  @Test("real values round trip through encryption", arguments: [0.1, -2.75, 1e-8, 6.02214076e23, -0.0, 1.0 / 3.0])
  func realRoundTrip(value: Double) throws {
    let key = TestKeys.small
    let c = try key.publicKey.encrypt(value)
    #expect(try key.decryptDouble(c) == value)
  }

  @Test("encoding a real number at a chosen exponent rounds half to even, exactly")
  func chosenExponent() throws {
    let key = TestKeys.small
    let a = try Paillier.EncodedNumber(2.5, exponent: 0, publicKey: key.publicKey)
    #expect(try a.mantissa() == 2)  // 2.5 → 2 (half to even)
    let b = try Paillier.EncodedNumber(-0.75, exponent: -1, publicKey: key.publicKey)
    #expect(try b.mantissa() == -12 && b.exponent == -1)  // −0.75 · 16 = −12
    let c = try Paillier.EncodedNumber(1000.0, exponent: 2, publicKey: key.publicKey)
    #expect(try c.mantissa() == 4)  // 1000 / 256 = 3.90625 → 4
    #expect(throws: PaillierError.nonFiniteValue) { try Paillier.EncodedNumber(.nan, exponent: 0, publicKey: key.publicKey) }
    #expect(throws: PaillierError.self) { try Paillier.EncodedNumber(1e300, exponent: -10, publicKey: key.publicKey) }
  }
}
