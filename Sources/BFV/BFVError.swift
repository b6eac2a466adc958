import PolyRing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything that can go wrong in BFV on input a caller supplies.
///
/// BFV never traps on such input; it throws one of these, and
/// ``errorDescription`` says what happened in a sentence a user can act on.
public enum BFVError: Error, Equatable, Sendable {
  /// log2 q exceeds the HomomorphicEncryption.org 128-bit bound for the degree
  /// (ternary secret, σ ≈ 3.2), or the degree is not one of the secure ones.
  case insecureParameters(degree: Int, logQ: Int, maximumLogQ: Int)
  /// Parameters that no entry point supports (what and why).
  case invalidParameters(String)
  /// Two operands (or a key and an operand) belong to different parameters.
  case parameterMismatch
  /// No Galois key for the rotation asked for.
  case missingGaloisKey(step: Int)
  /// A ciphertext × ciphertext product needs a relinearisation key, or an
  /// operation needs a ciphertext of two polynomials.
  case relinearizationRequired
  /// Two ciphertexts at different levels (numbers of primes of q).
  case levelMismatch(Int, Int)
  /// Dropping a modulus would leave none.
  case modulusChainExhausted
  /// A value does not fit the plaintext space: |value| must be below `limit`.
  case plaintextOutOfRange(limit: UInt64)
  /// More values than slots (or coefficients).
  case tooManyValues(count: Int, capacity: Int)
  /// The plaintext modulus is not a prime ≡ 1 mod 2N, so slots do not exist.
  case batchingUnavailable(plaintextModulus: UInt64, degree: Int)
  /// A ciphertext of the wrong shape (number of polynomials, level).
  case invalidCiphertext(String)
  /// Serialized data that is not a valid object of the expected kind (why).
  case malformedData(String)
  /// An error of the polynomial layer (should not happen for well-formed inputs).
  case ring(PolyRingError)
}

extension BFVError: LocalizedError, CustomStringConvertible {
  /// A message that says what was wrong and what to do.
  public var description: String {
    switch self {
    case .insecureParameters(let n, let logQ, let maximum):
      return
        "BFV parameters with N = \(n) and log2 q = \(logQ) are below 128-bit security "
        + "(the HomomorphicEncryption.org bound for this N is \(maximum) bits): use a preset, "
        + "a larger N or fewer primes; tests may use BFV.Parameters(insecureDegree:...)."
    case .invalidParameters(let reason):
      return "Invalid BFV parameters: \(reason)."
    case .parameterMismatch:
      return
        "The operands belong to different BFV parameters (or keys): use keys, plaintexts and ciphertexts of one BFV.Parameters."
    case .missingGaloisKey(let step):
      return
        "No Galois key for a rotation by \(step): generate Galois keys for this step (or the power-of-two set)."
    case .relinearizationRequired:
      return
        "This operation needs a ciphertext of two polynomials: relinearise the product first."
    case .levelMismatch(let a, let b):
      return
        "The ciphertexts are at different levels (\(a) and \(b) primes): switch the higher one down first."
    case .modulusChainExhausted:
      return "The ciphertext is at its last modulus: it cannot be switched down further."
    case .plaintextOutOfRange(let limit):
      return "A value does not fit the plaintext space: use values of magnitude below \(limit)."
    case .tooManyValues(let count, let capacity):
      return "\(count) values do not fit \(capacity) slots: split them over several plaintexts."
    case .batchingUnavailable(let t, let n):
      return
        "Plaintext modulus \(t) is not a prime ≡ 1 mod \(2 * n): batching needs one; use the coefficient encoder or a batching t."
    case .invalidCiphertext(let reason):
      return "Invalid ciphertext: \(reason)."
    case .malformedData(let reason):
      return "Malformed BFV data: \(reason)."
    case .ring(let error):
      return "Polynomial arithmetic failed: \(error.description)"
    }
  }

  /// Same as ``description``.
  public var errorDescription: String? { description }
}

/// Runs a PolyRing call, wrapping its error.
@inline(__always)
func wrapping<R>(_ body: () throws(PolyRingError) -> R) throws(BFVError) -> R {
  do { return try body() } catch { throw .ring(error) }
}
