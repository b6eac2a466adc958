import BigNum
import PolyRing

extension BFV {
  /// A ciphertext: two polynomials (c0, c1) of R_q, or three after a product
  /// not yet relinearised; c0 + c1·s (+ c2·s²) = Δ·m + e with Δ = ⌊q/t⌋.
  ///
  /// The polynomials are kept in evaluation (NTT) form: sums, plaintext
  /// products and the secret-key products of decryption are pointwise there,
  /// and rotations permute the points.
  ///
  /// - Warning: ciphertexts are malleable (anyone can add or multiply them)
  ///   and IND-CPA only. See the BFV catalog's security notes.
  public struct Ciphertext: Sendable {
    /// The parameters the ciphertext belongs to.
    public let parameters: Parameters
    /// c0, c1 (and c2), in evaluation form over q_l.
    var polys: [Poly<Eval>]
    /// For a fresh secret-key encryption: the 32-byte seed c1 was expanded from.
    public internal(set) var seed: [UInt8]?

    init(parameters: Parameters, polys: [Poly<Eval>], seed: [UInt8]? = nil) {
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
  /// Runs `body` with the generator of one encryption's randomness: ChaCha20
  /// keyed with 32 fresh bytes from the operating system's CSPRNG (one locked
  /// draw per encryption instead of one per coefficient), wiped when `body`
  /// returns: its key determines u and the errors.
  static func withEncryptionGenerator<R>(
    _ body: (inout SeededGenerator) throws(BFVError) -> R
  ) throws(BFVError) -> R {
    var generator = SeededGenerator.random()
    defer {
      generator.wipe()
      #if DEBUG
        if let probe = generatorProbe.withLock({ $0 }) { probe(generator.isWiped) }
      #endif
    }
    return try body(&generator)
  }

  #if DEBUG
    /// Tests only (debug builds): called after each encryption with whether
    /// its generator's key and keystream buffer are zero.
    static let generatorProbe = Locked<(@Sendable (Bool) -> Void)?>(nil)
  #endif
}

extension BFV.Parameters {
  /// NTT(e + Δ·m) over the ring of `level` primes for a small error e (N
  /// signed values) and an optional plaintext m: one lift and L transforms.
  func encodeError(
    _ error: UnsafePointer<Int64>, plaintext: [UInt64]?, level count: Int
  ) -> Poly<Eval> {
    let ring = level(count).ring
    let words = makeWords(ring.wordCount) { out in
      lift(error, adding: plaintext, into: out, ring: ring)
      ring.forwardNTT(out, limbs: 0..<count)
    }
    return Poly<Eval>(context: ring, uncheckedWords: words)
  }

  /// poly += NTT(Δ·m) (m in [0, t)): adding a plaintext in evaluation form.
  func addScaled(_ coefficients: [UInt64], to poly: inout Poly<Eval>) {
    let zeros = [Int64](repeating: 0, count: degree)
    let scaled = zeros.withUnsafeBufferPointer {
      encodeError($0.baseAddress.unsafelyUnwrapped, plaintext: coefficients, level: poly.context.basis.count)
    }
    try? poly.add(scaled)  // same ring: cannot throw
  }
}

extension BFV.PublicKey {
  /// Encrypts a plaintext: (b·u + e0 + Δm, a·u + e1) for a ternary u and
  /// errors e0, e1 drawn with ChaCha20 keyed from the operating system's CSPRNG.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: 3L NTTs and 3N random draws.
  public func encrypt(_ plaintext: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    try BFV.withEncryptionGenerator { (generator) throws(BFVError) in try encrypt(plaintext, using: &generator) }
  }

  /// Encrypts with a given generator (known-answer tests only).
  /// - Warning: real encryptions must use the CSPRNG (``encrypt(_:)``).
  public func encrypt(_ plaintext: BFV.Plaintext, using generator: inout some RandomNumberGenerator)
    throws(BFVError) -> BFV.Ciphertext
  {
    try parameters.check(plaintext.parameters)
    let p = parameters
    let ring = p.ring
    let n = p.degree
    let size = ring.wordCount
    let small = UnsafeMutablePointer<Int64>.allocate(capacity: 3 * n)  // u, e0, e1
    defer {
      wipe(UnsafeMutableRawPointer(small), byteCount: 3 * n * 8)
      small.deallocate()
    }
    Sampler.drawTernary(into: small, count: n, using: &generator)
    Sampler.drawError(into: small + n, count: n, using: &generator)
    Sampler.drawError(into: small + 2 &* n, count: n, using: &generator)
    return withScratch(size) { u in
      defer { wipe(UnsafeMutableRawPointer(u), byteCount: size * 8) }  // u is secret
      p.lift(small, adding: nil, into: u, ring: ring)
      ring.forwardNTT(u, limbs: 0..<ring.basis.count)
      var c0 = p.encodeError(small + n, plaintext: plaintext.coefficients, level: p.maximumLevel)
      var c1 = p.encodeError(small + 2 &* n, plaintext: nil, level: p.maximumLevel)
      // c0 = b·u + NTT(e0 + Δm), c1 = a·u + NTT(e1), in place.
      b.withWords { b in
        c0.withUnsafeMutableWords { c in
          p.multiplyAdd(b, u, c.baseAddress.unsafelyUnwrapped, into: c.baseAddress.unsafelyUnwrapped, ring: ring)
        }
      }
      a.withWords { a in
        c1.withUnsafeMutableWords { c in
          p.multiplyAdd(a, u, c.baseAddress.unsafelyUnwrapped, into: c.baseAddress.unsafelyUnwrapped, ring: ring)
        }
      }
      return BFV.Ciphertext(parameters: p, polys: [c0, c1])
    }
  }
}

extension BFV.SecretKey {
  /// Encrypts with the secret key: (−a·s + e + Δm, a) with a expanded from a
  /// fresh 32-byte seed (directly in evaluation form), kept in the
  /// ciphertext so that a format can store the seed instead of a.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L NTTs.
  public func encrypt(_ plaintext: BFV.Plaintext) throws(BFVError) -> BFV.Ciphertext {
    try BFV.withEncryptionGenerator { (generator) throws(BFVError) in
      try encrypt(plaintext, seed: Sampler.randomSeed(), using: &generator)
    }
  }

