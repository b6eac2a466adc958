import BigNum
import Foundation

/// A small deterministic generator (SplitMix64) so property tests are
/// reproducible; the seed is printed in failure messages.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Loads `Tests/Vectors/<path>` relative to this source file.
func vectorData(_ path: String) throws -> Data {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  return try Data(contentsOf: root.appendingPathComponent("Vectors").appendingPathComponent(path))
}

extension BigInteger {
  /// A random signed integer of up to `bits` bits.
  static func signedRandom(bits: Int, using generator: inout SeededGenerator) -> BigInteger {
    let magnitude = (try? BigInteger.random(bitWidth: Int(generator.next() % UInt64(bits + 1)), using: &generator)) ?? 0
    return generator.next() & 1 == 0 ? magnitude : -magnitude
  }
}
