import BigNum
import Testing

/// The Swift example in README.md, line for line, with its printed output
/// asserted, so the README cannot drift from the code.
@Test("README example")
func readmeExample() throws {
  let n: BigInteger = 3233                           // 61 × 53
  let c = try BigInteger(65).power(17, modulus: n)   // public exponent: variable time is fine
  let m = try c.constantTimePower(2753, modulus: n)  // secret exponent: GMP's mpz_powm_sec
  let p = try BigInteger.randomPrime(bitWidth: 1024) // from the OS CSPRNG
  #expect("\(c) \(m) \(p.bitWidth) \(p.isProbablePrime())" == "2790 65 1024 true")
}
