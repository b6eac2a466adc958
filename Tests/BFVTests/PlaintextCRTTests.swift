import BFV
import BigNum
import PolyRing
import Testing

/// Several plaintext moduli of one ring as one plaintext space T = ∏ t_i:
/// values wider than one t computed modulo each t_i and composed back.
@Suite("BFV plaintext CRT")
struct PlaintextCRTTests {
  /// The tiny ring (N = 16, q ≈ 2^120) with plaintext modulus t.
  static func tiny(_ t: UInt64) throws -> BFV.Parameters {
    try BFV.Parameters(insecureDegree: 16, coefficientModuli: Fixtures.tiny.coefficientModuli, plaintextModulus: t)
  }

  /// Four 30-bit batching primes on the tiny ring: T ≈ 2^120, wider than an Int64, within an Int128.
  static let wide: BFV.PlaintextCRT? = try? BFV.PlaintextCRT(
    parameters: BFV.PlaintextCRT.batchingPrimes(bitWidth: 30, degree: 16, atMost: 4).map(tiny))

  /// Six: T ≈ 2^180, wider than an Int128.
  static let wider: BFV.PlaintextCRT? = try? BFV.PlaintextCRT(
    parameters: BFV.PlaintextCRT.batchingPrimes(bitWidth: 30, degree: 16, atMost: 6).map(tiny))

  /// The reason of an `invalidParameters` error.
  static func reason(_ body: () throws -> Void) -> String? {
    do {
      try body()
    } catch let BFVError.invalidParameters(reason) {
      return reason
    } catch {
      return "another error: \(error)"
    }
    return nil
  }

  @Test("refuses no sets, mixed rings, repeated or composite t, with typed errors")
  func refusals() throws {
    #expect(throws: BFVError.invalidParameters("no plaintext moduli")) { try BFV.PlaintextCRT(parameters: []) }
    let mixed = "the plaintext moduli's parameter sets differ in N or q"
    #expect(throws: BFVError.invalidParameters(mixed)) {
      try BFV.PlaintextCRT(parameters: [Fixtures.tiny, Fixtures.small])  // N = 16 and N = 64
    }
    let otherQ = try BFV.Parameters(
      insecureDegree: 16, coefficientModuli: Array(Fixtures.tiny.coefficientModuli.prefix(2)), plaintextModulus: 97)
    #expect(throws: BFVError.invalidParameters(mixed)) { try BFV.PlaintextCRT(parameters: [Fixtures.tiny, otherQ]) }
    let duplicate = Self.reason { _ = try BFV.PlaintextCRT(parameters: [Self.tiny(257), Self.tiny(97), Self.tiny(257)]) }
    #expect(duplicate?.contains("distinct primes") == true, "\(duplicate ?? "no error")")
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: 20, degree: 4096, atMost: 2)
    let repeated = Self.reason { _ = try BFV.PlaintextCRT(preset: .n4096, plaintextModuli: [primes[0], primes[1], primes[0]]) }
    #expect(repeated?.contains("distinct primes") == true, "\(repeated ?? "no error")")
    #expect(throws: BFVError.self) { try BFV.PlaintextCRT(preset: .n4096, plaintextModuli: []) }
  }

  @Test("a space on a preset: its moduli, T and bits")
  func presetSpace() throws {
    let primes = BFV.PlaintextCRT.batchingPrimes(bitWidth: 20, degree: 4096, atMost: 3)
    #expect(primes.count == 3 && primes.allSatisfy { $0 % 8192 == 1 })
    let space = try BFV.PlaintextCRT(preset: .n4096, plaintextModuli: primes)
    #expect(space.moduli == primes && space.parameters.allSatisfy { $0.degree == 4096 })
    let product = primes.reduce(BigInteger(1)) { $0 * BigInteger($1) }
    #expect(space.modulus == product && space.bits == product.bitWidth - 1 && (58...60).contains(space.bits))
  }

  @Test("values wider than one t: encrypted mod each t_i, added, decrypted, composed centred")
  func roundTrip() throws {
    for space in [try #require(Self.wide), try #require(Self.wider)] {
      let n = space.parameters[0].degree
      let half = space.modulus >> 2  // two such values add up within (−T/2, T/2)
      var generator = testGenerator(UInt8(40 + space.parameters.count))
      func value() throws -> BigInteger {
        let x = try BigInteger.random(below: half, using: &generator) >> Int(generator.next() % 100)
        return generator.next() & 1 == 0 ? x : -x
      }
      var a = try (0..<n).map { _ in try value() }
      var b = try (0..<n).map { _ in try value() }
      a[0] = half - 1
      b[0] = half - 1  // the sum at the top of the range
      a[1] = -half
      b[1] = -half + 1
      (a[2], b[2]) = (BigInteger(space.moduli[0]), 0)  // one t exactly: 0 mod t_0, not 0 in T
      (a[3], b[3]) = (-1, 0)
      if space.bits > 130 {  // Int128's ends, inside T/2
        (a[4], b[4]) = (BigInteger(Int128.max), 0)
        (a[5], b[5]) = (BigInteger(Int128.max), 1)  // just past an Int128
        (a[6], b[6]) = (BigInteger(Int128.min), 0)
        (a[7], b[7]) = (BigInteger(Int128.min), -1)
      }
      let slots = try space.parameters.indices.map { i in
        let t = BigInteger(space.moduli[i])
        let keys = Fixtures.keys(space.parameters[i])
        let encoder = BFV.Encoder(parameters: space.parameters[i])
        func encrypt(_ values: [BigInteger]) throws -> BFV.Ciphertext {
          try keys.public_.encrypt(encoder.encode(try values.map { UInt64(try $0.modulo(t).uintValue ?? 0) }))
        }
        return try encoder.decode(keys.secret.decrypt(encrypt(a) + encrypt(b)))
      }
      for j in 0..<n {
        let residues = slots.map { $0[j] }
        let sum = a[j] + b[j]
        #expect(zip(residues, space.moduli).allSatisfy { r, t in r < t })
        #expect(space.centred(residues) == sum, "slot \(j)")
        let small = space.centredInt128(residues)
        let fits = sum >= BigInteger(Int128.min) && sum <= BigInteger(Int128.max)
        #expect(small.map { BigInteger($0) } == (fits ? sum : nil), "slot \(j)")
      }
    }
  }
}
