import Foundation

/// Everything that can go wrong in PolyRing on input a caller supplies.
public enum PolyRingError: Error, Equatable, Sendable {
  /// A modulus is not in 2...2^62 - 1, or is not prime where a prime is needed.
  case invalidModulus(UInt64)
  /// The ring degree is not a power of two in the supported range.
  case invalidDegree(Int, supported: ClosedRange<Int>)
  /// The modulus is not ≡ 1 mod 2N, so no negacyclic NTT of degree N exists.
  case notNTTFriendly(modulus: UInt64, degree: Int)
  /// Two moduli of one RNS basis are equal (or share a factor).
  case duplicateModulus(UInt64)
  /// Not enough NTT-friendly primes of the requested size exist.
  case notEnoughPrimes(bitWidth: Int, degree: Int, found: Int, requested: Int)
  /// A requested prime bit width is out of the supported range.
  case invalidBitWidth(Int, supported: ClosedRange<Int>)
  /// The number of coefficients does not match the ring.
  case lengthMismatch(expected: Int, actual: Int)
  /// A coefficient is not reduced below its modulus.
  case coefficientOutOfRange(index: Int, modulus: UInt64)
  /// Two operands live in different rings (different degree or moduli).
  case contextMismatch
  /// A Galois element is even or outside 1..<2N.
  case invalidGaloisElement(Int, degree: Int)
  /// A seed is not 32 bytes long.
  case invalidSeedLength(Int)
  /// An RNS basis or operation needs more (or fewer) moduli than it was given.
  case invalidBasis(String)
  /// An integer passed for CRT decomposition is outside [0, Q).
  case valueOutOfRange(String)
}

extension PolyRingError: LocalizedError, CustomStringConvertible {
  /// A message that says what was wrong and what to do.
  public var description: String {
    switch self {
    case .invalidModulus(let q):
      return "Modulus \(q) is not usable: PolyRing needs a prime in 2...2^62 - 1."
    case .invalidDegree(let n, let range):
      return
        "Degree \(n) is not supported: use a power of two in \(range.lowerBound)...\(range.upperBound)."
    case .notNTTFriendly(let q, let n):
      return
        "Modulus \(q) is not ≡ 1 mod \(2 * n): pick a prime from Modulus.nttFriendlyPrimes(bitWidths:degree:)."
    case .duplicateModulus(let q):
      return "Modulus \(q) appears twice in one RNS basis: the moduli must be distinct primes."
    case .notEnoughPrimes(let bits, let n, let found, let requested):
      return
        "Only \(found) of \(requested) NTT-friendly \(bits)-bit primes exist for degree \(n): use other bit widths."
    case .invalidBitWidth(let bits, let range):
      return
        "Bit width \(bits) is not supported: use \(range.lowerBound)...\(range.upperBound) bits."
    case .lengthMismatch(let expected, let actual):
      return "Expected \(expected) coefficients, got \(actual)."
    case .coefficientOutOfRange(let index, let q):
      return "Coefficient \(index) is not below its modulus \(q): reduce it first."
    case .contextMismatch:
      return "The operands belong to different rings: use polynomials of one PolyContext."
    case .invalidGaloisElement(let k, let n):
      return "Galois element \(k) is not an odd number in 1..<\(2 * n)."
    case .invalidSeedLength(let count):
      return "A seed is 32 bytes, got \(count)."
    case .invalidBasis(let reason):
      return "Invalid RNS basis: \(reason)."
    case .valueOutOfRange(let reason):
      return "Value out of range: \(reason)."
    }
  }

  /// Same as ``description``.
  public var errorDescription: String? { description }
}
