import BigNum
import PolyRing

extension BFV {
  /// The HomomorphicEncryption.org 128-bit bounds on log2 q for a ternary
  /// secret and σ ≈ 3.2, per ring degree N.
  public static let maximumLogQ: [Int: Int] = [4096: 109, 8192: 218, 16384: 438, 32768: 881]

  /// Named parameter sets: the largest q the 128-bit bound allows for each N,
  /// split into NTT-friendly primes, with a batching plaintext modulus.
  ///
  /// Depth is the number of chained squarings (each followed by
  /// relinearisation) of a fresh public-key encryption of a random vector that
  /// still decrypt correctly: measured by `BFVDepthTests` for N = 4096 and
  /// 8192 (every test run) and by `BFVDeepPresetTests` for the larger presets
  /// (`HEKIT_BFV_DEEP=1`). Each level costs about 32–35 bits of noise budget.
  public enum Preset: String, CaseIterable, Sendable {
    /// N = 4096, q = 36 + 36 + 37 bits (109), t = 17-bit prime. Depth 2
    /// (noise budget 76, 44, 16 bits after 0, 1, 2 squarings, ±1 between keys).
    case n4096
    /// N = 8192, q = 43 + 43 + 44 + 44 + 44 bits (218), t = 20-bit prime. Depth 5
    /// (noise budget 178, 141, 109, 77, 44, 12 bits, ±1 between keys).
    case n8192
    /// N = 16384, q = 3·48 + 6·49 bits (438), t = 20-bit prime. Depth 11
    /// (noise budget 397 bits fresh, 22–23 after 11 squarings, ±1 between keys).
    case n16384
    /// N = 32768, q = 4·58 + 11·59 bits (881), t = 20-bit prime. Depth 23
    /// (noise budget 842 bits fresh, 28 after 23 squarings).
    case n32768

    /// The ring degree N.
    public var degree: Int {
      switch self {
      case .n4096: 4096
      case .n8192: 8192
      case .n16384: 16384
      case .n32768: 32768
      }
    }

    /// The bit widths of the primes of q.
    public var primeBitWidths: [Int] {
      switch self {
      case .n4096: [36, 36, 37]
      case .n8192: [43, 43, 44, 44, 44]
      case .n16384: [48, 48, 48, 49, 49, 49, 49, 49, 49]
      case .n32768: [58, 58, 58, 58] + [Int](repeating: 59, count: 11)
      }
    }

    /// The bit width of the batching plaintext modulus t.
    public var plaintextBitWidth: Int { self == .n4096 ? 17 : 20 }

    /// The multiplicative depth measured for this preset.
    public var multiplicativeDepth: Int {
      switch self {
      case .n4096: 2
      case .n8192: 5
      case .n16384: 11
      case .n32768: 23
      }
    }
  }

  /// A BFV parameter set with everything precomputed that its keys,
  /// plaintexts and ciphertexts need: the rings R_q and R_t, the extension
  /// basis of the multiplication, the converters and scalers.
  ///
  /// Build it once and share it. Every key, plaintext and ciphertext holds a
  /// reference and checks ``identity`` on every operation.
  public final class Parameters: Sendable {
    /// The ring degree N (a power of two).
    public let degree: Int
    /// The plaintext modulus t.
    public let plaintextModulus: UInt64
    /// The primes of q, in order (the last is dropped first by modulus switching).
    public let coefficientModuli: [UInt64]
    /// ⌈log2 q⌉: the bit width of q = ∏ q_i.
    public let logQ: Int
    /// A 64-bit digest (FNV-1a) of N, t and the primes: the parameter identity
    /// carried by every key, plaintext and ciphertext.
    public let identity: UInt64
    /// Whether t is a prime ≡ 1 mod 2N, so that the batch encoder's N slots exist.
    public var supportsBatching: Bool { plainRing != nil }
    /// Whether the parameters passed the 128-bit security check.
    public let isSecure: Bool

    /// R_q.
    let ring: PolyContext
    /// R_t with its NTT (batching), or nil.
    let plainRing: PolyContext?
    /// t as a modulus.
    let plainModulus: Modulus
    /// Per level (index l − 1 for the first l primes): the ring, Δ and the
    /// decryption scaler. The last entry is the full modulus.
    let levels: [Level]
    /// The multiplication's auxiliary basis P (61-bit primes, P > q), R_P and
    /// R_{qP} (limbs of q, then of P; NTT tables shared with R_q and R_P).
    let extensionRing: PolyContext
    let productRing: PolyContext
    /// b ↦ b mod P, exactly (centered b), for the second operand of a product.
    let toExtension: BaseConverter
    /// a ↦ round(P·a/q) mod P, for the first operand.
    let scaleToExtension: RNSScaler
    /// a' mod P ↦ a' mod q, exactly (centered a').
    let fromExtension: BaseConverter
    /// round(t·c/P) mod q for c in R_{qP} (P divided away, q kept).
    let productScaler: RNSScaler
    /// Whether every residue mod q_i is below 4·q_j for all primes of q, so
    /// that a key-switching digit enters the NTT mod q_j unreduced.
    let digitsNeedNoReduction: Bool
    /// slotIndex[r·N/2 + c] = the evaluation index of slot (row r, column c).
    let slotIndex: [Int]

