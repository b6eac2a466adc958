import BigNum
import PolyRing

extension BFV {
  /// A ciphertext: two polynomials (c0, c1) of R_q in coefficient form, or
  /// three after a product not yet relinearised; c0 + c1·s (+ c2·s²) =
  /// Δ·m + e with Δ = ⌊q/t⌋.
  ///
  /// - Warning: ciphertexts are malleable (anyone can add or multiply them)
  ///   and IND-CPA only. See the BFV catalog's security notes.
  public struct Ciphertext: Sendable {
    /// The parameters the ciphertext belongs to.
    public let parameters: Parameters
    /// c0, c1 (and c2), in coefficient form over q.
    var polys: [Poly<Coeff>]
    /// For a fresh secret-key encryption: the 32-byte seed c1 was expanded from.
    public internal(set) var seed: [UInt8]?

    init(parameters: Parameters, polys: [Poly<Coeff>], seed: [UInt8]? = nil) {
      self.parameters = parameters
      self.polys = polys
      self.seed = seed
    }

    /// The number of polynomials: 2, or 3 after an unrelinearised product.
    public var polynomialCount: Int { polys.count }

    /// The number of primes of q this ciphertext is over: ``BFV/Parameters/maximumLevel``
    /// when fresh, fewer after ``switchModulusDown()``.
    public var level: Int { polys[0].context.basis.count }
  }
}

extension BFV {
  /// The generator of one encryption's randomness: ChaCha20 keyed with 32
  /// fresh bytes from the operating system's CSPRNG (one locked draw per
  /// encryption instead of one per coefficient).
  static func encryptionGenerator() throws(BFVError) -> SeededGenerator {
    var seed = Sampler.randomSeed()
    defer { for k in seed.indices { seed[k] = 0 } }
    let key = seed
    return try wrapping { () throws(PolyRingError) in try SeededGenerator(seed: key) }
  }
}

extension BFV.Parameters {
  /// poly += Δ·m (m in [0, t)), limb by limb.
  func addScaled(_ coefficients: [UInt64], to poly: inout Poly<Coeff>) {
    let n = degree
    let level = level(poly.context.basis.count)
    let moduli = level.ring.moduli
    let deltas = level.delta
    coefficients.withUnsafeBufferPointer { m in
      poly.withUnsafeMutableWords { words in
        for (i, modulus) in moduli.enumerated() {
          let d = deltas[i]
          let base = i &* n
          for j in 0..<n {
            words[base &+ j] = modulus.add(words[base &+ j], modulus.multiply(m[j], by: d))
          }
        }
      }
    }
  }
}

extension BFV.PublicKey {
  /// Encrypts a plaintext: (b·u + e0 + Δm, a·u + e1) for a ternary u and
  /// errors e0, e1 from the operating system's CSPRNG.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: 3L NTTs and 3N random draws.
  public func encrypt(_ plaintext: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    var generator = try BFV.encryptionGenerator()
    return try encrypt(plaintext, using: &generator)
  }

  /// Encrypts with a given generator (known-answer tests only).
  /// - Warning: real encryptions must use the CSPRNG (``encrypt(_:)``).
  public func encrypt(_ plaintext: BFV.Plaintext, using generator: inout some RandomNumberGenerator)
    throws(BFVError) -> BFV.Ciphertext
  {
    try parameters.check(plaintext.parameters)
    let ring = parameters.ring
    let u = Sampler.ternary(in: ring, using: &generator).forwardNTT()
    var c0 = b
    var c1 = a
    // Same ring throughout: these cannot throw.
    try? c0.multiply(u)
    try? c1.multiply(u)
    var d0 = c0.inverseNTT()
    var d1 = c1.inverseNTT()
    try? d0.add(Sampler.error(in: ring, using: &generator))
    try? d1.add(Sampler.error(in: ring, using: &generator))
    parameters.addScaled(plaintext.coefficients, to: &d0)
    return BFV.Ciphertext(parameters: parameters, polys: [d0, d1])
  }
}

extension BFV.SecretKey {
  /// Encrypts with the secret key: (−a·s + e + Δm, a) with a expanded from a
  /// fresh 32-byte seed, kept in the ciphertext so that a format can store the
  /// seed instead of a.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: 2L NTTs.
  public func encrypt(_ plaintext: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    var generator = try BFV.encryptionGenerator()
    return try encrypt(plaintext, seed: Sampler.randomSeed(), using: &generator)
  }

