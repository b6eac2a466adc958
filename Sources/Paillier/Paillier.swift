import BigNum

/// The Paillier cryptosystem: additively homomorphic public-key encryption
/// over `Z_{n²}`, compatible with python-paillier (`phe`).
///
/// ```swift
/// let privateKey = try Paillier.PrivateKey.generate()        // 3072-bit n
/// let publicKey = privateKey.publicKey
/// let a = try publicKey.encrypt(42)
/// let b = try publicKey.encrypt(-8)
/// let sum = try a + b * 3
/// print(try privateKey.decrypt(sum))                           // 18
/// ```
///
/// Anyone holding the ``PublicKey`` can encrypt and compute on ciphertexts:
/// add two of them, add or multiply by a plaintext, negate, sum many, take a
/// dot product with plaintext weights. Only the ``PrivateKey`` decrypts.
///
/// - Warning: Paillier is IND-CPA only and ciphertexts are malleable;
///   fixed-point exponents and ciphertext sizes are not hidden; the default
///   ``EncryptionMode/djn`` is not constant time. Keys below 2048 bits are
///   refused except through `insecure…` entry points. See the module's
///   security notes.
public enum Paillier {
  /// The smallest key size accepted without an `insecure…` entry point.
  public static let minimumSecureKeyBits = 2048
  /// The key size ``PrivateKey/generate(bits:)`` uses by default (128-bit security).
  public static let defaultKeyBits = 3072
  /// The largest key size key generation offers.
  public static let maximumKeyBits = 4096
  /// The largest modulus a reader accepts from a file (bounds memory and time).
  public static let maximumReadableKeyBits = 16384
  /// The smallest modulus even the insecure entry points accept.
  public static let minimumInsecureKeyBits = 128

  /// How the obfuscator `ρ`, an `n`-th residue modulo `n²`, is drawn.
  public enum EncryptionMode: String, Sendable, CaseIterable, Codable {
    /// Damgård–Jurik–Nielsen: `ρ = h_s^α mod n²` with `α` uniform of n/2 bits,
    /// from a fixed-base table built once per key (the default; one product
    /// per window of `α` instead of ``standard``'s full power).
    case djn
    /// Textbook Paillier: `ρ = r^n mod n²` with `r` uniform in `Z*_n`.
    case standard
  }

  /// Explicit obfuscator randomness, for known-answer tests only.
  ///
  /// - Warning: Reusing randomness across ciphertexts breaks semantic
  ///   security. Production code never passes this.
  public enum Randomness: Sendable {
    /// `ρ = r^n mod n²` (``EncryptionMode/standard``), `r` in `Z*_n`.
    case standard(r: BigInteger)
    /// `ρ = h_s^α mod n²` (``EncryptionMode/djn``), `α ≥ 0`.
    case djn(alpha: BigInteger)
    /// `ρ = 1`: the deterministic encoding `1 + m·n` (python-paillier's
    /// `raw_encrypt(m, r_value=1)`), as used inside additions of plaintexts.
    case none
  }
}
