internal import CGMP

// Random integers and primes. Every draw defaults to SecureRandom (the OS
// CSPRNG). The `randomSecret…` forms mark the integer secret before any random
// bit is written into it and redraw in place, so neither the result nor a
// rejected candidate ever sits unmarked in freed memory: use them for keys and
// encryption randomness.

extension BigInteger {
  /// A uniformly random integer in `0 ..< 2^bitWidth`.
  ///
  /// - Parameters:
  ///   - bitWidth: the number of random bits, `0...maximumBitWidth`.
  ///   - generator: the source of randomness; use ``SecureRandom`` (the
  ///     default) for anything secret.
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func random(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    try draw(bitWidth: bitWidth, secret: false, using: &generator)
  }

  /// A uniformly random integer in `0 ..< 2^bitWidth` from ``SecureRandom``.
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func random(bitWidth: Int) throws(BigNumError) -> BigInteger {
    var generator = SecureRandom()
    return try draw(bitWidth: bitWidth, secret: false, using: &generator)
  }

  /// A uniformly random integer in `0 ..< bound`, by rejection sampling (no
  /// modulo bias).
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func random(
    below bound: BigInteger, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    try draw(below: bound, secret: false, using: &generator)
  }

  /// A uniformly random integer in `0 ..< bound` from ``SecureRandom``.
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func random(below bound: BigInteger) throws(BigNumError) -> BigInteger {
    var generator = SecureRandom()
    return try draw(below: bound, secret: false, using: &generator)
  }

  /// As ``random(bitWidth:using:)``, marked secret from the start (see ``markSecret()``).
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func randomSecret(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    try draw(bitWidth: bitWidth, secret: true, using: &generator)
  }

  /// As ``random(below:using:)``, marked secret from the start; every
  /// rejected candidate is overwritten in place.
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func randomSecret(
    below bound: BigInteger, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    try draw(below: bound, secret: true, using: &generator)
  }

  private static func draw(
    bitWidth: Int, secret: Bool, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bitWidth >= 0, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    var value = make(secret: secret) { _ in }
    value.fillRandomBits(bitWidth, using: &generator)
    return value
  }

  private static func draw(
    below bound: BigInteger, secret: Bool, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bound.signum() > 0 else { throw .nonPositiveBound }
    let bits = bound.bitWidth
    var value = make(secret: secret) { _ in }
    repeat {  // each draw succeeds with probability above 1/2
      value.fillRandomBits(bits, using: &generator)
    } while value >= bound
    return value
  }

  /// Overwrites the limbs with `bits` random bits, in place (a secret stays
  /// secret). ``SecureRandom`` fills all limbs with one locked copy; no
  /// intermediate buffer holds the bits.
  mutating func fillRandomBits(_ bits: Int, using generator: inout some RandomNumberGenerator) {
    guard bits > 0 else {
      withMutablePointer { __gmpz_set_ui($0, 0) }
      return
    }
    let limbCount = (bits + 63) / 64
    // Other generators (seeded ones, in tests) are drawn before the closure:
    // ThreadSanitizer builds crash on a generic inout captured by it.
    let secure = type(of: generator) == SecureRandom.self
    var words: [UInt64] = []
    if !secure {
      words.reserveCapacity(limbCount)
      for _ in 0..<limbCount { words.append(generator.next()) }
    }
    withMutablePointer { z in
      let limbs = UnsafeMutableBufferPointer(start: __gmpz_limbs_write(z, limbCount), count: limbCount)
      if secure {
        SecureRandom.fill(UnsafeMutableRawBufferPointer(limbs))
      } else {
        for i in 0..<limbCount { limbs[i] = mp_limb_t(words[i]) }
      }
      let excess = limbCount * 64 - bits
      if excess > 0 { limbs[limbCount - 1] &= mp_limb_t.max >> excess }
      __gmpz_limbs_finish(z, limbCount)
    }
    words.withUnsafeMutableBytes { cgmp_secure_zero($0.baseAddress, $0.count) }
  }
}
