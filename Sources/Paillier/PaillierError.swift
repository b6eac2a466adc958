import BigNum

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Everything that can go wrong in Paillier on input a caller supplies.
///
/// Paillier never traps on such input; it throws one of these, and
/// ``errorDescription`` says what happened in a sentence a user can act on.
public enum PaillierError: Error, Equatable, Sendable {
  /// Two operands belong to different keys (different `n`).
  case keyMismatch
  /// A plaintext, or the possible result of an operation, lies outside the
  /// signed window `|m| ≤ limit` (`limit` is python-paillier's `max_int`,
  /// `n/3 − 1`).
  case plaintextOutOfRange(limit: BigInteger)
  /// A decrypted value lies in the overflow band between `n/3` and `2n/3`:
  /// some computation left the window.
  case decodingOverflow
  /// A decrypted value exceeds the magnitude bound its ciphertext carries:
  /// the ciphertext is not the one the bound was written for.
  case boundExceeded
  /// A ciphertext read from a file that carries no magnitude bound (as
  /// python-paillier writes them), where an operation needs one to prove
  /// that its result stays in the window.
  case unknownBound
  /// A key size below the secure minimum without an `insecure…` entry point.
  case insecureKeySize(bits: Int, minimum: Int)
  /// A key size no entry point supports (odd, too small or too large).
  case unsupportedKeySize(bits: Int)
  /// A ciphertext not in `Z*_{n²}`: zero, at least `n²`, or sharing a factor with `n`.
  case invalidCiphertext
  /// Key material that is inconsistent (named part and reason).
  case invalidKey(String)
  /// Randomness outside its domain (`r` not in `Z*_n`, `α` negative).
  case invalidRandomness
  /// A floating-point value that is NaN or infinite.
  case nonFiniteValue
  /// A precision that is not a positive finite number.
  case invalidPrecision
  /// An exponent may only decrease without the private key.
  case cannotIncreaseExponent(from: Int, to: Int)
  /// A decoded fixed-point value that is not an integer (use a `Double` decoding).
  case notAnInteger(exponent: Int)
  /// A decoded value too large for a `Double`.
  case doubleOverflow
  /// Two lists that must have the same length do not.
  case lengthMismatch(expected: Int, actual: Int)
  /// An operation on no ciphertexts at all.
  case emptyInput
  /// A file or text that is not the expected format (what and why).
  case malformedData(String)

  // Threshold decryption (``Paillier/ThresholdPublicKey``).

  /// A threshold `t` and party count that do not satisfy
  /// `1 ≤ t ≤ parties ≤` ``Paillier/maximumThresholdParties``.
  case invalidThreshold(threshold: Int, parties: Int)
  /// A party index outside `1 ... parties`.
  case partyOutOfRange(party: Int, parties: Int)
  /// Two partial decryptions (or shares) of the same party.
  case duplicateParty(party: Int)
  /// Fewer valid partial decryptions than the threshold.
  case notEnoughShares(have: Int, need: Int)
  /// A partial decryption whose proof does not verify: the party sent a wrong
  /// or altered value.
  case invalidPartialDecryption(party: Int)
  /// A partial decryption made under another threshold key.
  case partialKeyMismatch(party: Int)
  /// A partial decryption of another ciphertext.
  case partialCiphertextMismatch(party: Int)
}

extension PaillierError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .keyMismatch:
      return "the operands were encrypted under different public keys"
    case .plaintextOutOfRange(let limit):
      return "the value (or the result of this operation) could exceed the plaintext window |m| <= n/3 - 1 "
        + "(\(limit.bitWidth) bits); use smaller values or a larger key"
    case .decodingOverflow:
      return "the decrypted value is outside the window |m| <= n/3 - 1: a computation overflowed"
    case .boundExceeded:
      return "the decrypted value exceeds the bound its ciphertext declares: the ciphertext was replaced or altered"
    case .unknownBound:
      return "the ciphertext carries no plaintext bound (python-paillier does not write one), so HEKit cannot "
        + "show that the result stays within |m| <= n/3 - 1; encrypt the value with HEKit, which records a bound"
    case .insecureKeySize(let bits, let minimum):
      return "a \(bits)-bit key is insecure (minimum \(minimum)); only the insecure... test entry points accept it"
    case .unsupportedKeySize(let bits):
      return "key size \(bits) is not supported (use an even size from \(Paillier.minimumSecureKeyBits) "
        + "to \(Paillier.maximumKeyBits) bits)"
    case .invalidCiphertext:
      return "not a valid ciphertext for this key: it must satisfy 0 < c < n^2 and gcd(c, n) = 1"
    case .invalidKey(let reason):
      return "invalid key: \(reason)"
    case .invalidRandomness:
      return "invalid randomness: r must be in Z*_n and alpha must not be negative"
    case .nonFiniteValue:
      return "NaN and infinity cannot be encoded"
    case .invalidPrecision:
      return "the precision must be a positive finite number"
    case .cannotIncreaseExponent(let from, let to):
      return "cannot raise the exponent from \(from) to \(to) without decrypting; exponents only decrease"
    case .notAnInteger(let exponent):
      return "the value (exponent \(exponent)) is not an integer; decrypt it as a Double"
    case .doubleOverflow:
      return "the decoded value is too large for a Double"
    case .lengthMismatch(let expected, let actual):
      return "expected \(expected) values, got \(actual)"
    case .emptyInput:
      return "at least one ciphertext is needed"
    case .malformedData(let reason):
      return "malformed data: \(reason)"
    case .invalidThreshold(let threshold, let parties):
      return "threshold \(threshold) of \(parties) parties is not valid: it needs 1 <= threshold <= parties <= "
        + "\(Paillier.maximumThresholdParties)"
    case .partyOutOfRange(let party, let parties):
      return "party index \(party) is outside 1...\(parties)"
    case .duplicateParty(let party):
      return "party \(party) appears twice; each party contributes one partial decryption"
    case .notEnoughShares(let have, let need):
      return "\(have) partial decryption(s) from distinct parties, but the threshold is \(need); ask more parties"
    case .invalidPartialDecryption(let party):
      return "the partial decryption of party \(party) fails its proof: the value is wrong or was altered; "
        + "leave that party out and ask another"
    case .partialKeyMismatch(let party):
      return "the partial decryption of party \(party) was made under another threshold key"
    case .partialCiphertextMismatch(let party):
      return "the partial decryption of party \(party) is of another ciphertext"
    }
  }
}

extension PaillierError: LocalizedError {
  public var errorDescription: String? { description }
}

extension PaillierError {
  /// Runs a BigNum operation whose failure means bad key material or input.
  @inline(__always)
  static func wrap<T>(_ what: String, _ body: () throws(BigNumError) -> T) throws(PaillierError) -> T {
    do {
      return try body()
    } catch {
      throw .malformedData("\(what): \(error)")
    }
  }
}
