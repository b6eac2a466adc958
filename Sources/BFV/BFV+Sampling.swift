import PolyRing

// Encryption's small polynomials drawn straight into a caller's buffer of
// signed values, with the distributions (and the generator consumption) of
// PolyRing's Sampler: then one lift per limb, no intermediate polynomial.

extension BFV {
  /// `count` values uniform in {−1, 0, 1}: two random bits per try, the
  /// pattern 11 rejected (as ``Sampler/ternary(in:using:)``).
  static func sampleTernary(
    into out: UnsafeMutablePointer<Int64>, count: Int, using generator: inout some RandomNumberGenerator
  ) {
    var bits: UInt64 = 0
    var available = 0
    var j = 0
    while j < count {
      if available == 0 {
        bits = generator.next()
        available = 32
      }
      let pair = bits & 3
      bits >>= 2
      available -= 1
      if pair == 3 { continue }
      out[j] = Int64(pair) - 1
      j += 1
    }
    bits = 0
  }

  /// `count` centered-binomial values with η = 21: popcount(21 random bits) −
  /// popcount(21 random bits), one 64-bit word each (as
  /// ``Sampler/error(in:using:)``: standard deviation √10.5 ≈ 3.24).
  static func sampleError(
    into out: UnsafeMutablePointer<Int64>, count: Int, using generator: inout some RandomNumberGenerator
  ) {
    let mask: UInt64 = (1 << 21) - 1
    for j in 0..<count {
      let word = generator.next()
      out[j] = Int64((word & mask).nonzeroBitCount) - Int64((word >> 21 & mask).nonzeroBitCount)
    }
  }
}
