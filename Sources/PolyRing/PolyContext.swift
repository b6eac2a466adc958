import BigNum

/// The ring R_Q = Z_Q[X]/(X^N + 1) for Q = q_0·q_1·…·q_{L-1}, a product of
/// distinct NTT-friendly primes, with everything precomputed that its
/// polynomials need: one ``NTTTables`` per prime and the CRT constants of the
/// RNS basis.
///
/// Build it once and share it: polynomials hold a reference to it.
///
/// ```swift
/// let moduli = try Modulus.nttFriendlyPrimes(bitWidths: [60, 60], degree: 4096)
/// let ring = try PolyContext(degree: 4096, moduli: moduli)
/// ```
public final class PolyContext: Sendable {
  /// The ring degrees PolyRing supports: powers of two in this range.
  public static let supportedDegrees = 2...65536

  /// The degree N.
  public let degree: Int
  /// The RNS basis q_0, …, q_{L-1} and its CRT constants.
  public let basis: RNSBasis
  /// One NTT table per modulus, in basis order.
  public let nttTables: [NTTTables]

  /// The moduli of the basis, in order.
  public var moduli: [Modulus] { basis.moduli }

  /// Builds the ring's tables.
  /// - Parameters:
  ///   - degree: N, a power of two in ``supportedDegrees``.
  ///   - moduli: distinct primes q_i ≡ 1 mod 2N, each below 2^62.
  /// - Throws: ``PolyRingError/invalidDegree(_:supported:)``,
  ///   ``PolyRingError/invalidModulus(_:)``, ``PolyRingError/notNTTFriendly(modulus:degree:)``,
  ///   ``PolyRingError/duplicateModulus(_:)`` or ``PolyRingError/invalidBasis(_:)``.
  /// - Complexity: O(N·L) modular multiplications.
  public init(degree: Int, moduli: [Modulus]) throws(PolyRingError) {
    guard PolyContext.supportedDegrees.contains(degree), degree.nonzeroBitCount == 1 else {
      throw .invalidDegree(degree, supported: PolyContext.supportedDegrees)
    }
    self.degree = degree
    self.basis = try RNSBasis(moduli)
    var tables: [NTTTables] = []
    for modulus in moduli {
      tables.append(try NTTTables(degree: degree, modulus: modulus))
    }
    self.nttTables = tables
  }

  init(degree: Int, checkedBasis: RNSBasis, nttTables: [NTTTables]) throws(PolyRingError) {
    self.degree = degree
    self.basis = checkedBasis
    self.nttTables = nttTables
  }

  /// Builds the ring from moduli given as integers.
  /// - Throws: as ``init(degree:moduli:)``.
  public convenience init(degree: Int, moduli: [UInt64]) throws(PolyRingError) {
    var list: [Modulus] = []
    for q in moduli { list.append(try Modulus(q)) }
    try self.init(degree: degree, moduli: list)
  }

  /// Whether two contexts describe the same ring (same degree and moduli).
  public func isSameRing(as other: PolyContext) -> Bool {
    self === other || (degree == other.degree && moduli == other.moduli)
  }

  /// The number of words a polynomial of this ring holds: N·L.
  public var wordCount: Int { degree * basis.count }
}

extension PolyContext {
  /// The ring of `degree` and `moduli`: the one another holder in this
  /// process already uses when there is one, else a new one. Parameter sets
  /// that share q (the plaintext moduli of a CRT key set, the levels of a
  /// ring) then share its tables instead of building them again. Contexts are
  /// registered weakly: one nobody holds is freed as usual.
  /// - Throws: as ``init(degree:moduli:)``.
  public static func shared(degree: Int, moduli: [UInt64]) throws(PolyRingError) -> PolyContext {
    try registered(degree: degree, moduli: moduli) { () throws(PolyRingError) in
      try PolyContext(degree: degree, moduli: moduli)
    }
  }

  /// The live context of `degree` and `moduli`, or `make()` registered as it.
  static func registered(
    degree: Int, moduli: [UInt64], make: () throws(PolyRingError) -> PolyContext
  ) throws(PolyRingError) -> PolyContext {
    let key = RegistryKey(degree: degree, moduli: moduli)
    if let live = registry.withLock({ $0[key]?.context }) { return live }
    let context = try make()  // outside the lock: building tables takes milliseconds
    return registry.withLock { table in
      if let live = table[key]?.context { return live }  // another thread was first
      table = table.filter { $0.value.context != nil }
      table[key] = WeakContext(context)
      return context
    }
  }

  private struct RegistryKey: Hashable, Sendable {
    let degree: Int
    let moduli: [UInt64]
  }

  /// A weak reference, read and written only under the registry's lock.
  private final class WeakContext: @unchecked Sendable {
    weak var context: PolyContext?
    init(_ context: PolyContext) { self.context = context }
  }

  private static let registry = Locked<[RegistryKey: WeakContext]>([:])
}
