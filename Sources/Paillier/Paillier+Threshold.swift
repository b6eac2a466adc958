import BigNum
internal import Crypto

// Threshold decryption, t of n, with a trusted dealer: Shoup's threshold RSA
// carried over to Paillier as in Damgård–Jurik (PKC 2001, §4, s = 1) and
// Fouque–Poupard–Stern (FC 2000). The article ThresholdDecryption.md in the
// catalog says why a dealer, and what the scheme protects against.
//
// n = pq with safe primes p = 2p' + 1, q = 2q' + 1; m = p'q'. The secret
// d ≡ 0 (mod m), d ≡ 1 (mod n) is shared by Shamir over Z_{nm}: s_i = f(i),
// f of degree t − 1 with f(0) = d. With Δ = parties!:
//   partial decryption  c_i = c^(2Δ s_i) mod n²
//   combination         c' = Π c_i^(2 μ_i) = c^(4Δ² d),  μ_i = Δ Π_{j≠i} j / (j − i)
//   plaintext           m = L(c') · (4Δ²)⁻¹ mod n
// and each c_i carries a proof that log_{c⁴}(c_i²) = log_v(v_i) (= Δ s_i),
// v a random square, v_i = v^(Δ s_i) published by the dealer.

extension Paillier {
  /// The most parties a threshold key may have: `Δ = parties!` enters every
  /// exponent (256! has 1,684 bits).
  public static let maximumThresholdParties = 256

  /// The public side of a threshold key: an ordinary ``PublicKey`` (so
  /// encryption and the algebra work unchanged) plus what anyone needs to
  /// check and combine partial decryptions: the threshold `t`, the number of
  /// parties, the verification base `v` and each party's verification key
  /// `v_i = v^(Δ·s_i) mod n²`.
  ///
  /// ```swift
  /// let (key, shares) = try Paillier.ThresholdPublicKey.deal(threshold: 2, parties: 3)
  /// let c = try key.publicKey.encrypt(42)
  /// let partials = try [shares[0], shares[2]].map { try $0.partialDecrypt(c) }
  /// try key.decrypt(c, partials: partials)   // 42
  /// ```
  ///
  /// Keys compare equal when their ``identity`` is equal.
  ///
  /// - Warning: IND-CPA only, and ciphertexts are malleable, as for every
  ///   Paillier key. The parties' proofs make a wrong partial decryption
  ///   detectable; they do not authenticate ciphertexts.
  public final class ThresholdPublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The ordinary Paillier public key (`g = n + 1`) that encrypts for the parties.
    public let publicKey: PublicKey
    /// The number of parties whose partial decryptions together decrypt.
    public let threshold: Int
    /// The number of parties holding a share (indices `1 ... partyCount`).
    public let partyCount: Int
    /// `v`, a random square in `Z*_{n²}`.
    public let verificationBase: BigInteger
    /// `v_i = v^(Δ·s_i) mod n²` for party `i` at offset `i − 1`.
    public let verificationKeys: [BigInteger]
    /// SHA-256 (hexadecimal) of the key's public parts: `n`, `h_s`, `t`, the
    /// party count, `v` and every `v_i`. Partial decryptions and share files
    /// carry it.
    public let identity: String
    /// `Δ = partyCount!`.
    let delta: BigInteger
    /// `(4Δ²)⁻¹ mod n`.
    let combinationFactor: BigInteger
    /// The bits of the random exponent of a proof: those of `Δ·n²`, plus the
    /// challenge's and 128 bits of statistical hiding.
    let proofRandomBits: Int

    /// The bits of a proof's challenge (SHA-256).
    static let challengeBits = 256
    /// The statistical distance of a proof's response from uniform is below 2^−this.
    static let hidingBits = 128

