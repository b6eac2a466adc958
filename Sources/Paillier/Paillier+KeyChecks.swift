import BigNum

// Checks on key material read from files: a modulus or factors that no key
// generator of the scheme would produce are refused on load, so that a
// broken key is never used (nor reported as secure by `hekit inspect`).

extension Paillier {
  /// The most bits by which the two primes of a private key may differ
  /// (python-paillier and HEKit draw both at half the key size).
  static let maximumFactorSizeDifference = 2

  /// The primes below 10,000, whose product ``smallFactor(of:)`` divides by
  /// (the odd ones also sieve the candidates of ``randomSafePrime(bitWidth:)``).
  static let smallPrimes: [Int] = {
    var sieve = [Bool](repeating: true, count: 10_000)
    var primes: [Int] = []
    for i in 2..<sieve.count where sieve[i] {
      primes.append(i)
      for j in stride(from: i * i, to: sieve.count, by: i) { sieve[j] = false }
    }
    return primes
  }()

  private static let smallPrimesProduct: BigInteger = smallPrimes.reduce(BigInteger(1)) { $0 * BigInteger($1) }

  /// The smallest prime below 10,000 that divides `n`, or nil: a Paillier
  /// modulus is the product of two large primes and has none.
  static func smallFactor(of n: BigInteger) -> Int? {
    guard n.greatestCommonDivisor(with: smallPrimesProduct) != 1 else { return nil }
    return smallPrimes.first { n.isMultiple(of: BigInteger($0)) }
  }
}
