import BigNum

extension Paillier {
  /// An encrypted number: `c = (1 + m·n) · ρ mod n²`, with the fixed-point
  /// exponent of the plaintext in the clear.
  ///
  /// A ciphertext made here also carries a bound on the magnitude of its
  /// plaintext mantissa (``magnitudeBound``): an encryption records `|m|`,
  /// and every operation propagates the worst case, so an operation whose
  /// result could leave the window `|m| ≤ maxInt` throws
  /// ``PaillierError/plaintextOutOfRange(limit:)`` *before* computing.
  /// A ciphertext read from HEKit's JSON carries the bound written with it
  /// (rounded up to a size class, ``publicBound``); one from python-paillier
  /// has none (`nil`) and skips the check: its overflow shows at decryption
  /// only when the result lands in the band between the windows
  /// (``PaillierError/decodingOverflow``), which is why `hekit add` and
  /// `hekit multiply` refuse such ciphertexts (``PaillierError/unknownBound``).
  ///
  /// - Warning: Ciphertexts are malleable (anyone can add to or scale the
  ///   plaintext) and the exponent is public.
  public struct Ciphertext: Sendable, Hashable, CustomStringConvertible {
    /// The key the ciphertext was encrypted under.
    public let publicKey: PublicKey
    /// `c`, in `Z*_{n²}`.
    public let value: BigInteger
    /// The plaintext is `mantissa · 16^exponent`.
    public let exponent: Int
    /// An upper bound on `|mantissa|`, or `nil` when unknown (read from a file).
    public let magnitudeBound: BigInteger?

    /// A ciphertext as read from a file or another party: checked to be in
    /// `Z*_{n²}`, with no magnitude bound.
    ///
    /// - Throws: ``PaillierError/invalidCiphertext`` unless `0 < value < n²`
    ///   and `gcd(value, n) = 1`.
    public init(value: BigInteger, exponent: Int = 0, publicKey: PublicKey) throws(PaillierError) {
      guard Ciphertext.isValid(value, for: publicKey) else { throw .invalidCiphertext }
      self.init(unchecked: value, exponent: exponent, publicKey: publicKey, magnitudeBound: nil)
    }

    init(unchecked value: BigInteger, exponent: Int, publicKey: PublicKey, magnitudeBound: BigInteger?) {
      self.value = value
      self.exponent = exponent
      self.publicKey = publicKey
      self.magnitudeBound = magnitudeBound
    }

    /// Whether `value` is in `Z*_{n²}`: `0 < value < n²` and `gcd(value, n) = 1`.
    static func isValid(_ value: BigInteger, for key: PublicKey) -> Bool {
      value.signum() > 0 && value < key.nSquared && value.greatestCommonDivisor(with: key.n) == 1
    }

    /// The same ciphertext with its magnitude bound forgotten, as if read from a file.
    public var withUnknownBound: Ciphertext {
      Ciphertext(unchecked: value, exponent: exponent, publicKey: publicKey, magnitudeBound: nil)
    }

    public static func == (lhs: Ciphertext, rhs: Ciphertext) -> Bool {
      lhs.publicKey == rhs.publicKey && lhs.exponent == rhs.exponent && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(value)
      hasher.combine(exponent)
    }

    public var description: String { "Paillier.Ciphertext(\(publicKey.bitWidth)-bit key, exponent \(exponent))" }

    // MARK: Helpers for the algebra

    /// Throws unless `bound` (when known) stays in the window.
    static func checked(_ bound: BigInteger?, _ key: PublicKey) throws(PaillierError) -> BigInteger? {
      if let bound, bound > key.maxInt { throw .plaintextOutOfRange(limit: key.maxInt) }
      return bound
    }

    /// `value^k mod n²` for a signed `k` (a unit's inverse for negative `k`).
    func raised(to k: BigInteger) throws(PaillierError) -> BigInteger {
      do {
        return try value.power(k, modulus: publicKey.nSquared)
      } catch {
        throw .invalidCiphertext
      }
    }

    /// `(a · b) mod n²`.
    static func product(_ a: BigInteger, _ b: BigInteger, _ key: PublicKey) -> BigInteger {
      (try? (a * b).modulo(key.nSquared)) ?? 0  // n² > 0
    }
  }
}
