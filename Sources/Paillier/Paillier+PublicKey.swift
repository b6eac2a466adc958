import BigNum

extension Paillier {
  /// A Paillier public key: the modulus `n` (with `g = n + 1`) and the DJN
  /// base `h_s`. Encrypts, and is all a server needs to compute on ciphertexts.
  ///
  /// Keys compare equal when their moduli are equal. A key is a class so
  /// that its precomputation (the DJN fixed-base table) is built once and
  /// shared by every ciphertext and thread that uses it.
  ///
  /// ## Memory
  ///
  /// The first ``EncryptionMode/djn`` encryption builds a fixed-base table of
  /// `⌈(n/2) / 8⌉ · 255` residues modulo `n²` (window `w = 8`, the default;
  /// ``Paillier/Tuning`` trades memory for speed): about
  /// 16.7 MB at 2048 bits, 37.6 MB at 3072 and 66.8 MB at 4096
  /// (``djnTableByteCount``), built in about `⌈(n/2)/8⌉ · 255` modular
  /// multiplications (0.3–0.6 s at 3072 bits) and freed with the key.
  public final class PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The modulus `n = p·q`.
    public let n: BigInteger
    /// `n²`, the ciphertext modulus.
    public let nSquared: BigInteger
    /// The largest magnitude of a plaintext, python-paillier's `max_int`:
    /// `⌊n/3⌋ − 1`. Values in `(max_int, n − max_int)` signal overflow.
    public let maxInt: BigInteger
    /// The window of the DJN fixed-base tables built from now on, in bits:
    /// ``Paillier/Tuning/djnWindowBits`` (8 unless tuned).
    public static var djnWindowBits: Int { Tuning.djnWindowBits }

    private let state: Locked<LazyState>

    private struct LazyState: Sendable {
      var djnBase: BigInteger?
      var djnTable: FixedBaseTable?
    }

    /// A public key for modulus `n` (at least ``Paillier/minimumSecureKeyBits``).
    ///
    /// - Parameters:
    ///   - n: the modulus, odd, of 2048 to 16384 bits.
    ///   - djnBase: `h_s = (−x²)^n mod n²` as published with the key; when
    ///     `nil` one is derived from a fresh random `x` on first use.
    /// - Warning: `h_s` is trusted like `n` itself: only the key owner can
    ///   check that it is an `n`-th residue (``PrivateKey`` does so when it
    ///   loads), so take public keys from their owner.
    /// - Throws: ``PaillierError/insecureKeySize(bits:minimum:)``,
    ///   ``PaillierError/invalidKey(_:)``.
    public convenience init(n: BigInteger, djnBase: BigInteger? = nil) throws(PaillierError) {
      try self.init(n: n, djnBase: djnBase, minimumBits: Paillier.minimumSecureKeyBits)
    }

    /// A public key of any size from 128 bits, including insecure ones.
    ///
    /// - Warning: Keys below 2048 bits can be factored; for tests only.
    /// - Throws: ``PaillierError/invalidKey(_:)``, ``PaillierError/insecureKeySize(bits:minimum:)``
    ///   below 128 bits.
    public convenience init(insecureN n: BigInteger, djnBase: BigInteger? = nil) throws(PaillierError) {
      try self.init(n: n, djnBase: djnBase, minimumBits: Paillier.minimumInsecureKeyBits)
    }

    init(n: BigInteger, djnBase: BigInteger?, minimumBits: Int) throws(PaillierError) {
      let bits = n.bitWidth
      guard n.signum() > 0, n.isOdd else { throw .invalidKey("the modulus n must be positive and odd") }
      guard bits >= minimumBits else { throw .insecureKeySize(bits: bits, minimum: minimumBits) }
      guard bits <= Paillier.maximumReadableKeyBits else { throw .unsupportedKeySize(bits: bits) }
      if let factor = Paillier.smallFactor(of: n) {
        throw .invalidKey("n has the small factor \(factor), so it is not the product of two large primes")
      }
      guard !n.isProbablePrime(rounds: 1) else {
        throw .invalidKey("n is prime, not the product of two large primes (anyone could decrypt)")
      }
      self.n = n
      nSquared = n.squared()
      maxInt = ((try? n / 3) ?? 0) - 1  // the divisor is a non-zero constant
      if let djnBase {
        guard djnBase.signum() > 0, djnBase < nSquared, djnBase.greatestCommonDivisor(with: n) == 1 else {
          throw .invalidKey("the DJN base h_s must be in Z*_{n^2}")
        }
      }
      state = Locked(LazyState(djnBase: djnBase, djnTable: nil))
    }

