import BigNum

extension Paillier {
  /// One party's share of a threshold key: its index `i` and the secret
  /// `s_i = f(i)`, with the ``ThresholdPublicKey`` it belongs to.
  ///
  /// A share alone decrypts nothing; it produces a ``PartialDecryption``
  /// of a ciphertext with a proof of its correctness, and any
  /// ``ThresholdPublicKey/threshold`` of those decrypt.
  ///
  /// The secret integers are marked secret (``BigInteger/markSecret()``),
  /// so their memory is zeroed when the share is released, as a
  /// ``PrivateKey``'s is; partial decryptions raise to them with GMP's
  /// constant-time power.
  public final class ThresholdKeyShare: Sendable, CustomStringConvertible {
    /// The threshold key this share belongs to.
    public let thresholdKey: ThresholdPublicKey
    /// The party's index, in `1 ... thresholdKey.partyCount`.
    public let index: Int
    /// `s_i`, in `0 ..< n·m`.
    let share: BigInteger
    /// `Δ·s_i`, the discrete logarithm the proofs are about.
    let deltaShare: BigInteger
    /// `2Δ·s_i`, the exponent of a partial decryption.
    let exponent: BigInteger

    /// A share from its parts, checked against the party's verification key.
    ///
    /// - Throws: ``PaillierError/partyOutOfRange(party:parties:)``;
    ///   ``PaillierError/invalidKey(_:)`` when `v^(Δ·s_i) ≠ v_i`: the share is
    ///   not the one the key was dealt with.
    init(index: Int, share: BigInteger, thresholdKey: ThresholdPublicKey) throws(PaillierError) {
      guard index >= 1, index <= thresholdKey.partyCount else {
        throw .partyOutOfRange(party: index, parties: thresholdKey.partyCount)
      }
      let nSquared = thresholdKey.publicKey.nSquared
      let share = share.secret()
      guard share.signum() > 0, share < nSquared else { throw .invalidKey("the share must be in 1 ..< n^2") }
      let deltaShare = share * thresholdKey.delta
      let check = try? thresholdKey.verificationBase.constantTimePower(deltaShare, modulus: nSquared)
      guard check == thresholdKey.verificationKeys[index - 1] else {
        throw .invalidKey("the share of party \(index) does not match its verification key")
      }
      self.thresholdKey = thresholdKey
      self.index = index
      self.share = share
      self.deltaShare = deltaShare
      exponent = deltaShare * 2
    }

    public var description: String {
      "Paillier.ThresholdKeyShare(party \(index) of \(thresholdKey.partyCount), threshold \(thresholdKey.threshold), "
        + "\(thresholdKey.publicKey.bitWidth) bits)"
    }

    /// This party's partial decryption of `ciphertext`: `c_i = c^(2Δ·s_i) mod n²`
    /// with a non-interactive proof (Fiat–Shamir over SHA-256) that
    /// `log_{c⁴}(c_i²) = log_v(v_i)`.
    ///
    /// - Throws: ``PaillierError/keyMismatch`` for a ciphertext under another
    ///   key; ``PaillierError/invalidCiphertext`` unless it is in `Z*_{n²}`.
    /// - Complexity: three constant-time powers modulo `n²`, with exponents of
    ///   about `2·log n + log Δ` bits (the partial) and that plus 384 (the proof).
    public func partialDecrypt(_ ciphertext: Ciphertext) throws(PaillierError) -> PartialDecryption {
      let key = thresholdKey
      let digest = try key.digest(of: ciphertext)
      guard Ciphertext.isValid(ciphertext.value, for: key.publicKey) else { throw .invalidCiphertext }
      let nSquared = key.publicKey.nSquared
      var generator = SecureRandom()
      do {
        let c = ciphertext.value
        let partial = try c.constantTimePower(exponent, modulus: nSquared).publicCopy
        let c4 = try c.power(4, modulus: nSquared)
        let ci2 = try partial.power(2, modulus: nSquared)
        let r = try BigInteger.randomSecret(bitWidth: key.proofRandomBits, using: &generator)
        let a = try c4.constantTimePower(r, modulus: nSquared)
        let b = try key.verificationBase.constantTimePower(r, modulus: nSquared)
        let e = key.proofChallenge(party: index, c4: c4, ci2: ci2, a: a, b: b)
        let z = r + e * deltaShare
        return PartialDecryption(
          index: index, keyIdentity: key.identity, ciphertextDigest: digest, value: partial, challenge: e,
          response: z.publicCopy)
      } catch {
        throw .invalidCiphertext
      }
    }
  }

  /// One party's contribution to a threshold decryption: `c_i = c^(2Δ·s_i) mod n²`
  /// and a proof (challenge `e`, response `z`) that it was computed with the
  /// share behind the party's verification key.
  ///
  /// Public: it reveals nothing about the share beyond what the plaintext
  /// does once `t` partials are combined. Made by
  /// ``ThresholdKeyShare/partialDecrypt(_:)``, read from JSON, or built from
  /// its parts; ``ThresholdPublicKey/verify(_:for:)`` and the combination
  /// check every part.
  public struct PartialDecryption: Sendable, Hashable, CustomStringConvertible {
    /// The party's index.
    public let index: Int
    /// The ``ThresholdPublicKey/identity`` of the key.
    public let keyIdentity: String
    /// ``ThresholdPublicKey/digest(of:)`` of the ciphertext.
    public let ciphertextDigest: String
    /// `c_i`.
    public let value: BigInteger
    /// The proof's challenge `e` (256 bits).
    public let challenge: BigInteger
    /// The proof's response `z = r + e·Δ·s_i`.
    public let response: BigInteger

    /// A partial decryption from its parts (unchecked until verified or combined).
    public init(
      index: Int, keyIdentity: String, ciphertextDigest: String, value: BigInteger, challenge: BigInteger,
      response: BigInteger
    ) {
      self.index = index
      self.keyIdentity = keyIdentity
      self.ciphertextDigest = ciphertextDigest
      self.value = value
      self.challenge = challenge
      self.response = response
    }

    public var description: String { "Paillier.PartialDecryption(party \(index))" }
  }
}
