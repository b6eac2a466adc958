internal import CGMP

/// An arbitrary-precision signed integer backed by one GMP `mpz_t`.
///
/// `BigInteger` has value semantics: copies share GMP's memory until one of
/// them is mutated, which then copies first (copy-on-write). It is `Sendable`:
/// a shared value is only ever read.
///
/// ```swift
/// let n: BigInteger = 3233              // 61 × 53
/// let c = try BigInteger(65).power(17, modulus: n)
/// print(c)                              // 2790
/// ```
///
/// Integers holding secrets can be marked with ``markSecret()``: their limbs
/// are zeroed before GMP frees them, and every result computed from a secret
/// operand is marked secret too.
public struct BigInteger: @unchecked Sendable {  // shared storage is only read; writers copy first
  var storage: MPZStorage

  /// The largest bit width BigNum draws random numbers or primes of
  /// (2^24 bits, a 2 MiB integer), so that a mistaken size fails with an error
  /// instead of exhausting memory.
  public static let maximumBitWidth = 1 << 24

  init(storage: MPZStorage) { self.storage = storage }

  /// Zero.
  public init() { storage = MPZStorage.make(secret: false) }

  /// Creates an integer equal to `value`.
  public init(_ value: Int) {
    storage = MPZStorage.make(secret: false)
    storage.withPointer { __gmpz_set_si($0, value) }
  }

  /// Creates an integer equal to `value`.
  public init(_ value: UInt) {
    storage = MPZStorage.make(secret: false)
    storage.withPointer { __gmpz_set_ui($0, value) }
  }

  /// Creates an integer equal to any fixed-width or arbitrary binary integer.
  public init<T: BinaryInteger>(_ value: T) {
    if let small = Int(exactly: value) {
      self.init(small)
    } else if let small = UInt(exactly: value) {
      self.init(small)
    } else {
      // Wider than a word: assemble the magnitude from its words.
      var result = BigInteger()
      for word in value.magnitude.words.reversed() {
        result = (result << UInt.bitWidth) + BigInteger(word)
      }
      self = value < 0 ? -result : result
    }
  }

  /// The same integer as an `Int`, or `nil` if it does not fit.
  public var intValue: Int? {
    withPointer { __gmpz_fits_slong_p($0) != 0 ? __gmpz_get_si($0) : nil }
  }

  /// The same integer as a `UInt`, or `nil` if it is negative or does not fit.
  public var uintValue: UInt? {
    withPointer { __gmpz_fits_ulong_p($0) != 0 ? __gmpz_get_ui($0) : nil }
  }

  /// The nearest `Double` towards zero (GMP's `mpz_get_d`); infinite beyond
  /// `Double`'s range.
  public var doubleValue: Double {
    if bitWidth > 1024 { return signum() < 0 ? -.infinity : .infinity }
    return withPointer { __gmpz_get_d($0) }
  }

  /// -1, 0 or +1 as the integer is negative, zero or positive.
  public func signum() -> Int { withPointer { Int(cgmp_sign($0)) } }

  /// Whether this is zero.
  public var isZero: Bool { signum() == 0 }

  /// Whether this is odd.
  public var isOdd: Bool { withPointer { cgmp_is_odd($0) != 0 } }

  // MARK: Secrets

  /// Whether this integer's memory is zeroed when it is released.
  public var isSecret: Bool { storage.isSecret }

  /// Marks this integer as secret: GMP's limbs are zeroed before they are
  /// freed, by a store the optimiser cannot remove.
  ///
  /// Results computed from a secret operand are secret too.
  ///
  /// - Warning: This zeroes the integer's final buffer. A buffer GMP
  ///   reallocated while the value grew, or a temporary inside a GMP call, is
  ///   freed without zeroing; keep secrets at their final size (as key
  ///   generation does) and prefer ``constantTimePower(_:modulus:)`` on them.
  public mutating func markSecret() {
    makeUnique()
    storage.isSecret = true
  }

  /// `self` marked secret (see ``markSecret()``). Called on a fresh value,
  /// as in `try BigInteger.randomPrime(bitWidth: 1536).secret()`, it marks
  /// that value in place: no unmarked copy is left behind.
  public consuming func secret() -> BigInteger {
    markSecret()
    return self
  }

  // MARK: Access to the GMP integer (internal)

  @inline(__always)
  func withPointer<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R {
    try storage.withPointer(body)
  }

  @inline(__always)
  mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R {
    makeUnique()
    return try storage.withPointer(body)
  }

  @inline(__always)
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }

  /// A new integer filled in by `body`, secret when `secret` is true.
  @inline(__always)
  static func make(secret: Bool, _ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> BigInteger {
    let storage = MPZStorage.make(secret: secret)
    storage.withPointer(body)
    return BigInteger(storage: storage)
  }

  /// The result of a unary GMP operation on `a`.
  @inline(__always)
  static func unary(
    _ a: BigInteger,
    _ body: (UnsafeMutablePointer<__mpz_struct>, UnsafeMutablePointer<__mpz_struct>) -> Void
  ) -> BigInteger {
    a.withPointer { ap in make(secret: a.isSecret) { body($0, ap) } }
  }

  /// The result of a binary GMP operation on `a` and `b`.
  @inline(__always)
  static func binary(
    _ a: BigInteger, _ b: BigInteger,
    _ body: (
      UnsafeMutablePointer<__mpz_struct>, UnsafeMutablePointer<__mpz_struct>,
      UnsafeMutablePointer<__mpz_struct>
    ) -> Void
  ) -> BigInteger {
    a.withPointer { ap in
      b.withPointer { bp in make(secret: a.isSecret || b.isSecret) { body($0, ap, bp) } }
    }
  }
}

/// The one owner of a GMP integer: allocated and initialised with the object,
/// cleared (and zeroed first when secret) in `deinit`. The `mpz_t` lives in
/// the object's own allocation, so a `BigInteger` costs one heap block plus
/// GMP's limbs.
final class MPZStorage: ManagedBuffer<MPZStorage.Header, __mpz_struct> {
  struct Header {
    var isSecret: Bool
  }

  static func make(secret: Bool) -> MPZStorage {
    let buffer = MPZStorage.create(minimumCapacity: 1) { _ in Header(isSecret: secret) }
    let storage = unsafeDowncast(buffer, to: MPZStorage.self)
    storage.withUnsafeMutablePointerToElements { __gmpz_init($0) }
    return storage
  }

  var isSecret: Bool {
    get { header.isSecret }
    set { header.isSecret = newValue }
  }

  @inline(__always)
  func withPointer<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows -> R {
    try withUnsafeMutablePointerToElements(body)
  }

  func copy() -> MPZStorage {
    let copy = MPZStorage.make(secret: isSecret)
    copy.withPointer { dst in withPointer { src in __gmpz_set(dst, src) } }
    return copy
  }

  deinit {
    withUnsafeMutablePointers { header, z in
      if header.pointee.isSecret { cgmp_clear_secure(z) } else { __gmpz_clear(z) }
    }
  }
}