    /// The bit length of `n` (the key size).
    public var bitWidth: Int { n.bitWidth }

    /// The bit length of the DJN exponent `α`: half the key size, rounded up.
    public var djnExponentBits: Int { (bitWidth + 1) / 2 }

    /// The DJN base `h_s = (−x²)^n mod n²`, an `n`-th residue generating the
    /// obfuscators of ``EncryptionMode/djn``.
    public var djnBase: BigInteger {
      state.withLock { state in
        if let base = state.djnBase { return base }
        let base = PublicKey.makeDJNBase(n: n, nSquared: nSquared)
        state.djnBase = base
        return base
      }
    }

    /// Whether the DJN base came with the key (rather than derived here).
    var hasDJNBase: Bool { state.withLock { $0.djnBase != nil } }

    /// The bytes of the DJN fixed-base table: the built one's, or what one
    /// built now (at ``djnWindowBits``) would take.
    public var djnTableByteCount: Int {
      if let table = state.withLock({ $0.djnTable }) { return table.byteCount }
      return FixedBaseTable.byteCount(
        modulusBitWidth: nSquared.bitWidth, exponentBitWidth: djnExponentBits, windowBits: PublicKey.djnWindowBits)
    }

    /// The DJN table, built on first use under the key's lock.
    func djnTable() throws(PaillierError) -> FixedBaseTable {
      let base = djnBase
      return try state.withLock { (state) throws(PaillierError) -> FixedBaseTable in
        if let table = state.djnTable { return table }
        let table = try PaillierError.wrap("DJN table") { () throws(BigNumError) in
          try FixedBaseTable(
            base: base, modulus: nSquared, maximumExponentBitWidth: djnExponentBits,
            windowBits: PublicKey.djnWindowBits)
        }
        state.djnTable = table
        return table
      }
    }

    /// `(−x²)^n mod n²` for a random unit `x` (the DJN key-generation step;
    /// anyone knowing `n` may do it, `x` is discarded).
    static func makeDJNBase(n: BigInteger, nSquared: BigInteger) -> BigInteger {
      var generator = SecureRandom()
      while true {
        guard let x = try? BigInteger.random(below: n, using: &generator), !x.isZero,
          x.greatestCommonDivisor(with: n) == 1,
          let h = try? (n - x.squared()).modulo(n),
          let hs = try? h.power(n, modulus: nSquared)
        else { continue }
        return hs
      }
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs === rhs || lhs.n == rhs.n }
    public func hash(into hasher: inout Hasher) { hasher.combine(n) }

    public var description: String { "Paillier.PublicKey(\(bitWidth) bits)" }

    // MARK: Encryption