    init(
      publicKey: PublicKey, threshold: Int, parties: Int, verificationBase: BigInteger,
      verificationKeys: [BigInteger]
    ) throws(PaillierError) {
      guard threshold >= 1, threshold <= parties, parties <= Paillier.maximumThresholdParties else {
        throw .invalidThreshold(threshold: threshold, parties: parties)
      }
      guard verificationKeys.count == parties else {
        throw .invalidKey("a threshold key of \(parties) parties needs \(parties) verification keys")
      }
      let nSquared = publicKey.nSquared
      let inGroup = { (x: BigInteger) in x > 1 && x < nSquared && x.greatestCommonDivisor(with: publicKey.n) == 1 }
      guard inGroup(verificationBase) else { throw .invalidKey("the verification base v must be in Z*_{n^2}, not 1") }
      for (offset, key) in verificationKeys.enumerated() where !inGroup(key) {
        throw .invalidKey("the verification key of party \(offset + 1) must be in Z*_{n^2}, not 1")
      }
      let delta = Self.factorial(parties)
      guard let factor = (delta.squared() * 4).inverse(modulo: publicKey.n) else {
        throw .invalidKey("n shares a factor with 4·(parties!)^2")
      }
      self.publicKey = publicKey
      self.threshold = threshold
      self.partyCount = parties
      self.verificationBase = verificationBase
      self.verificationKeys = verificationKeys
      self.delta = delta
      self.combinationFactor = factor
      proofRandomBits = (delta * nSquared).bitWidth + Self.challengeBits + Self.hidingBits
      identity = Self.identity(
        publicKey: publicKey, threshold: threshold, parties: parties, base: verificationBase, keys: verificationKeys)
    }

    static func factorial(_ k: Int) -> BigInteger {
      (1...max(k, 1)).reduce(BigInteger(1)) { $0 * BigInteger($1) }
    }

    static func identity(
      publicKey: PublicKey, threshold: Int, parties: Int, base: BigInteger, keys: [BigInteger]
    ) -> String {
      var transcript = Transcript("hekit-paillier-threshold-key-v1")
      transcript.append(threshold)
      transcript.append(parties)
      transcript.append(publicKey.n)
      transcript.append(publicKey.djnBase)
      transcript.append(base)
      for key in keys { transcript.append(key) }
      return transcript.digest().hexString
    }

