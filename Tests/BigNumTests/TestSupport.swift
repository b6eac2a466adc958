import BigNum
import Foundation
import _TestSupport

/// The deterministic generator of property tests (SplitMix64); the seed is
/// printed in failure messages.
typealias SeededGenerator = SplitMix64

extension BigInteger {
  /// A random signed integer of up to `bits` bits.
  static func signedRandom(bits: Int, using generator: inout SeededGenerator) -> BigInteger {
    let magnitude = (try? BigInteger.random(bitWidth: Int(generator.next() % UInt64(bits + 1)), using: &generator)) ?? 0
    return generator.next() & 1 == 0 ? magnitude : -magnitude
  }
}
