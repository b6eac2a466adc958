/// Everything that can go wrong in BigNum on input a caller supplies.
///
/// Each case names the problem; ``errorDescription`` says it in a sentence a
/// user can act on. BigNum never traps on such input: it throws one of these.
public enum BigNumError: Error, Equatable, Sendable {
  /// A division or remainder by zero.
  case divisionByZero
  /// A string that is not an integer in the given radix: empty, or with a
  /// character that is not a digit at the given (zero-based) offset.
  case malformedInteger(radix: Int, offset: Int)
  /// A radix other than 2...36.
  case unsupportedRadix(Int)
  /// Base64url text with a character outside the alphabet or an impossible length.
  case malformedBase64URL
  /// A modulus that must be positive was zero or negative.
  case nonPositiveModulus
  /// The constant-time power needs an odd modulus (`mpz_powm_sec`).
  case evenModulus
  /// An exponent that must not be negative was.
  case negativeExponent
  /// A negative exponent asked for an inverse that does not exist.
  case notInvertible
  /// A bit width outside `0...BigInteger.maximumBitWidth` (or too small for a prime).
  case invalidBitWidth(Int)
  /// A bound for a random draw that is zero or negative.
  case nonPositiveBound
  /// A negative value where only non-negative ones have a byte encoding.
  case negativeValue
  /// A byte encoding asked to fit in fewer bytes than the value needs.
  case valueTooLarge(byteCount: Int)
}

extension BigNumError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .divisionByZero:
      return "division by zero"
    case .malformedInteger(let radix, let offset):
      return "not an integer in base \(radix): invalid or missing digit at offset \(offset)"
    case .unsupportedRadix(let radix):
      return "radix \(radix) is not supported (use 2 to 36)"
    case .malformedBase64URL:
      return "not base64url text (alphabet A-Z a-z 0-9 - _, no padding needed)"
    case .nonPositiveModulus:
      return "the modulus must be positive"
    case .evenModulus:
      return "the constant-time power needs an odd modulus"
    case .negativeExponent:
      return "the exponent must not be negative"
    case .notInvertible:
      return "the base has no inverse modulo the modulus, so a negative exponent is undefined"
    case .invalidBitWidth(let bits):
      return "bit width \(bits) is out of range (0 to \(BigInteger.maximumBitWidth), at least 2 for a prime)"
    case .nonPositiveBound:
      return "the upper bound of a random draw must be positive"
    case .negativeValue:
      return "a negative integer has no unsigned byte encoding"
    case .valueTooLarge(let byteCount):
      return "the integer does not fit in \(byteCount) bytes"
    }
  }
}

#if canImport(FoundationEssentials)
  import FoundationEssentials
#elseif canImport(Foundation)
  import Foundation
#endif

extension BigNumError: LocalizedError {
  public var errorDescription: String? { description }
}
