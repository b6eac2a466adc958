import BigNum

extension Paillier.PrivateKey {
  /// Generates a key pair with an `n` of exactly `bits` bits.
  ///
  /// `p` and `q` are independent random primes of `bits/2` bits (top two
  /// bits set, so `n` has exactly `bits` bits) drawn from ``SecureRandom``,
  /// with `|p − q| > 2^(bits/2 − 100)` and `gcd(n, (p−1)(q−1)) = 1`; `g = n + 1`.
  /// The public key gets a fresh DJN base `h_s = (−x²)^n mod n²`.
  ///
  /// - Parameter bits: an even size from 2048 to 4096; 3072 (128-bit security) by default.
  /// - Throws: ``PaillierError/insecureKeySize(bits:minimum:)`` below 2048;
  ///   ``PaillierError/unsupportedKeySize(bits:)`` for odd sizes or above 4096.
  /// - Complexity: two random-prime searches; about 0.1–1 s at 3072 bits.
  public static func generate(bits: Int = Paillier.defaultKeyBits) throws(PaillierError) -> Paillier.PrivateKey {
    guard bits >= Paillier.minimumSecureKeyBits else {
      throw .insecureKeySize(bits: bits, minimum: Paillier.minimumSecureKeyBits)
    }
    return try generate(bits: bits, minimumBits: Paillier.minimumSecureKeyBits)
  }

  /// Generates a key of any even size from 128 to 4096 bits.
  ///
  /// - Warning: Keys below 2048 bits can be factored. For tests only.
  public static func insecureGenerate(bits: Int) throws(PaillierError) -> Paillier.PrivateKey {
    try generate(bits: bits, minimumBits: Paillier.minimumInsecureKeyBits)
  }

  static func generate(bits: Int, minimumBits: Int) throws(PaillierError) -> Paillier.PrivateKey {
    guard bits >= minimumBits else { throw .insecureKeySize(bits: bits, minimum: minimumBits) }
    guard bits % 2 == 0, bits <= Paillier.maximumKeyBits else { throw .unsupportedKeySize(bits: bits) }
    var generator = SecureRandom()
    let half = bits / 2
    let minimumDistance = BigInteger(1) << max(half - 100, 1)
    while true {
      let p = try PaillierError.wrap("prime p") { () throws(BigNumError) in
        try BigInteger.randomSecretPrime(bitWidth: half, using: &generator)
      }
      let q = try PaillierError.wrap("prime q") { () throws(BigNumError) in
        try BigInteger.randomSecretPrime(bitWidth: half, using: &generator)
      }
      let n = p * q
      guard n.bitWidth == bits, (p - q).magnitude > minimumDistance,
        n.greatestCommonDivisor(with: (p - 1) * (q - 1)) == 1
      else { continue }
      let nPublic = n.publicCopy
      let nSquared = nPublic.squared()
      let djnBase = Paillier.PublicKey.makeDJNBase(n: nPublic, nSquared: nSquared)
      let publicKey = try Paillier.PublicKey(n: nPublic, djnBase: djnBase, minimumBits: minimumBits)
      return try Paillier.PrivateKey(p: p, q: q, publicKey: publicKey, minimumBits: minimumBits)
    }
  }

  /// Recovers `p` and `q` from any multiple of Carmichael's `λ(n)` (such as
  /// python-paillier's older `lambda` field, or `φ(n)`), by the randomised
  /// square-root-of-one method.
  ///
  /// - Throws: ``PaillierError/invalidKey(_:)`` when `n` does not factor with it.
  public convenience init(publicKey: Paillier.PublicKey, lambda: BigInteger) throws(PaillierError) {
    try self.init(publicKey: publicKey, lambda: lambda, minimumBits: Paillier.minimumSecureKeyBits)
  }

  /// As ``init(publicKey:lambda:)``, accepting insecure sizes. For tests only.
  public convenience init(insecurePublicKey publicKey: Paillier.PublicKey, lambda: BigInteger) throws(PaillierError) {
    try self.init(publicKey: publicKey, lambda: lambda, minimumBits: Paillier.minimumInsecureKeyBits)
  }

  convenience init(publicKey: Paillier.PublicKey, lambda: BigInteger, minimumBits: Int) throws(PaillierError) {
    let n = publicKey.n
    let secretLambda = lambda.secret()
    guard secretLambda.signum() > 0, !secretLambda.isOdd else { throw .invalidKey("lambda must be a positive even multiple of lambda(n)") }
    let twos = secretLambda.trailingZeroBitCount
    let odd = secretLambda >> twos
    for base in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53] {
      guard var x = try? BigInteger(base).constantTimePower(odd, modulus: n) else { break }
      if x == 1 || x == n - 1 { continue }
      for _ in 0..<twos {
        guard let y = try? x.squared().modulo(n) else { break }
        if y == 1 {
          let p = (x - 1).greatestCommonDivisor(with: n)
          if p > 1 && p < n, let q = try? n / p {
            try self.init(p: p, q: q, publicKey: publicKey, minimumBits: minimumBits)
            return
          }
        }
        if y == n - 1 || y == 1 { break }
        x = y
      }
    }
    throw .invalidKey("lambda is not a multiple of lambda(n) for this n")
  }
}

extension BigInteger {
  /// An equal integer that is not marked secret (for public values computed from secrets, like `n = p·q`).
  var publicCopy: BigInteger { BigInteger(bigEndianBytes: (try? magnitude.bigEndianBytes()) ?? []) * BigInteger(signum() < 0 ? -1 : 1) }
}