    /// A preset parameter set.
    /// - Throws: ``BFVError/ring(_:)`` only if prime search failed (it does not
    ///   for the presets).
    public convenience init(preset: Preset) throws(BFVError) {
      let moduli = try wrapping { () throws(PolyRingError) in
        try Modulus.nttFriendlyPrimes(bitWidths: preset.primeBitWidths, degree: preset.degree)
      }
      let t = try wrapping { () throws(PolyRingError) in
        try Modulus.nttFriendlyPrimes(bitWidths: [preset.plaintextBitWidth], degree: preset.degree)
      }
      try self.init(
        degree: preset.degree, coefficientModuli: moduli.map(\.value),
        plaintextModulus: t[0].value, secure: true)
    }

    /// Custom parameters, checked against the 128-bit bound.
    /// - Parameters:
    ///   - degree: N in 4096, 8192, 16384 or 32768.
    ///   - coefficientModuli: distinct primes ≡ 1 mod 2N, each below 2^62, at most 16.
    ///   - plaintextModulus: t ≥ 2, coprime with q and far below it; a prime
    ///     ≡ 1 mod 2N enables batching.
    /// - Throws: ``BFVError/insecureParameters(degree:logQ:maximumLogQ:)`` above
    ///   the bound, ``BFVError/invalidParameters(_:)`` or ``BFVError/ring(_:)``
    ///   for unusable values.
    public convenience init(degree: Int, coefficientModuli: [UInt64], plaintextModulus: UInt64)
      throws(BFVError)
    {
      try self.init(
        degree: degree, coefficientModuli: coefficientModuli, plaintextModulus: plaintextModulus,
        secure: true)
    }

    /// Parameters without the security check: any power-of-two degree from 16.
    /// - Warning: for tests only. Such parameters may offer no security at all.
    /// - Throws: as ``init(degree:coefficientModuli:plaintextModulus:)`` except
    ///   the security check.
    public convenience init(
      insecureDegree degree: Int, coefficientModuli: [UInt64], plaintextModulus: UInt64
    ) throws(BFVError) {
      try self.init(
        degree: degree, coefficientModuli: coefficientModuli, plaintextModulus: plaintextModulus,
        secure: false)
    }

