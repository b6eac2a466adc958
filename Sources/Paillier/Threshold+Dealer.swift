import BigNum

// The trusted dealer: generates the safe primes, the key and the shares once,
// offline, and keeps nothing. Every secret integer it makes (p, q, p', q', m,
// d, the polynomial's coefficients) is marked secret, so BigNum zeroes its
// limbs when it goes out of scope at the end of dealing.

extension Paillier.ThresholdPublicKey {
  /// Deals a fresh threshold key: safe primes `p`, `q` of `bits/2` bits each,
  /// and one share per party, any `threshold` of which decrypt.
  ///
  /// The caller is the trusted dealer: it hands each share to its party
  /// (over a confidential channel) and keeps none; the primes and the
  /// polynomial are wiped when this returns.
  ///
  /// - Parameters:
  ///   - threshold: `t`, how many parties must cooperate, `1 ≤ t ≤ parties`.
  ///   - parties: the number of shares, at most ``Paillier/maximumThresholdParties``.
  ///   - bits: the size of `n`, an even number from 2048 to 4096; 3072 by default.
  /// - Returns: the public key and the shares of parties `1 ... parties`, in order.
  /// - Throws: ``PaillierError/invalidThreshold(threshold:parties:)``,
  ///   ``PaillierError/insecureKeySize(bits:minimum:)``, ``PaillierError/unsupportedKeySize(bits:)``.
  /// - Complexity: dominated by two safe-prime searches (``Paillier/randomSafePrime(bitWidth:)``),
  ///   far slower than ordinary key generation and growing steeply with `bits`.
  public static func deal(threshold: Int, parties: Int, bits: Int = Paillier.defaultKeyBits) throws(PaillierError)
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try deal(threshold: threshold, parties: parties, bits: bits, minimumBits: Paillier.minimumSecureKeyBits)
  }

  /// As ``deal(threshold:parties:bits:)``, at any even size from 128 bits.
  /// - Warning: Keys below 2048 bits can be factored. For tests only.
  public static func insecureDeal(threshold: Int, parties: Int, bits: Int) throws(PaillierError)
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try deal(threshold: threshold, parties: parties, bits: bits, minimumBits: Paillier.minimumInsecureKeyBits)
  }

  /// Deals a threshold key from given safe primes (for fixtures: safe primes
  /// are slow to find).
  ///
  /// - Parameters:
  ///   - p: a safe prime (`(p − 1)/2` prime too).
  ///   - q: another safe prime of the same bit width.
  /// - Throws: ``PaillierError/invalidKey(_:)`` unless both are distinct safe
  ///   primes of equal size; ``PaillierError/insecureKeySize(bits:minimum:)``
  ///   when `n` has fewer than 2048 bits; ``PaillierError/invalidThreshold(threshold:parties:)``.
  public static func deal(threshold: Int, parties: Int, p: BigInteger, q: BigInteger) throws(PaillierError)
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try deal(threshold: threshold, parties: parties, p: p, q: q, minimumBits: Paillier.minimumSecureKeyBits)
  }

  /// As ``deal(threshold:parties:p:q:)``, accepting insecure sizes from 128 bits.
  /// - Warning: For tests only.
  public static func insecureDeal(threshold: Int, parties: Int, p: BigInteger, q: BigInteger) throws(PaillierError)
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try deal(threshold: threshold, parties: parties, p: p, q: q, minimumBits: Paillier.minimumInsecureKeyBits)
  }

  static func deal(threshold: Int, parties: Int, bits: Int, minimumBits: Int) throws(PaillierError)
    -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try checkParties(threshold: threshold, parties: parties)
    guard bits >= minimumBits else { throw .insecureKeySize(bits: bits, minimum: minimumBits) }
    guard bits % 2 == 0, bits <= Paillier.maximumKeyBits, bits >= 64 else { throw .unsupportedKeySize(bits: bits) }
    let p = try Paillier.randomSafePrime(bitWidth: bits / 2)
    var q = try Paillier.randomSafePrime(bitWidth: bits / 2)
    while q == p { q = try Paillier.randomSafePrime(bitWidth: bits / 2) }
    return try deal(threshold: threshold, parties: parties, p: p, q: q, minimumBits: minimumBits)
  }

  static func checkParties(threshold: Int, parties: Int) throws(PaillierError) {
    guard threshold >= 1, threshold <= parties, parties <= Paillier.maximumThresholdParties else {
      throw .invalidThreshold(threshold: threshold, parties: parties)
    }
  }

  static func deal(threshold: Int, parties: Int, p first: BigInteger, q second: BigInteger, minimumBits: Int)
    throws(PaillierError) -> (publicKey: Paillier.ThresholdPublicKey, shares: [Paillier.ThresholdKeyShare])
  {
    try checkParties(threshold: threshold, parties: parties)
    let p = first.secret()
    let q = second.secret()
    guard p != q else { throw .invalidKey("p and q must differ") }
    guard p.bitWidth == q.bitWidth else {
      throw .invalidKey("p and q must be of equal size (\(p.bitWidth) and \(q.bitWidth) bits)")
    }
    let bits = (p * q).bitWidth
    guard bits >= minimumBits else { throw .insecureKeySize(bits: bits, minimum: minimumBits) }
    guard bits <= Paillier.maximumKeyBits else { throw .unsupportedKeySize(bits: bits) }
    guard Paillier.isSafePrime(p), Paillier.isSafePrime(q) else {
      throw .invalidKey("p and q must be safe primes ((p - 1)/2 and (q - 1)/2 prime too)")
    }
    let n = (p * q).publicCopy
    let nSquared = n.squared()
    let m = ((p - 1) >> 1) * ((q - 1) >> 1)
    // d ≡ 0 (mod m), d ≡ 1 (mod n): d = m · (m⁻¹ mod n), in 0 ..< n·m.
    guard let mInverse = m.inverse(modulo: n) else { throw .invalidKey("gcd(n, p'q') must be 1") }
    let d = m * mInverse
    let modulus = n * m
    var generator = SecureRandom()
    // f(X) = d + a_1 X + … + a_{t−1} X^{t−1} over Z_{nm}.
    var coefficients = [d]
    for _ in 1..<threshold {
      coefficients.append(
        try Paillier.wrap("coefficient") { () throws(BigNumError) in
          try BigInteger.randomSecret(below: modulus, using: &generator)
        })
    }
    // v = r² for a random unit r of Z_{n²}: a square that generates the
    // squares with overwhelming probability.
    let base: BigInteger = {
      while true {
        guard let r = try? BigInteger.random(below: nSquared, using: &generator), r > 1,
          r.greatestCommonDivisor(with: n) == 1, let v = try? r.power(2, modulus: nSquared), v != 1
        else { continue }
        return v
      }
    }()
    let delta = Paillier.ThresholdPublicKey.factorial(parties)
    var shares: [BigInteger] = []
    var verificationKeys: [BigInteger] = []
    for i in 1...parties {
      // Horner's rule; every intermediate is secret (computed from secrets).
      var value = coefficients[threshold - 1]
      for k in stride(from: threshold - 2, through: 0, by: -1) {
        value = try Paillier.wrap("share") { () throws(BigNumError) in
          try (value * BigInteger(i) + coefficients[k]).modulo(modulus)
        }
      }
      shares.append(value)
      let vi = try Paillier.wrap("verification key") { () throws(BigNumError) in
        try base.constantTimePower(value * delta, modulus: nSquared)
      }
      verificationKeys.append(vi.publicCopy)
    }
    let publicKey = try Paillier.PublicKey(
      n: n, djnBase: Paillier.PublicKey.makeDJNBase(n: n, nSquared: nSquared), minimumBits: minimumBits)
    let key = try Paillier.ThresholdPublicKey(
      publicKey: publicKey, threshold: threshold, parties: parties, verificationBase: base,
      verificationKeys: verificationKeys)
    var keyShares: [Paillier.ThresholdKeyShare] = []
    for (offset, share) in shares.enumerated() {
      keyShares.append(try Paillier.ThresholdKeyShare(index: offset + 1, share: share, thresholdKey: key))
    }
    return (key, keyShares)
  }
}

extension Paillier {
  /// Runs a BigNum operation of the dealer; its failure means bad primes.
  static func wrap<T>(_ what: String, _ body: () throws(BigNumError) -> T) throws(PaillierError) -> T {
    do {
      return try body()
    } catch {
      throw .invalidKey("\(what): \(error)")
    }
  }
}
