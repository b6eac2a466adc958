import BigNum
import PolyRing

extension BFV {
  /// The secret key: a ternary polynomial s (coefficients in {−1, 0, 1}),
  /// drawn from the operating system's CSPRNG and wiped when released.
  ///
  /// - Warning: never send it anywhere. A server needs only the public key,
  ///   the ``RelinearizationKey`` and the ``GaloisKeys``, which are separate
  ///   values built from it.
  public final class SecretKey: @unchecked Sendable {  // s is written only by init and deinit
    /// The parameters the key belongs to.
    public let parameters: Parameters
    /// s in evaluation form over q.
    private(set) var secret: Poly<Eval>

    /// A fresh secret key.
    /// - Complexity: N ternary draws and one NTT.
    public init(parameters: Parameters) {
      self.parameters = parameters
      self.secret = Sampler.ternary(in: parameters.ring).forwardNTT()
    }

    /// A secret key from a given generator (known-answer tests only).
    /// - Warning: a real key's randomness must come from the CSPRNG.
    public init(
      insecureParameters parameters: Parameters, using generator: inout some RandomNumberGenerator
    ) {
      self.parameters = parameters
      self.secret = Sampler.ternary(in: parameters.ring, using: &generator).forwardNTT()
    }

    init(parameters: Parameters, secret: Poly<Eval>) {
      self.parameters = parameters
      self.secret = secret
    }

    deinit {
      secret.wipe()
      #if DEBUG
        if let probe = Self.releaseProbe.withLock({ $0 }) { secret.data.withUnsafeBufferPointer(probe) }
      #endif
    }

    #if DEBUG
      /// Tests only (debug builds): called by `deinit` with the words of s
      /// after the wipe, before they are freed, so a test can check that the
      /// very buffer that held s is zero when it is released.
      static let releaseProbe = Locked<(@Sendable (UnsafeBufferPointer<UInt64>) -> Void)?>(nil)
    #endif

    /// A public key: (−a·s + e, a) for a uniform a.
    public func publicKey() -> PublicKey {
      var generator = SecureRandom()
      return publicKey(using: &generator)
    }

    /// A public key from a given generator (known-answer tests only).
    public func publicKey(using generator: inout some RandomNumberGenerator) -> PublicKey {
      let (b, a) = encryptZero(using: &generator)
      return PublicKey(parameters: parameters, b: b, a: a)
    }

    /// (−a·s + e, a) in evaluation form, a uniform, e an error.
    func encryptZero(using generator: inout some RandomNumberGenerator) -> (Poly<Eval>, Poly<Eval>) {
      let a: Poly<Eval> = Sampler.uniform(in: parameters.ring, using: &generator)
      var b = Sampler.error(in: parameters.ring, using: &generator).forwardNTT()
      // b = e − a·s; every operand is in R_q: the ring checks cannot fail.
      var product = a
      try? product.multiply(secret)
      try? b.subtract(product)
      return (b, a)
    }

    /// The key that turns the three-polynomial product of two ciphertexts
    /// back into two polynomials.
    /// - Complexity: L key-switching rows of two polynomials each.
    public func relinearizationKey() -> RelinearizationKey {
      var square = secret
      try? square.multiply(secret)
      defer { square.wipe() }  // s² is secret too
      return RelinearizationKey(parameters: parameters, key: keySwitchingKey(to: square))
    }

    /// Galois keys for the given row-rotation steps (left by `step` columns;
    /// negative steps rotate right), plus the column swap when asked.
    /// - Parameters:
    ///   - steps: rotation steps; each is taken mod N/2, zero is ignored.
    ///   - includeColumnSwap: also generate the key that swaps the two rows.
    public func galoisKeys(steps: [Int], includeColumnSwap: Bool = true) -> GaloisKeys {
      var elements = Set(steps.filter { $0 % (parameters.degree / 2) != 0 }.map {
        parameters.ring.galoisElement(power: $0)
      })
      if includeColumnSwap { elements.insert(2 * parameters.degree - 1) }
      var keys: [Int: KeySwitchingKey] = [:]
      for element in elements.sorted() {
        // σ_k(s) in evaluation form: the ring's permutation of the points.
        if var image = try? secret.applyingGalois(element) {
          keys[element] = keySwitchingKey(to: image)
          image.wipe()  // σ_k(s) is secret too
        }
      }
      return GaloisKeys(parameters: parameters, keys: keys)
    }

