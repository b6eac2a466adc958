import BigNum

extension Paillier {
  /// A Paillier private key: the primes `p < q` of `n` and the constants of
  /// decryption by the Chinese remainder theorem (python-paillier's
  /// `hp`, `hq` and `p⁻¹ mod q`).
  ///
  /// Every secret integer is marked secret (``BigInteger/markSecret()``), so
  /// its memory is zeroed when the key is released. Decryption raises the
  /// ciphertext to the secret exponents `p − 1` and `q − 1` with GMP's
  /// constant-time power.
  ///
  /// ```swift
  /// let key = try Paillier.PrivateKey.generate(bits: 3072)
  /// let c = try key.publicKey.encrypt(-5)
  /// try key.decrypt(c)   // -5
  /// ```
  public final class PrivateKey: Sendable, CustomStringConvertible {
    /// The matching public key.
    public let publicKey: PublicKey
    /// The smaller prime factor of `n`.
    public let p: BigInteger
    /// The larger prime factor of `n`.
    public let q: BigInteger

    let pSquared: BigInteger
    let qSquared: BigInteger
    let pMinusOne: BigInteger
    let qMinusOne: BigInteger
    /// `L_p((n+1)^(p−1) mod p²)⁻¹ mod p`.
    let hp: BigInteger
    /// `L_q((n+1)^(q−1) mod q²)⁻¹ mod q`.
    let hq: BigInteger
    /// `p⁻¹ mod q`.
    let pInverse: BigInteger
    /// `(p²)⁻¹ mod q²`, for CRT encryption by the key owner.
    let pSquaredInverse: BigInteger

    /// A private key from its primes (either order) and, optionally, the
    /// public key they belong to (which keeps its DJN base).
    ///
    /// - Throws: ``PaillierError/invalidKey(_:)`` when `p·q ≠ n`, `p = q`, a
    ///   factor is not an odd prime or `gcd(n, (p−1)(q−1)) ≠ 1`;
    ///   ``PaillierError/insecureKeySize(bits:minimum:)`` below 2048 bits.
    public convenience init(p: BigInteger, q: BigInteger, publicKey: PublicKey? = nil) throws(PaillierError) {
      try self.init(p: p, q: q, publicKey: publicKey, minimumBits: Paillier.minimumSecureKeyBits)
    }

    /// As ``init(p:q:publicKey:)``, accepting insecure sizes from 128 bits.
    /// - Warning: For tests only.
    public convenience init(insecureP p: BigInteger, q: BigInteger, publicKey: PublicKey? = nil) throws(PaillierError) {
      try self.init(p: p, q: q, publicKey: publicKey, minimumBits: Paillier.minimumInsecureKeyBits)
    }

    init(p first: BigInteger, q second: BigInteger, publicKey: PublicKey?, minimumBits: Int) throws(PaillierError) {
      let (p, q) = first < second ? (first.secret(), second.secret()) : (second.secret(), first.secret())
      guard p != q else { throw .invalidKey("p and q must differ") }
      guard p > 2, p.isOdd, q.isOdd else { throw .invalidKey("p and q must be odd primes") }
      // Unequal factors make n easier to factor (ECM finds a small p quickly).
      guard q.bitWidth - p.bitWidth <= Paillier.maximumFactorSizeDifference else {
        throw .invalidKey("p and q must be of equal size (p has \(p.bitWidth) bits, q \(q.bitWidth))")
      }
      let n = p * q
      let key: PublicKey
      if let publicKey {
        key = publicKey
      } else {
        key = try PublicKey(n: n.publicCopy, djnBase: nil, minimumBits: minimumBits)
      }
      guard key.n == n else { throw .invalidKey("p * q does not equal the public modulus n") }
      guard key.bitWidth >= minimumBits else { throw .insecureKeySize(bits: key.bitWidth, minimum: minimumBits) }
      guard p.isProbablePrime(), q.isProbablePrime() else { throw .invalidKey("p and q must be primes") }
      let pMinusOne = p - 1
      let qMinusOne = q - 1
      guard n.greatestCommonDivisor(with: pMinusOne * qMinusOne) == 1 else {
        throw .invalidKey("gcd(n, (p-1)(q-1)) must be 1")
      }
      self.publicKey = key
      self.p = p
      self.q = q
      self.pMinusOne = pMinusOne
      self.qMinusOne = qMinusOne
      pSquared = p.squared()
      qSquared = q.squared()
      guard let pInverse = p.inverse(modulo: q), let pSquaredInverse = pSquared.inverse(modulo: qSquared),
        let hp = PrivateKey.hFunction(prime: p, primeSquared: pSquared, n: n),
        let hq = PrivateKey.hFunction(prime: q, primeSquared: qSquared, n: n)
      else { throw .invalidKey("p and q must be coprime primes") }
      self.pInverse = pInverse
      self.pSquaredInverse = pSquaredInverse
      self.hp = hp
      self.hq = hq
      if key.hasDJNBase {
        // A DJN base that is not an n-th residue would shift every plaintext.
        let residue = try? decryptRaw(Ciphertext(value: key.djnBase, publicKey: key))
        guard residue == 0 else { throw .invalidKey("the DJN base h_s is not an n-th residue") }
      }
    }