  /// Secret-key encryption with a given seed and error generator
  /// (known-answer tests only).
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/ring(_:)`` for a
  ///   seed that is not 32 bytes.
  public func encrypt(
    _ plaintext: BFV.Plaintext, seed: [UInt8], using generator: inout some RandomNumberGenerator
  ) throws(BFVError) -> BFV.Ciphertext {
    try parameters.check(plaintext.parameters)
    let p = parameters
    let ring = p.ring
    let c1: Poly<Eval> = try wrapping { () throws(PolyRingError) in
      try Sampler.uniform(in: ring, seed: seed)
    }
    var error = [Int64](repeating: 0, count: p.degree)
    error.withUnsafeMutableBufferPointer {
      Sampler.drawError(into: $0.baseAddress.unsafelyUnwrapped, count: p.degree, using: &generator)
    }
    var c0 = error.withUnsafeBufferPointer {
      p.encodeError($0.baseAddress.unsafelyUnwrapped, plaintext: plaintext.coefficients, level: p.maximumLevel)
    }
    error.withUnsafeMutableBytes { wipe($0.baseAddress.unsafelyUnwrapped, byteCount: $0.count) }
    // c0 = NTT(e + Δm) − a·s.
    let n = p.degree
    c1.withWords { a in
      secret.withWords { s in
        c0.withUnsafeMutableWords { c in
          for (i, modulus) in ring.moduli.enumerated() {
            let base = i &* n
            for j in base..<(base &+ n) {
              let product = modulus.reduceBelowSquare(UInt128(a[j]) &* UInt128(s[j]))
              c[j] = modulus.subtract(c[j], product)
            }
          }
        }
      }
    }
    return BFV.Ciphertext(parameters: p, polys: [c0, c1], seed: seed)
  }

  /// c0 + c1·s (+ c2·s²) = c0 + s·(c1 + c2·s) in evaluation form, into `out`
  /// (the ciphertext's ring, limb-major). s at a lower level is the key's
  /// first limbs: no copy.
  func phase(_ ciphertext: BFV.Ciphertext, into out: UnsafeMutablePointer<UInt64>) throws(BFVError) {
    try parameters.check(ciphertext.parameters)
    guard ciphertext.polys.count >= 2, ciphertext.polys.count <= 3 else {
      throw .invalidCiphertext("\(ciphertext.polys.count) polynomials")
    }
    let ring = ciphertext.polys[0].context
    let n = parameters.degree
    let polys = ciphertext.polys
    secret.withWords { s in
      polys[0].withWords { c0 in
        polys[1].withWords { c1 in
          if polys.count == 3 {
            polys[2].withWords { c2 in
              for (i, modulus) in ring.moduli.enumerated() {
                let base = i &* n
                for j in base..<(base &+ n) {
                  let inner = modulus.reduceBelowSquare(UInt128(c2[j]) &* UInt128(s[j]) &+ UInt128(c1[j]))
                  out[j] = modulus.reduceBelowSquare(UInt128(inner) &* UInt128(s[j]) &+ UInt128(c0[j]))
                }
              }
            }
          } else {
            parameters.multiplyAdd(c1, s, c0, into: out, ring: ring)
          }
        }
      }
    }
  }

  /// The phase in coefficient form over the ciphertext's ring: Δ·m + e.
  func phase(_ ciphertext: BFV.Ciphertext) throws(BFVError) -> Poly<Coeff> {
    let ring = ciphertext.polys[0].context
    var failure: BFVError? = nil
    let words = makeWords(ring.wordCount) { out in
      do throws(BFVError) {
        try phase(ciphertext, into: out)
        ring.inverseNTT(out, limbs: 0..<ring.basis.count)
      } catch {
        failure = error
        for k in 0..<ring.wordCount { out[k] = 0 }
      }
    }
    if let failure { throw failure }
    return Poly<Coeff>(context: ring, uncheckedWords: words)
  }

  /// Decrypts: round(t·(c0 + c1·s)/q) mod t.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/invalidCiphertext(_:)``.
  /// - Complexity: L inverse NTTs and one RNS scaling.
  public func decrypt(_ ciphertext: BFV.Ciphertext) throws(BFVError) -> BFV.Plaintext {
    try parameters.check(ciphertext.parameters)
    let ring = ciphertext.polys[0].context
    let scaler = parameters.level(ring.basis.count).decryptScaler
    let m = try withScratch(ring.wordCount) { (x) throws(BFVError) -> [UInt64] in
      try phase(ciphertext, into: x)
      ring.inverseNTT(x, limbs: 0..<ring.basis.count)
      let result = makeWords(parameters.degree) { out in
        scaler.scaleAndRound(scaled: x, kept: nil, into: out)
      }
      wipe(UnsafeMutableRawPointer(x), byteCount: ring.wordCount * 8)  // Δ·m + e reveals the noise
      return result
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