  /// Secret-key encryption with a given seed and error generator
  /// (known-answer tests only).
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/ring(_:)`` for a
  ///   seed that is not 32 bytes.
  public func encrypt(
    _ plaintext: BFV.Plaintext, seed: [UInt8], using generator: inout some RandomNumberGenerator
  ) throws(BFVError) -> BFV.Ciphertext {
    try parameters.check(plaintext.parameters)
    let ring = parameters.ring
    let c1: Poly<Coeff> = try wrapping { () throws(PolyRingError) in
      try Sampler.uniform(in: ring, seed: seed)
    }
    var product = c1.forwardNTT()
    try? product.multiply(secret)
    var c0 = Sampler.error(in: ring, using: &generator)
    try? c0.subtract(product.inverseNTT())
    parameters.addScaled(plaintext.coefficients, to: &c0)
    return BFV.Ciphertext(parameters: parameters, polys: [c0, c1], seed: seed)
  }

  /// c0 + c1·s (+ c2·s²) in coefficient form: Δ·m + e.
  func phase(_ ciphertext: BFV.Ciphertext) throws(BFVError) -> Poly<Coeff> {
    try parameters.check(ciphertext.parameters)
    guard ciphertext.polys.count >= 2, ciphertext.polys.count <= 3 else {
      throw .invalidCiphertext("\(ciphertext.polys.count) polynomials")
    }
    let levelRing = ciphertext.polys[0].context
    let truncated = levelRing.basis.count < parameters.maximumLevel
    // s at the ciphertext's level: the key itself, or a copy of its first limbs.
    var levelSecret = secret
    if truncated {
      let words = Array(secret.data.prefix(levelRing.wordCount))
      levelSecret = try wrapping { () throws(PolyRingError) in
        try Poly<Eval>(context: levelRing, words: words)
      }
    }
    var sum = ciphertext.polys[1].forwardNTT()
    try? sum.multiply(levelSecret)
    if ciphertext.polys.count == 3 {
      var square = levelSecret
      try? square.multiply(levelSecret)
      try? sum.multiplyAdd(ciphertext.polys[2].forwardNTT(), square)
      square.wipe()  // s² is secret too
    }
    // A truncated copy of s is wiped here; the key's own buffer by its deinit.
    if truncated { levelSecret.wipe() }
    var result = sum.inverseNTT()
    try? result.add(ciphertext.polys[0])
    return result
  }

  /// Decrypts: round(t·(c0 + c1·s)/q) mod t.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/invalidCiphertext(_:)``.
  /// - Complexity: 2L NTTs (3L for three polynomials) and one RNS scaling.
  public func decrypt(_ ciphertext: BFV.Ciphertext) throws(BFVError) -> BFV.Plaintext {
    let x = try phase(ciphertext)
    let scaler = parameters.level(x.context.basis.count).decryptScaler
    let plainRing = parameters.plainRing
    let m = try wrapping { () throws(PolyRingError) in
      // The tuned loop where R_t exists (batching t), the reference otherwise.
      if let plainRing { return try scaler.scaleAndRound(x, into: plainRing).data }
      return try scaler.scaleAndRound(x)
    }
    return BFV.Plaintext(parameters: parameters, coefficients: m)
  }

  /// The invariant noise budget in bits: log2(q) − log2(‖t·(c0 + c1·s) mod q‖∞) − 1,
  /// rounded down; 0 means decryption may fail.
  ///
  /// - Warning: a secret-key diagnostic. The budget depends on the secret key
  ///   and on the noise, so it leaks information about both: compute it only
  ///   where the secret key lives, never on a server, and never return it to
  ///   one.
  /// - Complexity: N CRT compositions (big-integer arithmetic): a test and
  ///   tuning tool, not for hot paths.
  public func noiseBudget(_ ciphertext: BFV.Ciphertext) throws(BFVError) -> Int {
    var x = try phase(ciphertext)
    x.multiply(by: parameters.plaintextModulus)
    var largest = 0
    for c in x.centeredCoefficients() { largest = max(largest, c.magnitude.bitWidth) }
    let bits = x.context.basis.product.bitWidth - 1 - largest - 1
    return max(0, bits)
  }
}
