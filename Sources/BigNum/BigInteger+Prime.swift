internal import CGMP

extension BigInteger {
  /// Whether `self` is (very probably) prime.
  ///
  /// Runs GMP's trial division and Baillie–PSW test (no composite is known to
  /// pass it, and none exists below 2^64), then `rounds` Miller–Rabin rounds
  /// with bases drawn from `generator`, so an adversarially chosen composite
  /// passes with probability at most 4^−rounds.
  public func isProbablePrime(
    rounds: Int = 16, using generator: inout some RandomNumberGenerator
  ) -> Bool {
    // mpz_probab_prime_p with reps = 24 is exactly trial division + BPSW; it
    // draws no random bases of its own (those start at reps = 25).
    let verdict = withPointer { __gmpz_probab_prime_p($0, 24) }
    if verdict == 0 { return false }
    if verdict == 2 || bitWidth <= 64 { return true }
    return passesMillerRabin(rounds: rounds, using: &generator)
  }

  /// Whether `self` is (very probably) prime, with bases from ``SecureRandom``.
  public func isProbablePrime(rounds: Int = 16) -> Bool {
    var generator = SecureRandom()
    return isProbablePrime(rounds: rounds, using: &generator)
  }

  /// The smallest prime greater than `self` (2 for anything below 2).
  public func nextPrime() -> BigInteger {
    BigInteger.unary(self) { __gmpz_nextprime($0, $1) }
  }

  /// A uniformly random prime of exactly `bitWidth` bits (its top bit set).
  ///
  /// Draws independent odd candidates of that width until one passes
  /// ``isProbablePrime(rounds:using:)``; unlike searching upwards from one
  /// random start, every prime of that width is equally likely.
  ///
  /// - Throws: ``BigNumError/invalidBitWidth(_:)`` below 2 or above
  ///   ``maximumBitWidth``.
  public static func randomPrime(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bitWidth >= 2, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    if bitWidth == 2 { return (generator.next() & 1) == 0 ? 2 : 3 }
    return drawPrime(bitWidth: bitWidth, topBits: 1, secret: false, using: &generator)
  }

  /// A uniformly random prime of exactly `bitWidth` bits from ``SecureRandom``.
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func randomPrime(bitWidth: Int) throws(BigNumError) -> BigInteger {
    var generator = SecureRandom()
    return try randomPrime(bitWidth: bitWidth, using: &generator)
  }

  /// A random prime of exactly `bitWidth` bits with its two top bits set (so
  /// the product of two such primes has exactly `2 · bitWidth` bits), marked
  /// secret from the start; rejected candidates are overwritten in place.
  ///
  /// - Throws: ``BigNumError/invalidBitWidth(_:)`` below 3 or above ``maximumBitWidth``.
  public static func randomSecretPrime(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bitWidth >= 3, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    return drawPrime(bitWidth: bitWidth, topBits: 2, secret: true, using: &generator)
  }

  /// Odd candidates of exactly `bitWidth` bits with the top `topBits` bits set,
  /// drawn into one integer until one is prime.
  private static func drawPrime(
    bitWidth: Int, topBits: Int, secret: Bool, using generator: inout some RandomNumberGenerator
  ) -> BigInteger {
    var candidate = make(secret: secret) { _ in }
    while true {
      candidate.fillRandomBits(bitWidth, using: &generator)
      candidate.withMutablePointer { z in
        for bit in (bitWidth - topBits)..<bitWidth { __gmpz_setbit(z, UInt(bit)) }
        __gmpz_setbit(z, 0)
      }
      if candidate.isProbablePrime(using: &generator) { return candidate }
    }
  }

  /// Miller–Rabin with random bases in `2 ..< self - 1`, for odd `self > 3`.
  private func passesMillerRabin(rounds: Int, using generator: inout some RandomNumberGenerator) -> Bool {
    let minusOne = self - 1
    let shift = minusOne.trailingZeroBitCount
    let odd = minusOne >> shift
    let baseRange = self - 3
    for _ in 0..<max(rounds, 0) {
      // Never throws: baseRange > 0 because self > 2^64.
      guard let offset = try? BigInteger.random(below: baseRange, using: &generator) else { return false }
      var x = (try? (offset + 2).power(odd, modulus: self)) ?? 0
      if x == 1 || x == minusOne { continue }
      var witnessed = true
      for _ in 1..<max(shift, 1) {
        x = BigInteger.binary(x, self) { r, a, m in
          __gmpz_mul(r, a, a)
          __gmpz_mod(r, r, m)
        }
        if x == minusOne {
          witnessed = false
          break
        }
        if x == 1 { break }
      }
      if witnessed { return false }
    }
    return true
  }
}