    init(degree: Int, coefficientModuli: [UInt64], plaintextModulus t: UInt64, secure: Bool)
      throws(BFVError)
    {
      guard degree >= 16, degree <= 32768, degree.nonzeroBitCount == 1 else {
        throw .invalidParameters("the degree must be a power of two in 16...32768, not \(degree)")
      }
      guard !coefficientModuli.isEmpty, coefficientModuli.count <= 16 else {
        throw .invalidParameters("q takes 1 to 16 primes, not \(coefficientModuli.count)")
      }
      let q = try wrapping { () throws(PolyRingError) in
        try PolyContext.shared(degree: degree, moduli: coefficientModuli)
      }
      let logQ = q.basis.product.bitWidth
      if secure {
        guard let maximum = BFV.maximumLogQ[degree], logQ <= maximum else {
          throw .insecureParameters(
            degree: degree, logQ: logQ, maximumLogQ: BFV.maximumLogQ[degree] ?? 0)
        }
      }
      guard t >= 2, t < (1 << 60) else {
        throw .invalidParameters("the plaintext modulus must be in 2..<2^60, not \(t)")
      }
      let tModulus = try wrapping { () throws(PolyRingError) in try Modulus(t) }
      for qi in coefficientModuli where qi % t == 0 || t % qi == 0 {
        throw .invalidParameters("the plaintext modulus \(t) shares a factor with q")
      }
      // Room for at least a fresh encryption: q/t well above the noise.
      guard logQ >= tModulus.bitWidth + 20 else {
        throw .invalidParameters("q (\(logQ) bits) is too small for t (\(tModulus.bitWidth) bits)")
      }
      let batching = tModulus.isPrime && (t - 1) % UInt64(2 * degree) == 0
      var plain: PolyContext? = nil
      if batching {
        plain = try wrapping { () throws(PolyRingError) in
          try PolyContext.shared(degree: degree, moduli: [t])
        }
      }
      // Auxiliary basis P > q (multiplication in P over q, Kim–Polyakov–Zucca
      // 2021): 61-bit primes (each above 2^60) not in q.
      let count = (logQ + 59) / 60
      let candidates = try wrapping { () throws(PolyRingError) in
        try Modulus.nttFriendlyPrimes(
          bitWidths: [Int](repeating: 61, count: count + coefficientModuli.count), degree: degree)
      }
      let extensionModuli = Array(candidates.filter { !coefficientModuli.contains($0.value) }.prefix(count))
      guard count <= 16, extensionModuli.count == count else {
        throw .invalidParameters("q is too large for the multiplication's auxiliary basis")
      }
      let p = try wrapping { () throws(PolyRingError) in
        try PolyContext.shared(degree: degree, moduli: extensionModuli.map(\.value))
      }
      let qp = try wrapping { () throws(PolyRingError) in try q.joined(with: p) }
      let pq = try wrapping { () throws(PolyRingError) in try p.joined(with: q) }
      self.degree = degree
      self.plaintextModulus = t
      self.coefficientModuli = coefficientModuli
      self.logQ = logQ
      self.isSecure = secure
      self.ring = q
      self.plainRing = plain
      self.plainModulus = tModulus
      var levels: [Level] = []
      var levelRing = q
      while true {
        levels.insert(try Level(ring: levelRing, plaintextModulus: t), at: 0)
        guard levelRing.basis.count > 1 else { break }
        let current = levelRing
        levelRing = try wrapping { () throws(PolyRingError) in try current.droppingLastModulus() }
      }
      self.levels = levels
      self.extensionRing = p
      self.productRing = qp
      (self.toExtension, self.scaleToExtension, self.fromExtension, self.productScaler) =
        try wrapping { () throws(PolyRingError) in
          (
            try BaseConverter(from: q, to: p),
            try RNSScaler(from: q, numerator: p.basis.product, outputModuli: p.moduli),
            try BaseConverter(from: p, to: q),
            try RNSScaler(from: pq, scaledCount: extensionModuli.count, numerator: t)
          )
        }
      let largest = coefficientModuli.max() ?? 0
      let smallest = coefficientModuli.min() ?? 0
      self.digitsNeedNoReduction = largest / 4 < smallest
      self.slotIndex = Parameters.slotIndices(degree: degree)
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for word in [UInt64(1), UInt64(degree), t] + coefficientModuli {
        for byte in 0..<8 {
          hash ^= (word >> (8 * UInt64(byte))) & 0xff
          hash = hash &* 0x100_0000_01b3
        }
      }
      self.identity = hash
    }

    /// Slot (r, c) is the evaluation at ψ^e for e = ±5^c mod 2N (+ for row 0):
    /// then σ_{5^k} rotates both rows left by k and σ_{2N−1} swaps them.
    static func slotIndices(degree n: Int) -> [Int] {
      let bits = n.trailingZeroBitCount
      let half = n / 2
      var result = [Int](repeating: 0, count: n)
      var power = 1
      for c in 0..<half {
        for (row, e) in [power, 2 * n - power].enumerated() {
          let k = (e - 1) / 2
          result[row * half + c] = Int(UInt(k).bitReversedLow(bits))
        }
        power = power * 5 % (2 * n)
      }
      return result
    }

    /// The number of primes of q: the level of a fresh ciphertext.
    public var maximumLevel: Int { coefficientModuli.count }

    /// The precomputation of a level (number of primes) in 1...L.
    func level(_ count: Int) -> Level { levels[count - 1] }

    /// The number of slots: N (two rows of N/2).
    public var slotCount: Int { degree }

    /// Whether two parameter sets are the same (same identity).
    public func isSame(as other: Parameters) -> Bool {
      self === other || identity == other.identity
    }

    func check(_ other: Parameters) throws(BFVError) {
      guard isSame(as: other) else { throw .parameterMismatch }
    }
  }
}

extension BFV.Parameters {
  /// R_{q_l} for q_l the product of the first l primes, with Δ_l = ⌊q_l/t⌋
  /// and the decryption scaler round(t·x/q_l) mod t.
  final class Level: Sendable {
    let ring: PolyContext
    let delta: [ShoupConstant]
    let decryptScaler: RNSScaler

    init(ring: PolyContext, plaintextModulus t: UInt64) throws(BFVError) {
      self.ring = ring
      let bigDelta = (try? ring.basis.product / BigInteger(t)) ?? BigInteger(0)
      self.delta = zip(ring.moduli, ring.basis.decompose(bigDelta)).map {
        ShoupConstant($1, modulus: $0)
      }
      self.decryptScaler = try wrapping { () throws(PolyRingError) in
        try RNSScaler(from: ring, scaledCount: ring.basis.count, numerator: t)
      }
    }
  }
}

extension UInt {
  fileprivate func bitReversedLow(_ bits: Int) -> UInt {
    var v = self
    var r: UInt = 0
    for _ in 0..<bits {
      r = (r << 1) | (v & 1)
      v >>= 1
    }
    return r
  }
}