    /// Encrypts a signed integer.
    ///
    /// - Parameters:
    ///   - value: with `|value| ≤ maxInt` (`n/3 − 1`).
    ///   - mode: how the obfuscator is drawn; ``EncryptionMode/djn`` by default.
    /// - Returns: a ciphertext with exponent 0 that records `|value|` as its
    ///   magnitude bound.
    /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)``.
    /// - Complexity: one fixed-base exponentiation (DJN, about `n/16`
    ///   multiplications modulo `n²`) or one `n`-bit power (standard).
    public func encrypt(_ value: BigInteger, mode: EncryptionMode = .djn) throws(PaillierError) -> Ciphertext {
      try encrypt(EncodedNumber(value, publicKey: self), mode: mode)
    }

    /// Encrypts a signed integer (see ``encrypt(_:mode:)-(BigInteger,_)``).
    public func encrypt(_ value: Int, mode: EncryptionMode = .djn) throws(PaillierError) -> Ciphertext {
      try encrypt(BigInteger(value), mode: mode)
    }

    /// Encrypts a real number with python-paillier's fixed-point encoding.
    ///
    /// - Parameters:
    ///   - value: a finite number.
    ///   - precision: the smallest difference to keep; by default all of the
    ///     `Double`'s 53 bits of mantissa (see ``EncodedNumber/init(_:publicKey:precision:maxExponent:)``).
    ///   - mode: how the encryption randomness is drawn.
    /// - Throws: ``PaillierError/nonFiniteValue``, ``PaillierError/plaintextOutOfRange(limit:)``.
    public func encrypt(_ value: Double, precision: Double? = nil, mode: EncryptionMode = .djn) throws(PaillierError)
      -> Ciphertext
    {
      try encrypt(EncodedNumber(value, publicKey: self, precision: precision), mode: mode)
    }

    /// Encrypts an encoded number.
    /// - Throws: ``PaillierError/keyMismatch`` when it was encoded for another key.
    public func encrypt(_ encoded: EncodedNumber, mode: EncryptionMode = .djn) throws(PaillierError) -> Ciphertext {
      guard encoded.publicKey == self else { throw .keyMismatch }
      let rho = try obfuscator(mode: mode)
      return Ciphertext(
        unchecked: rawEncrypt(encoded.encoding, obfuscator: rho), exponent: encoded.exponent, publicKey: self,
        magnitudeBound: encoded.magnitude)
    }

    /// Encrypts with caller-chosen randomness, for known-answer tests only: the
    /// name says that it is insecure, since reused or predictable randomness (or
    /// ``Randomness/none``) reveals the plaintext.
    ///
    /// - Warning: Randomness must never be reused; production code calls
    ///   ``encrypt(_:mode:)-(BigInteger,_)``.
    /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)``, ``PaillierError/invalidRandomness``.
    public func insecureEncrypt(_ value: BigInteger, randomness: Randomness) throws(PaillierError) -> Ciphertext {
      let encoded = try EncodedNumber(value, publicKey: self)
      let rho: BigInteger
      switch randomness {
      case .none:
        rho = 1
      case .standard(let r):
        guard r.signum() > 0, r < n, r.greatestCommonDivisor(with: n) == 1 else { throw .invalidRandomness }
        rho = try PaillierError.wrap("r^n") { () throws(BigNumError) in try r.power(n, modulus: nSquared) }
      case .djn(let alpha):
        guard alpha.signum() >= 0 else { throw .invalidRandomness }
        rho = try PaillierError.wrap("h_s^alpha") { () throws(BigNumError) in
          try djnBase.power(alpha, modulus: nSquared)
        }
      }
      return Ciphertext(
        unchecked: rawEncrypt(encoded.encoding, obfuscator: rho), exponent: 0, publicKey: self,
        magnitudeBound: encoded.magnitude)
    }

    /// A fresh obfuscator `ρ`, an `n`-th residue modulo `n²`, marked secret.
    public func obfuscator(mode: EncryptionMode = .djn) throws(PaillierError) -> BigInteger {
      var generator = SecureRandom()
      switch mode {
      case .djn:
        let table = try djnTable()
        let alpha = try PaillierError.wrap("alpha") { () throws(BigNumError) in
          try BigInteger.randomSecret(bitWidth: djnExponentBits, using: &generator)
        }
        return try PaillierError.wrap("h_s^alpha") { () throws(BigNumError) in try table.power(alpha) }
      case .standard:
        let r = randomUnit(using: &generator)
        return try PaillierError.wrap("r^n") { () throws(BigNumError) in
          try r.constantTimePower(n, modulus: nSquared)
        }
      }
    }

    /// A uniform unit `r` in `Z*_n`, marked secret.
    func randomUnit(using generator: inout SecureRandom) -> BigInteger {
      while true {
        guard let r = try? BigInteger.randomSecret(below: n, using: &generator) else { continue }
        if !r.isZero && r.greatestCommonDivisor(with: n) == 1 { return r }
      }
    }

    /// `(1 + m·n) · ρ mod n²` for `m` in `0 ..< n`.
    func rawEncrypt(_ m: BigInteger, obfuscator rho: BigInteger) -> BigInteger {
      // 1 + m·n < n², so only the product with ρ needs a reduction.
      let nude = m * n + 1
      return (try? (nude * rho).modulo(nSquared)) ?? 0  // nSquared > 0
    }
  }
}
