import BFV
import BigNum

/// A plaintext space of many BFV batching primes of one width, wide enough
/// for centred integers of a given size: one parameter set per prime t_i (the
/// preset's N and q), their product T and the CRT composition back to
/// (−T/2, T/2]. Shared by the analytics and secure-aggregation contexts.
struct CRTPlaintextSpace: Sendable {
  /// One parameter set per prime.
  let parameters: [BFV.Parameters]
  /// T = ∏ t_i.
  let modulus: BigInteger
  /// (T/t_i)·((T/t_i)⁻¹ mod t_i).
  let factors: [BigInteger]

  /// The fewest of the `width`-bit batching primes (at most 16) whose product
  /// exceeds 2^`neededBits`.
  /// - Throws: ``EncryptedMLError/invalidAnalytics(reason:)`` when no such prime
  ///   exists, ``EncryptedMLError/doesNotFitPlaintext(needBits:haveBits:)``
  ///   when 16 are not enough; `BFVError` from the parameters.
  init(neededBits needed: Int, width: Int, preset: BFV.Preset) throws {
    let primes = BFVBatchScorer.batchingPrimes(bitWidth: width, degree: preset.degree, count: 16)
    guard !primes.isEmpty else {
      throw EncryptedMLError.invalidAnalytics(reason: "no \(width)-bit prime is 1 mod 2N: use wider plaintext moduli")
    }
    var used = 1
    var product = BigInteger(primes[0])
    while product.bitWidth - 1 < needed && used < primes.count {
      product *= BigInteger(primes[used])
      used += 1
    }
    guard product.bitWidth - 1 >= needed else {
      throw EncryptedMLError.doesNotFitPlaintext(needBits: needed, haveBits: product.bitWidth - 1)
    }
    let base = try BFV.Parameters(preset: preset)
    parameters = try primes.prefix(used).map {
      try BFV.Parameters(degree: preset.degree, coefficientModuli: base.coefficientModuli, plaintextModulus: $0)
    }
    modulus = product
    factors = primes.prefix(used).map { t in
      let cofactor = quotient(product, BigInteger(t))
      let inverse = (try? cofactor.modulo(BigInteger(t)))?.inverse(modulo: BigInteger(t)) ?? 1  // t prime
      return cofactor * inverse
    }
  }

  /// The centred integer with residues `r_i` mod t_i.
  func combine(_ residues: [UInt64]) -> BigInteger {
    var x = BigInteger(0)
    for (r, factor) in zip(residues, factors) { x += BigInteger(r) * factor }
    x = (try? x.modulo(modulus)) ?? 0  // T > 0
    return x > modulus >> 1 ? x - modulus : x
  }
}