    /// Galois keys for rotations by 1, 2, 4, …, N/4 and the column swap:
    /// enough for any rotation (composed from powers of two) and for
    /// ``Ciphertext/sumOfSlots(using:)``.
    public func powerOfTwoGaloisKeys() -> GaloisKeys {
      var steps: [Int] = []
      var step = 1
      while step < parameters.degree / 2 {
        steps.append(step)
        step *= 2
      }
      return galoisKeys(steps: steps, includeColumnSwap: true)
    }

    /// Rows i = 0..<L: (−a_i·s + e_i + g_i·target, a_i), where g_i ≡ 1 mod q_i
    /// and ≡ 0 mod q_j (j ≠ i) is the CRT idempotent: then
    /// Σ [c]_{q_i}·row_i decrypts to c·target plus a small error.
    func keySwitchingKey(to target: Poly<Eval>) -> KeySwitchingKey {
      var generator = SecureRandom()
      let n = parameters.degree
      var rows: [(b: Poly<Eval>, a: Poly<Eval>)] = []
      for i in 0..<parameters.coefficientModuli.count {
        var (b, a) = encryptZero(using: &generator)
        let modulus = parameters.ring.moduli[i]
        b.withUnsafeMutableWords { words in
          for j in (i * n)..<(i * n + n) {
            words[j] = modulus.add(words[j], target.data[j])
          }
        }
        rows.append((b, a))
      }
      return KeySwitchingKey(rows: rows)
    }
  }

  /// A public key (b, a) = (−a·s + e, a), in evaluation form: what anyone
  /// needs to encrypt.
  public struct PublicKey: Sendable {
    /// The parameters the key belongs to.
    public let parameters: Parameters
    let b: Poly<Eval>
    let a: Poly<Eval>
  }

  /// Key-switching rows: one (b_i, a_i) per prime of q (RNS digit
  /// decomposition, no special prime).
  struct KeySwitchingKey: Sendable {
    /// The ring of the rows (R_q at the full level).
    let ring: PolyContext
    /// Row i's b_i, then a_i, each N·L words: flat, for the key switch's
    /// lazy accumulation.
    let b: [UInt64]
    let a: [UInt64]

    init(rows: [(b: Poly<Eval>, a: Poly<Eval>)]) {
      self.ring = rows[0].b.context
      self.b = rows.flatMap(\.b.data)
      self.a = rows.flatMap(\.a.data)
    }

    /// The rows as polynomials (for the formats).
    var rows: [(b: Poly<Eval>, a: Poly<Eval>)] {
      let size = ring.wordCount
      return (0..<(b.count / size)).map { i in
        let rowB = Array(b[(i * size)..<((i + 1) * size)])
        let rowA = Array(a[(i * size)..<((i + 1) * size)])
        // Words of a key already built: reduced, of the right length.
        return (
          (try? Poly<Eval>(context: ring, words: rowB)) ?? .zero(in: ring),
          (try? Poly<Eval>(context: ring, words: rowA)) ?? .zero(in: ring)
        )
      }
    }
  }

  /// The relinearisation key: a key-switching key from s² to s. Public
  /// material: it can go to the server.
  public struct RelinearizationKey: Sendable {
    /// The parameters the key belongs to.
    public let parameters: Parameters
    let key: KeySwitchingKey
  }

  /// Galois keys: key-switching keys from σ_k(s) to s for the Galois elements
  /// k of the requested rotations. Public material.
  public struct GaloisKeys: Sendable {
    /// The parameters the keys belong to.
    public let parameters: Parameters
    let keys: [Int: KeySwitchingKey]

    /// The Galois elements held (5^step mod 2N for row rotations, 2N − 1 for
    /// the column swap).
    public var galoisElements: [Int] { keys.keys.sorted() }
  }
}
