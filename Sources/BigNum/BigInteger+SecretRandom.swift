internal import CGMP

// Random draws for secrets (keys, encryption randomness): the integer is
// marked secret before any random bit is written into its limbs, and every
// rejected candidate is wiped too, so no random secret reaches freed memory.

extension BigInteger {
  /// A uniformly random integer in `0 ..< 2^bitWidth`, marked secret from
  /// the start (see ``markSecret()``).
  ///
  /// - Throws: ``BigNumError/invalidBitWidth(_:)``.
  public static func randomSecret(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bitWidth >= 0, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    var value = BigInteger()
    value.markSecret()
    value.fillRandomBits(bitWidth, using: &generator)
    return value
  }

  /// A uniformly random integer in `0 ..< bound`, marked secret from the
  /// start, by rejection sampling (every rejected candidate is wiped).
  ///
  /// - Throws: ``BigNumError/nonPositiveBound``.
  public static func randomSecret(
    below bound: BigInteger, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bound.signum() > 0 else { throw .nonPositiveBound }
    let bits = bound.bitWidth
    var value = BigInteger()
    value.markSecret()
    repeat {
      value.fillRandomBits(bits, using: &generator)
    } while value >= bound
    return value
  }

  /// Overwrites the limbs with `bits` random bits (in place: a secret stays secret).
  private mutating func fillRandomBits(_ bits: Int, using generator: inout some RandomNumberGenerator) {
    guard bits > 0 else {
      withMutablePointer { __gmpz_set_ui($0, 0) }
      return
    }
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

extension BigInteger {
  /// A random prime of exactly `bitWidth` bits with its two top bits set (so
  /// the product of two such primes has exactly `2 · bitWidth` bits), marked
  /// secret from the start; rejected candidates are wiped.
  ///
  /// - Throws: ``BigNumError/invalidBitWidth(_:)`` below 3 or above ``maximumBitWidth``.
  public static func randomSecretPrime(
    bitWidth: Int, using generator: inout some RandomNumberGenerator
  ) throws(BigNumError) -> BigInteger {
    guard bitWidth >= 3, bitWidth <= maximumBitWidth else { throw .invalidBitWidth(bitWidth) }
    var candidate = BigInteger()
    candidate.markSecret()
    while true {
      candidate.fillRandomBits(bitWidth, using: &generator)
      candidate.withMutablePointer { z in
        __gmpz_setbit(z, UInt(bitWidth - 1))
        __gmpz_setbit(z, UInt(bitWidth - 2))
        __gmpz_setbit(z, 0)
      }
      if candidate.isProbablePrime(using: &generator) { return candidate }
    }
  }
}
