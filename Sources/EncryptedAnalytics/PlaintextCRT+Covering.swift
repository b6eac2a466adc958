import BFV
import BigNum

extension BFV.PlaintextCRT {
  /// The fewest of the `width`-bit batching primes (at most 16) on `preset`'s
  /// ring whose product exceeds 2^`neededBits`: the plaintext space of the
  /// analytics and secure-aggregation contexts.
  /// - Throws: ``AnalyticsError/invalidRequest(reason:)`` when no such prime
  ///   exists, ``AnalyticsError/doesNotFitPlaintext(needBits:haveBits:)``
  ///   when 16 are not enough; `BFVError` from the parameters.
  static func covering(bits needed: Int, width: Int, preset: BFV.Preset) throws -> BFV.PlaintextCRT {
    let primes = batchingPrimes(bitWidth: width, degree: preset.degree, atMost: 16)
    guard !primes.isEmpty else {
      throw AnalyticsError.invalidRequest(reason: "no \(width)-bit prime is 1 mod 2N: use wider plaintext moduli")
    }
    var used = 1
    var product = BigInteger(primes[0])
    while product.bitWidth - 1 < needed && used < primes.count {
      product *= BigInteger(primes[used])
      used += 1
    }
    guard product.bitWidth - 1 >= needed else {
      throw AnalyticsError.doesNotFitPlaintext(needBits: needed, haveBits: product.bitWidth - 1)
    }
    return try BFV.PlaintextCRT(preset: preset, plaintextModuli: Array(primes.prefix(used)))
  }
}
