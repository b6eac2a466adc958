internal import CGMP

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
    guard bitWidth >= 0, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    return BigInteger(randomBits: bitWidth, using: &generator)
  }

  /// A uniformly random integer in `0 ..< 2^bitWidth` from ``SecureRandom``.
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func random(bitWidth: Int) throws(BigNumError) -> BigInteger {
    var generator = SecureRandom()
    return try random(bitWidth: bitWidth, using: &generator)
  }

  /// A uniformly random integer in `0 ..< bound`, by rejection sampling (no
  /// modulo bias).
  ///
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func random(
    below bound: BigInteger, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bound.signum() > 0 else { throw .nonPositiveBound }
    let bits = bound.bitWidth
    while true {  // each draw succeeds with probability above 1/2
      let candidate = BigInteger(randomBits: bits, using: &generator)
      if candidate < bound { return candidate }
    }
  }

  /// A uniformly random integer in `0 ..< bound` from ``SecureRandom``.
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func random(below bound: BigInteger) throws(BigNumError) -> BigInteger {
    var generator = SecureRandom()
    return try random(below: bound, using: &generator)
  }

  /// Random bits written straight into GMP's limbs: no intermediate buffer
  /// holds them. ``SecureRandom`` fills all limbs with one locked copy.
  init(randomBits bits: Int, using generator: inout some RandomNumberGenerator) {
    self.init()
    guard bits > 0 else { return }
    let limbCount = (bits + 63) / 64
    withMutablePointer { z in
      let limbs = UnsafeMutableBufferPointer(start: __gmpz_limbs_write(z, limbCount), count: limbCount)
      if generator is SecureRandom {
        SecureRandom.fill(UnsafeMutableRawBufferPointer(limbs))
      } else {
        for i in 0..<limbCount { limbs[i] = mp_limb_t(generator.next()) }
      }
      let excess = limbCount * 64 - bits
      if excess > 0 { limbs[limbCount - 1] &= mp_limb_t.max >> excess }
      __gmpz_limbs_finish(z, limbCount)
    }
  }
}
