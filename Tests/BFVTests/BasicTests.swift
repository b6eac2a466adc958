@testable import BFV
import PolyRing
import Testing

@Suite struct ParameterTests {
  @Test("parameter sets of one q and different t share q's ring (its tables are built once)")
  func parameterSetsShareTheirRing() throws {
    let base = try BFV.Parameters(preset: .n4096)
    let t2 = try Modulus.nttFriendlyPrimes(bitWidths: [20], degree: 4096)[0].value
    let other = try BFV.Parameters(degree: 4096, coefficientModuli: base.coefficientModuli, plaintextModulus: t2)
    #expect(other.ring === base.ring)
    #expect(other.plaintextModulus != base.plaintextModulus)
  }

  @Test(arguments: BFV.Preset.allCases)
  func presetsAreWithinTheBound(_ preset: BFV.Preset) throws {
    // Prime search only (no tables for the large presets): cheap.
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: preset.primeBitWidths, degree: preset.degree)
    let bits = primes.reduce(0) { $0 + $1.bitWidth }
    #expect(bits <= BFV.maximumLogQ[preset.degree]!)
    let t = try Modulus.nttFriendlyPrimes(bitWidths: [preset.plaintextBitWidth], degree: preset.degree)
    #expect((t[0].value - 1) % UInt64(2 * preset.degree) == 0)
  }

  @Test func presetProperties() {
    let p = Fixtures.n4096
    #expect(p.degree == 4096 && p.logQ <= 109 && p.supportsBatching && p.isSecure)
    #expect(Fixtures.n8192.logQ <= 218)
    #expect(p.identity != Fixtures.n8192.identity)
  }

  @Test func insecureParametersAreRefused() throws {
    // 4096 with four 36-bit primes: 144 bits > 109.
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [36, 36, 36, 36], degree: 4096).map(\.value)
    #expect(throws: BFVError.insecureParameters(degree: 4096, logQ: 144, maximumLogQ: 109)) {
      try BFV.Parameters(degree: 4096, coefficientModuli: primes, plaintextModulus: 65537)
    }
    // A degree without a bound.
    let small = try Modulus.nttFriendlyPrimes(bitWidths: [40, 40], degree: 1024).map(\.value)
    #expect(throws: BFVError.self) {
      try BFV.Parameters(degree: 1024, coefficientModuli: small, plaintextModulus: 12289)
    }
    // The insecure entry point accepts both.
    _ = try BFV.Parameters(insecureDegree: 1024, coefficientModuli: small, plaintextModulus: 12289)
  }

  @Test func invalidParametersThrow() throws {
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [40, 40], degree: 16).map(\.value)
    #expect(throws: BFVError.self) {
      try BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: 1)
    }
    #expect(throws: BFVError.self) {
      try BFV.Parameters(insecureDegree: 24, coefficientModuli: primes, plaintextModulus: 257)
    }
    #expect(throws: BFVError.self) {
      try BFV.Parameters(insecureDegree: 16, coefficientModuli: [], plaintextModulus: 257)
    }
    #expect(throws: BFVError.self) {  // not prime
      try BFV.Parameters(insecureDegree: 16, coefficientModuli: [primes[0] + 2], plaintextModulus: 257)
    }
    #expect(throws: BFVError.self) {  // t too large for q
      try BFV.Parameters(insecureDegree: 16, coefficientModuli: [primes[0]], plaintextModulus: 1 << 30)
    }
  }

  @Test func coefficientEncodingOnlyForNonBatchingT() throws {
    let primes = try Modulus.nttFriendlyPrimes(bitWidths: [40, 40], degree: 16).map(\.value)
    let p = try BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: 256)
    #expect(!p.supportsBatching)
    let encoder = BFV.Encoder(parameters: p)
    #expect(throws: BFVError.batchingUnavailable(plaintextModulus: 256, degree: 16)) {
      try encoder.encode([1, 2, 3] as [UInt64])
    }
    let key = BFV.SecretKey(parameters: p)
    let values: [Int64] = [1, -2, 3, 127, -127]
    let x = try key.publicKey().encrypt(try encoder.encodeCoefficients(values))
    let y = try x + x
    let expected = values.map { v -> Int64 in let w = (2 * v) & 255; return w > 128 ? w - 256 : w }
    #expect(Array(try encoder.decodeCoefficientsSigned(try key.decrypt(y)).prefix(5)) == expected)
  }
}

@Suite struct EncodingTests {
  @Test func batchRoundTrips() throws {
    for p in [Fixtures.tiny, Fixtures.small, Fixtures.n4096] {
      let encoder = BFV.Encoder(parameters: p)
      let values = randomSlots(p, 1)
      #expect(try encoder.decode(try encoder.encode(values)) == values)
      let signed: [Int64] = [-1, 2, -3, Int64((p.plaintextModulus - 1) / 2), -Int64((p.plaintextModulus - 1) / 2)]
      #expect(Array(try encoder.decodeSigned(try encoder.encode(signed)).prefix(5)) == signed)
      #expect(try encoder.decode(try encoder.encode(broadcasting: 7)) == [UInt64](repeating: 7, count: p.degree))
    }
  }

  @Test func badValuesThrow() {
    let p = Fixtures.tiny
    let encoder = BFV.Encoder(parameters: p)
    #expect(throws: BFVError.plaintextOutOfRange(limit: 257)) { try encoder.encode([257] as [UInt64]) }
    #expect(throws: BFVError.plaintextOutOfRange(limit: 129)) { try encoder.encode([-129] as [Int64]) }
    #expect(throws: BFVError.tooManyValues(count: 17, capacity: 16)) {
      try encoder.encode([UInt64](repeating: 0, count: 17))
    }
    #expect(throws: BFVError.parameterMismatch) {
      try BFV.Encoder(parameters: Fixtures.small).decode(try encoder.encode([1] as [UInt64]))
    }
  }

  @Test func slotProductIsPolynomialProduct() throws {
    // Batching is a ring isomorphism: slot-wise products of encodings are
    // the encodings' negacyclic products mod t (checked by schoolbook).
    let p = Fixtures.tiny
    let encoder = BFV.Encoder(parameters: p)
    let a = randomSlots(p, 2)
    let b = randomSlots(p, 3)
    let pa = try encoder.encode(a).coefficients
    let pb = try encoder.encode(b).coefficients
    let t = p.plaintextModulus
    var product = [UInt64](repeating: 0, count: 16)
    for i in 0..<16 {
      for j in 0..<16 {
        let m = mulmod(pa[i], pb[j], t)
        if i + j < 16 { product[i + j] = (product[i + j] + m) % t } else {
          product[i + j - 16] = (product[i + j - 16] + t - m) % t
        }
      }
    }
    let expected = slotwise(a, b, t) { mulmod($0, $1, t) }
    #expect(try encoder.decode(try encoder.encodeCoefficients(product)) == expected)
  }
}
