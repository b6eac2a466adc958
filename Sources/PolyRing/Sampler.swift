import BigNum

/// Random polynomials: uniform from a seed, ternary secrets, small errors.
public enum Sampler {
  /// A fresh 32-byte seed from the operating system's CSPRNG (BigNum's
  /// buffered ``SecureRandom``: one system call per large block).
  public static func randomSeed() -> [UInt8] {
    var seed = [UInt8](repeating: 0, count: SeededGenerator.seedByteCount)
    seed.withUnsafeMutableBytes { SecureRandom.fill($0) }
    return seed
  }

  /// The standard deviation of ``error(in:using:)``: √(η/2) for η = 21.
  public static let errorStandardDeviation = (21.0 / 2).squareRoot()

  /// A polynomial uniform in R_Q, expanded from a seed: limb by limb, each
  /// residue is the first ChaCha20 word (``SeededGenerator``), masked to the
  /// bit width of q_i, that is below q_i (rejection sampling). Uniform residues
  /// per prime are a uniform element of Z_Q by the CRT.
  /// - Parameters:
  ///   - context: the ring.
  ///   - seed: 32 bytes, e.g. from ``randomSeed()``.
  /// - Returns: the polynomial, in either form (uniform is uniform in both).
  /// - Throws: ``PolyRingError/invalidSeedLength(_:)``.
  public static func uniform<Form: PolyForm>(in context: PolyContext, seed: [UInt8])
    throws(PolyRingError) -> Poly<Form>
  {
    var generator = try SeededGenerator(seed: seed)
    return uniform(in: context, using: &generator)
  }

  /// A polynomial uniform in R_Q from any generator (rejection sampling as in
  /// ``uniform(in:seed:)``).
  public static func uniform<Form: PolyForm>(
    in context: PolyContext, using generator: inout some RandomNumberGenerator
  ) -> Poly<Form> {
    let n = context.degree
    var data = [UInt64](repeating: 0, count: context.wordCount)
    for (i, modulus) in context.moduli.enumerated() {
      let mask = modulus.bitWidth == 64 ? UInt64.max : (UInt64(1) << modulus.bitWidth) - 1
      for j in 0..<n {
        var r = generator.next() & mask
        while r >= modulus.value { r = generator.next() & mask }
        data[i * n + j] = r
      }
    }
    return Poly(context: context, uncheckedData: data)
  }

  /// `count` values uniform in {−1, 0, 1} written to `out`: two random bits
  /// per try, the pattern 11 rejected. The one ternary draw of the package
  /// (secret keys here, encryption's u in BFV), so every caller consumes the
  /// generator alike.
  package static func drawTernary(
    into out: UnsafeMutablePointer<Int64>, count: Int, using generator: inout some RandomNumberGenerator
  ) {
    var bits: UInt64 = 0
    var available = 0
    var j = 0
    while j < count {
      if available == 0 {
        bits = generator.next()
        available = 32
      }
      let pair = bits & 3
      bits >>= 2
      available -= 1
      if pair == 3 { continue }
      out[j] = Int64(pair) - 1
      j += 1
    }
    bits = 0
  }

  /// A ternary polynomial: coefficients uniform in {−1, 0, 1}, the same in every
  /// limb. Two random bits per try, the pattern 11 rejected.
  /// - Parameter generator: defaults to the OS CSPRNG; pass a
  ///   ``SeededGenerator`` only for tests.
  /// - Warning: a secret key's randomness must come from the CSPRNG.
  public static func ternary(
    in context: PolyContext, using generator: inout some RandomNumberGenerator
  ) -> Poly<Coeff> {
    // The signs are the secret key's coefficients.
    secretSmall(context) { drawTernary(into: $0, count: $1, using: &generator) }
  }

  /// A ternary polynomial from the OS CSPRNG.
  public static func ternary(in context: PolyContext) -> Poly<Coeff> {
    var generator = SecureRandom()
    return ternary(in: context, using: &generator)
  }

  /// An error polynomial: centered binomial with η = 21, coefficient
  /// popcount(21 random bits) − popcount(21 random bits), in [−21, 21], mean 0,
  /// standard deviation √10.5 ≈ 3.24 (the σ ≈ 3.2 of the HomomorphicEncryption.org
  /// security tables). One 64-bit word per coefficient; constant time per word.
  public static func error(
    in context: PolyContext, using generator: inout some RandomNumberGenerator
  ) -> Poly<Coeff> {
    // A key's error term is as secret as the key.
    secretSmall(context) { drawError(into: $0, count: $1, using: &generator) }
  }

  /// The polynomial of N small values that `draw` writes (into a buffer of
  /// N values), the values zeroed before their buffer is freed.
  private static func secretSmall(
    _ context: PolyContext, _ draw: (UnsafeMutablePointer<Int64>, Int) -> Void
  ) -> Poly<Coeff> {
    let n = context.degree
    var values = [Int64](repeating: 0, count: n)
    values.withUnsafeMutableBufferPointer { draw($0.baseAddress.unsafelyUnwrapped, n) }
    let poly = fromSmall(values, context)
    secureZero(&values)
    return poly
  }

  /// `count` centred-binomial values with η = 21 written to `out`:
  /// popcount(21 random bits) − popcount(21 random bits), one 64-bit word
  /// each (standard deviation √10.5 ≈ 3.24). The one error draw of the
  /// package, so every caller consumes the generator alike.
  package static func drawError(
    into out: UnsafeMutablePointer<Int64>, count: Int, using generator: inout some RandomNumberGenerator
  ) {
    let mask: UInt64 = (1 << 21) - 1
    for j in 0..<count {
      let word = generator.next()
      out[j] = Int64((word & mask).nonzeroBitCount) - Int64((word >> 21 & mask).nonzeroBitCount)
    }
  }

  /// An error polynomial from the OS CSPRNG.
  public static func error(in context: PolyContext) -> Poly<Coeff> {
    var generator = SecureRandom()
    return error(in: context, using: &generator)
  }

  private static func fromSmall(_ values: [Int64], _ context: PolyContext) -> Poly<Coeff> {
    let n = context.degree
    var data = [UInt64](repeating: 0, count: context.wordCount)
    for (i, modulus) in context.moduli.enumerated() {
      for j in 0..<n {
        let v = values[j]
        let r = modulus.reduce(v.magnitude)
        data[i * n + j] = v < 0 ? modulus.negate(r) : r
      }
    }
    return Poly(context: context, uncheckedData: data)
  }
}