    /// `L((n+1)^(x−1) mod x²)⁻¹ mod x` with `L(u) = (u − 1) / x` (Paillier, §7).
    static func hFunction(prime x: BigInteger, primeSquared: BigInteger, n: BigInteger) -> BigInteger? {
      guard let power = try? (n + 1).constantTimePower(x - 1, modulus: primeSquared),
        let l = try? (power - 1) / x
      else { return nil }
      return l.inverse(modulo: x)
    }

    public var description: String { "Paillier.PrivateKey(\(publicKey.bitWidth) bits)" }

    // MARK: Decryption

    /// The plaintext residue `m` in `0 ..< n`, by CRT over `p²` and `q²`.
    ///
    /// - Throws: ``PaillierError/keyMismatch``; ``PaillierError/invalidCiphertext``
    ///   unless `0 < c < n²` and `gcd(c, n) = 1`.
    /// - Complexity: two constant-time powers modulo `p²` and `q²` with
    ///   exponents of n/2 bits.
    public func decryptRaw(_ ciphertext: Ciphertext) throws(PaillierError) -> BigInteger {
      guard ciphertext.publicKey == publicKey else { throw .keyMismatch }
      let c = ciphertext.value
      guard Ciphertext.isValid(c, for: publicKey) else { throw .invalidCiphertext }
      do {
        let mp = try (lFunction(c.modulo(pSquared).constantTimePower(pMinusOne, modulus: pSquared), p) * hp)
          .modulo(p)
        let mq = try (lFunction(c.modulo(qSquared).constantTimePower(qMinusOne, modulus: qSquared), q) * hq)
          .modulo(q)
        let u = try ((mq - mp) * pInverse).modulo(q)
        return mp + u * p
      } catch {
        throw .invalidCiphertext
      }
    }

    private func lFunction(_ u: BigInteger, _ x: BigInteger) throws(BigNumError) -> BigInteger {
      try (u - 1) / x
    }

    /// The encoded plaintext (mantissa modulo `n` and exponent).
    ///
    /// - Throws: ``PaillierError/boundExceeded`` when the ciphertext carries a
    ///   magnitude bound and the plaintext lies outside it (the ciphertext was
    ///   replaced or altered after the bound was written); the errors of
    ///   ``decryptRaw(_:)``.
    public func decryptEncoded(_ ciphertext: Ciphertext) throws(PaillierError) -> EncodedNumber {
      let encoded = EncodedNumber(unchecked: try decryptRaw(ciphertext), exponent: ciphertext.exponent, publicKey: publicKey)
      if let bound = ciphertext.magnitudeBound, let magnitude = encoded.magnitude, magnitude > bound {
        throw .boundExceeded
      }
      return encoded
    }

    /// The plaintext as an exact signed integer.
    ///
    /// - Throws: ``PaillierError/decodingOverflow`` when the plaintext left the
    ///   window; ``PaillierError/notAnInteger(exponent:)`` for a fraction;
    ///   and the errors of ``decryptRaw(_:)``.
    public func decrypt(_ ciphertext: Ciphertext) throws(PaillierError) -> BigInteger {
      try decryptEncoded(ciphertext).integerValue()
    }

    /// The plaintext as the nearest `Double` (python-paillier's `decrypt`).
    /// - Throws: as ``decrypt(_:)``, and ``PaillierError/doubleOverflow``.
    public func decryptDouble(_ ciphertext: Ciphertext) throws(PaillierError) -> Double {
      try decryptEncoded(ciphertext).doubleValue()
    }

    // MARK: Encryption by the key owner

    /// Encrypts with the standard obfuscator `r^n`, computed by CRT over `p²`
    /// and `q²` with constant-time powers (about twice as fast as
    /// ``PublicKey/encrypt(_:mode:)-(BigInteger,_)`` in standard mode).
    public func encrypt(_ value: BigInteger) throws(PaillierError) -> Ciphertext {
      let encoded = try EncodedNumber(value, publicKey: publicKey)
      var generator = SecureRandom()
      let r = publicKey.randomUnit(using: &generator)
      let n = publicKey.n
      do {
        let rp = try r.modulo(pSquared).constantTimePower(n, modulus: pSquared)
        let rq = try r.modulo(qSquared).constantTimePower(n, modulus: qSquared)
        // ρ ≡ rp (mod p²), ρ ≡ rq (mod q²).
        let rho = rp + pSquared * (try ((rq - rp) * pSquaredInverse).modulo(qSquared))
        return Ciphertext(
          unchecked: publicKey.rawEncrypt(encoded.encoding, obfuscator: rho), exponent: 0, publicKey: publicKey,
          magnitudeBound: encoded.magnitude)
      } catch {
        throw .invalidRandomness
      }
    }
  }
}