    public static func == (lhs: ThresholdPublicKey, rhs: ThresholdPublicKey) -> Bool {
      lhs === rhs || lhs.identity == rhs.identity
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    public var description: String {
      "Paillier.ThresholdPublicKey(\(publicKey.bitWidth) bits, \(threshold) of \(partyCount))"
    }

    /// The digest (hexadecimal SHA-256) that names `ciphertext` in a partial
    /// decryption: of its value (not its exponent) under this key.
    ///
    /// - Throws: ``PaillierError/keyMismatch`` for a ciphertext under another key.
    public func digest(of ciphertext: Ciphertext) throws(PaillierError) -> String {
      guard ciphertext.publicKey == publicKey else { throw .keyMismatch }
      var transcript = Transcript("hekit-paillier-threshold-ciphertext-v1")
      transcript.append(identity)
      transcript.append(ciphertext.value)
      return transcript.digest().hexString
    }

    // MARK: Verification

    /// Checks one partial decryption of `ciphertext`: its party index, key,
    /// ciphertext digest, value and proof.
    ///
    /// - Throws: ``PaillierError/partyOutOfRange(party:parties:)``,
    ///   ``PaillierError/partialKeyMismatch(party:)``,
    ///   ``PaillierError/partialCiphertextMismatch(party:)``,
    ///   ``PaillierError/invalidPartialDecryption(party:)`` when the proof fails;
    ///   ``PaillierError/keyMismatch`` and ``PaillierError/invalidCiphertext``
    ///   for the ciphertext.
    /// - Complexity: four powers modulo `n²` with exponents of about
    ///   `2·log n + log Δ + 384` bits.
    public func verify(_ partial: PartialDecryption, for ciphertext: Ciphertext) throws(PaillierError) {
      try verify(partial, ciphertext: ciphertext, digest: try digest(of: ciphertext))
    }

    func verify(_ partial: PartialDecryption, ciphertext: Ciphertext, digest: String) throws(PaillierError) {
      let party = partial.index
      guard party >= 1, party <= partyCount else { throw .partyOutOfRange(party: party, parties: partyCount) }
      guard partial.keyIdentity == identity else { throw .partialKeyMismatch(party: party) }
      guard partial.ciphertextDigest == digest else { throw .partialCiphertextMismatch(party: party) }
      guard Ciphertext.isValid(ciphertext.value, for: publicKey) else { throw .invalidCiphertext }
      guard Ciphertext.isValid(partial.value, for: publicKey), partial.challenge.signum() >= 0,
        partial.challenge.bitWidth <= Self.challengeBits, partial.response.signum() >= 0,
        partial.response.bitWidth <= proofRandomBits + 1
      else { throw .invalidPartialDecryption(party: party) }
      let nSquared = publicKey.nSquared
      do {
        // a = (c⁴)^z · (c_i²)^−e and b = v^z · v_i^−e must hash back to e.
        let c4 = try ciphertext.value.power(4, modulus: nSquared)
        let ci2 = try partial.value.power(2, modulus: nSquared)
        let a = try (c4.power(partial.response, modulus: nSquared) * ci2.power(-partial.challenge, modulus: nSquared))
          .modulo(nSquared)
        let vi = verificationKeys[party - 1]
        let b = try (verificationBase.power(partial.response, modulus: nSquared)
          * vi.power(-partial.challenge, modulus: nSquared)).modulo(nSquared)
        let expected = proofChallenge(party: party, c4: c4, ci2: ci2, a: a, b: b)
        guard expected == partial.challenge else { throw PaillierError.invalidPartialDecryption(party: party) }
      } catch {
        throw .invalidPartialDecryption(party: party)
      }
    }

    /// The Fiat–Shamir challenge of a proof of `log_{c⁴}(c_i²) = log_v(v_i)`
    /// with commitments `a = (c⁴)^r`, `b = v^r`.
    func proofChallenge(party: Int, c4: BigInteger, ci2: BigInteger, a: BigInteger, b: BigInteger) -> BigInteger {
      var transcript = Transcript("hekit-paillier-threshold-proof-v1")
      transcript.append(identity)
      transcript.append(party)
      for value in [c4, ci2, verificationBase, verificationKeys[party - 1], a, b] { transcript.append(value) }
      return BigInteger(bigEndianBytes: transcript.digest())
    }

    // MARK: Combination

    /// The plaintext residue `m` in `0 ..< n`, from the partial decryptions
    /// of at least ``threshold`` distinct parties.
    ///
    /// Every partial is verified (``verify(_:for:)``); the ``threshold``
    /// lowest indices are then combined with the integer Lagrange
    /// coefficients `μ_i = Δ·Π_{j≠i} j/(j − i)`.
    ///
    /// - Parameters:
    ///   - ciphertext: a ciphertext under ``publicKey``.
    ///   - partials: partial decryptions of that ciphertext, in any order.
    /// - Throws: ``PaillierError/duplicateParty(party:)``,
    ///   ``PaillierError/notEnoughShares(have:need:)`` for fewer than
    ///   ``threshold`` parties, and every error of ``verify(_:for:)``, naming
    ///   the first party whose partial is wrong: leave it out and combine others.
    /// - Complexity: one verification per partial, then ``threshold`` powers
    ///   modulo `n²` with exponents of about `log Δ + threshold·log partyCount` bits.
    public func decryptRaw(_ ciphertext: Ciphertext, partials: [PartialDecryption]) throws(PaillierError) -> BigInteger {
      let digest = try digest(of: ciphertext)
      var seen = Set<Int>()
      for partial in partials {
        guard partial.index >= 1, partial.index <= partyCount else {
          throw .partyOutOfRange(party: partial.index, parties: partyCount)
        }
        guard seen.insert(partial.index).inserted else { throw .duplicateParty(party: partial.index) }
      }
      guard partials.count >= threshold else { throw .notEnoughShares(have: partials.count, need: threshold) }
      for partial in partials { try verify(partial, ciphertext: ciphertext, digest: digest) }
      let chosen = partials.sorted { $0.index < $1.index }.prefix(threshold)
      let indices = chosen.map(\.index)
      let nSquared = publicKey.nSquared
      var product = BigInteger(1)
      do {
        for partial in chosen {
          let mu = try lagrangeCoefficient(partial.index, among: indices)
          product = try (product * partial.value.power(mu * 2, modulus: nSquared)).modulo(nSquared)
        }
        // c' = 1 + 4Δ²·m·n (mod n²).
        let l = try (product - 1) / publicKey.n
        return try (l * combinationFactor).modulo(publicKey.n)
      } catch {
        throw .invalidCiphertext
      }
    }

    /// `μ_i = Δ·Π_{j ∈ S, j ≠ i} j / (j − i)`, an integer because `Δ = parties!`.
    func lagrangeCoefficient(_ i: Int, among indices: [Int]) throws(BigNumError) -> BigInteger {
      var numerator = delta
      var denominator = BigInteger(1)
      for j in indices where j != i {
        numerator *= BigInteger(j)
        denominator *= BigInteger(j - i)
      }
      return try numerator / denominator
    }

    /// The encoded plaintext, from at least ``threshold`` partial decryptions.
    /// - Throws: ``PaillierError/boundExceeded`` as ``PrivateKey/decryptEncoded(_:)``,
    ///   and the errors of ``decryptRaw(_:partials:)``.
    public func decryptEncoded(_ ciphertext: Ciphertext, partials: [PartialDecryption]) throws(PaillierError)
      -> EncodedNumber
    {
      let residue = try decryptRaw(ciphertext, partials: partials)
      let encoded = EncodedNumber(unchecked: residue, exponent: ciphertext.exponent, publicKey: publicKey)
      if let bound = ciphertext.magnitudeBound, let magnitude = encoded.magnitude, magnitude > bound {
        throw .boundExceeded
      }
      return encoded
    }

    /// The plaintext as an exact signed integer, from at least ``threshold``
    /// partial decryptions.
    /// - Throws: ``PaillierError/decodingOverflow``, ``PaillierError/notAnInteger(exponent:)``,
    ///   and the errors of ``decryptEncoded(_:partials:)``.
    public func decrypt(_ ciphertext: Ciphertext, partials: [PartialDecryption]) throws(PaillierError) -> BigInteger {
      try decryptEncoded(ciphertext, partials: partials).integerValue()
    }

    /// The plaintext as the nearest `Double`, from at least ``threshold`` partial decryptions.
    /// - Throws: as ``decrypt(_:partials:)``, and ``PaillierError/doubleOverflow``.
    public func decryptDouble(_ ciphertext: Ciphertext, partials: [PartialDecryption]) throws(PaillierError) -> Double {
      try decryptEncoded(ciphertext, partials: partials).doubleValue()
    }
  }
}

/// A domain-separated SHA-256 over labelled fields, each length-prefixed, so
/// that no two different field lists hash alike.
struct Transcript {
  private var hasher = SHA256()

  init(_ domain: String) { append(domain) }

  mutating func append(_ text: String) { appendField(Array(text.utf8)) }
  mutating func append(_ value: Int) { appendField(withUnsafeBytes(of: Int64(value).bigEndian, Array.init)) }
  mutating func append(_ value: BigInteger) { appendField((try? value.magnitude.bigEndianBytes()) ?? []) }

  private mutating func appendField(_ bytes: [UInt8]) {
    hasher.update(data: withUnsafeBytes(of: UInt64(bytes.count).bigEndian, Array.init))
    hasher.update(data: bytes)
  }

  func digest() -> [UInt8] { Array(hasher.finalize()) }
}

extension [UInt8] {
  var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(count * 2)
    for byte in self {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
