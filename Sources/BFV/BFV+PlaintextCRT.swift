public import BigNum
public import PolyRing

extension BFV {
  /// Several plaintext moduli t_0, …, t_{K−1} of one ring and one q, used as
  /// one plaintext space T = ∏ t_i by the Chinese remainder theorem: a value
  /// too wide for one t is computed modulo every t_i (one parameter set, and
  /// one ciphertext, per t_i) and composed back here.
  public struct PlaintextCRT: Sendable {
    /// One parameter set per plaintext modulus, in order.
    public let parameters: [Parameters]
    /// The t_i and the constants that compose residues mod t_i.
    public let basis: RNSBasis

    /// T = ∏ t_i.
    public var modulus: BigInteger { basis.product }
    /// The plaintext moduli t_i.
    public var moduli: [UInt64] { parameters.map(\.plaintextModulus) }
    /// The bits of T below which every centred value fits: ⌊log2 T⌋.
    public var bits: Int { basis.product.bitWidth - 1 }

    /// The space of given parameter sets.
    /// - Parameter parameters: one or more sets of one degree and one q whose
    ///   plaintext moduli are distinct primes.
    /// - Throws: ``BFVError/invalidParameters(_:)`` for no sets, different rings or
    ///   moduli that are not distinct primes.
    public init(parameters: [Parameters]) throws(BFVError) {
      guard let first = parameters.first else { throw .invalidParameters("no plaintext moduli") }
      guard parameters.allSatisfy({ $0.degree == first.degree && $0.coefficientModuli == first.coefficientModuli })
      else { throw .invalidParameters("the plaintext moduli's parameter sets differ in N or q") }
      do {
        basis = try RNSBasis(parameters.map { try Modulus($0.plaintextModulus) })
      } catch {
        throw .invalidParameters("plaintext moduli that are not distinct primes below 2^62 (\(error))")
      }
      self.parameters = parameters
    }

    /// The space of the given batching primes on a preset's ring and q.
    /// - Throws: as ``init(parameters:)``, and `BFVError` for a t that the ring refuses.
    public init(preset: Preset, plaintextModuli: [UInt64]) throws(BFVError) {
      let base = try Parameters(preset: preset)
      try self.init(
        parameters: plaintextModuli.map { t throws(BFVError) in
          try Parameters(degree: preset.degree, coefficientModuli: base.coefficientModuli, plaintextModulus: t)
        })
    }

    /// Up to `count` batching primes (t ≡ 1 mod 2N) of exactly `bitWidth`
    /// bits, largest first (``PolyRing/Modulus/nttFriendlyPrimes(bitWidth:degree:atMost:excluding:)``).
    public static func batchingPrimes(bitWidth: Int, degree: Int, atMost count: Int) -> [UInt64] {
      Modulus.nttFriendlyPrimes(bitWidth: bitWidth, degree: degree, atMost: count)
    }

    /// The batch plaintext mod t_i of signed integers, one per slot (each
    /// reduced mod t_i): the residue i of values that the CRT composes back.
    /// - Throws: ``BFVError/tooManyValues(count:capacity:)`` for more than N values.
    /// - Complexity: one inverse NTT mod t_i.
    public func encode(_ values: some Collection<Int64>, modulus i: Int) throws(BFVError) -> Plaintext {
      let t = Int64(parameters[i].plaintextModulus)
      return try Encoder(parameters: parameters[i]).encode(
        values.map { value in
          let r = value % t
          return UInt64(r < 0 ? r + t : r)
        })
    }

    /// The centred value in (−T/2, T/2] with residues `r_i` mod t_i.
    /// - Complexity: O(K²) word operations and K big-integer multiply-adds.
    public func centred(_ residues: some Collection<UInt64>) -> BigInteger { basis.centered(residues: residues) }

    /// The centred value, or `nil` when it does not fit an `Int128`; word
    /// arithmetic only (Garner's mixed radix).
    /// - Complexity: O(K²) word operations.
    public func centredInt128(_ residues: some Collection<UInt64>) -> Int128? { basis.centeredInt128(residues) }
  }
}
