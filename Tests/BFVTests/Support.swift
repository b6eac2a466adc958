import BFV
import PolyRing

/// A reproducible generator for test inputs and known-answer keys.
func testGenerator(_ label: UInt8) -> SeededGenerator {
  var seed = [UInt8](repeating: 0, count: 32)
  seed[0] = label
  return try! SeededGenerator(seed: seed)  // 32 bytes: cannot fail
}

/// Parameter sets shared by the tests (built once: prime search and tables).
enum Fixtures {
  /// N = 16, q ≈ 2^120 (three 40-bit primes), t = 257: insecure, fast in debug.
  static let tiny: BFV.Parameters = {
    let primes = try! Modulus.nttFriendlyPrimes(bitWidths: [40, 40, 40], degree: 16).map(\.value)
    return try! BFV.Parameters(insecureDegree: 16, coefficientModuli: primes, plaintextModulus: 257)
  }()
  /// N = 64, q ≈ 2^100, t = 641 (≡ 1 mod 128): insecure, for rotations with more columns.
  static let small: BFV.Parameters = {
    let primes = try! Modulus.nttFriendlyPrimes(bitWidths: [50, 50], degree: 64).map(\.value)
    return try! BFV.Parameters(insecureDegree: 64, coefficientModuli: primes, plaintextModulus: 641)
  }()
  static let n4096 = try! BFV.Parameters(preset: .n4096)
  static let n8192 = try! BFV.Parameters(preset: .n8192)

  struct Keys: Sendable {
    let secret: BFV.SecretKey
    let public_: BFV.PublicKey
    let relinearization: BFV.RelinearizationKey
  }

  static func keys(_ parameters: BFV.Parameters) -> Keys {
    let secret = BFV.SecretKey(parameters: parameters)
    return Keys(
      secret: secret, public_: secret.publicKey(), relinearization: secret.relinearizationKey())
  }

  static let tinyKeys = keys(tiny)
  static let smallKeys = keys(small)
  static let n4096Keys = keys(n4096)
  static let n8192Keys = keys(n8192)
}

/// N random values in [0, t).
func randomSlots(_ parameters: BFV.Parameters, _ label: UInt8) -> [UInt64] {
  var generator = testGenerator(label)
  return (0..<parameters.degree).map { _ in
    UInt64.random(in: 0..<parameters.plaintextModulus, using: &generator)
  }
}

/// Slot-wise a ∘ b mod t.
func slotwise(_ a: [UInt64], _ b: [UInt64], _ t: UInt64, _ op: (UInt64, UInt64) -> UInt64) -> [UInt64] {
  zip(a, b).map { op($0, $1) % t }
}

func mulmod(_ a: UInt64, _ b: UInt64, _ t: UInt64) -> UInt64 {
  UInt64((UInt128(a) * UInt128(b)) % UInt128(t))
}

/// Row rotation of a slot vector, left by `step` in each row of N/2.
func rotateRows(_ values: [UInt64], by step: Int) -> [UInt64] {
  let half = values.count / 2
  var result = values
  for row in 0..<2 {
    for c in 0..<half {
      result[row * half + c] = values[row * half + ((c + step) % half + half) % half]
    }
  }
  return result
}
