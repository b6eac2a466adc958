import BigNum
import Testing

@Suite("Secret random draws")
struct SecretRandomTests {
  @Test("randomSecret draws are secret, in range, and vary")
  func draws() throws {
    var generator = SecureRandom()
    let a = try BigInteger.randomSecret(bitWidth: 256, using: &generator)
    let b = try BigInteger.randomSecret(bitWidth: 256, using: &generator)
    #expect(a.isSecret && a.bitWidth <= 256 && a != b)
    let bound = BigInteger(1_000_003)
    for _ in 0..<50 {
      let x = try BigInteger.randomSecret(below: bound, using: &generator)
      #expect(x.isSecret && x.signum() >= 0 && x < bound)
    }
    #expect(throws: BigNumError.nonPositiveBound) { try BigInteger.randomSecret(below: 0, using: &generator) }
    #expect(throws: BigNumError.invalidBitWidth(-1)) { try BigInteger.randomSecret(bitWidth: -1, using: &generator) }
  }

  @Test("randomSecretPrime: exact width, top two bits set, prime, secret")
  func primes() throws {
    var generator = SecureRandom()
    for bits in [3, 16, 256, 512] {
      let p = try BigInteger.randomSecretPrime(bitWidth: bits, using: &generator)
      #expect(p.isSecret && p.bitWidth == bits && p.bit(bits - 2) && p.isProbablePrime())
    }
    #expect(throws: BigNumError.invalidBitWidth(2)) { try BigInteger.randomSecretPrime(bitWidth: 2, using: &generator) }
  }
}
