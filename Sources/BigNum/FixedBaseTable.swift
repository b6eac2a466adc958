internal import CGMP

/// Powers of one fixed base modulo one fixed modulus, from a table of
/// precomputed powers: `base^e mod m` costs one modular multiplication per
/// non-zero `w`-bit window of `e` and no squaring.
///
/// The table is immutable once built and safe to share between threads. Its
/// layout and cost are in <doc:FastExponentiation>.
///
/// ```swift
/// let table = try FixedBaseTable(base: 3, modulus: 1_000_003, maximumExponentBitWidth: 64)
/// let x = try table.power(123_456)   // == 3^123456 mod 1000003
/// ```
///
/// - Warning: the memory access pattern depends on the exponent's bits: not
///   constant time. Use ``BigInteger/constantTimePower(_:modulus:)`` where
///   cache-timing attacks by a co-located process are in the threat model.
public final class FixedBaseTable: @unchecked Sendable {  // immutable after init
  /// The width `w` of one window of the exponent, in bits.
  public let windowBits: Int
  /// The largest exponent bit width ``power(_:)`` accepts.
  public let maximumExponentBitWidth: Int
  /// The modulus `m`.
  public let modulus: BigInteger

  private let limbCount: Int
  private let windowCount: Int
  private let entriesPerWindow: Int
  private let table: UnsafeMutablePointer<mp_limb_t>

  /// The bytes a table for these sizes occupies:
  /// `⌈exponentBits / w⌉ · (2^w − 1)` entries of the modulus's size.
  public static func byteCount(modulusBitWidth: Int, exponentBitWidth: Int, windowBits: Int) -> Int {
    let limbs = (modulusBitWidth + 63) / 64
    let windows = (exponentBitWidth + windowBits - 1) / windowBits
    return windows * ((1 << windowBits) - 1) * limbs * MemoryLayout<UInt64>.size
  }

  /// The bytes this table occupies.
  public var byteCount: Int { windowCount * entriesPerWindow * limbCount * MemoryLayout<mp_limb_t>.size }

  /// Builds the table for `base` modulo `modulus`.
  ///
  /// - Parameters:
  ///   - base: the fixed base; reduced modulo `modulus`.
  ///   - modulus: a positive modulus.
  ///   - maximumExponentBitWidth: the largest exponent the table serves.
  ///   - windowBits: the window width `w`, 1...16; memory grows as `2^w / w`,
  ///     time falls as `1 / w`.
  /// - Throws: ``BigNumError/nonPositiveModulus``; ``BigNumError/invalidBitWidth(_:)``
  ///   for a window outside 1...16 or an exponent width outside 1...``BigInteger/maximumBitWidth``.
  /// - Complexity: `⌈b / w⌉ · (2^w − 1)` modular multiplications, done once.
  public init(
    base: BigInteger, modulus: BigInteger, maximumExponentBitWidth: Int, windowBits: Int = 8
  ) throws(BigNumError) {
    guard modulus.signum() > 0 else { throw .nonPositiveModulus }
    guard (1...16).contains(windowBits) else { throw .invalidBitWidth(windowBits) }
    guard (1...BigInteger.maximumBitWidth).contains(maximumExponentBitWidth) else {
      throw .invalidBitWidth(maximumExponentBitWidth)
    }
    self.windowBits = windowBits
    self.maximumExponentBitWidth = maximumExponentBitWidth
    self.modulus = modulus
    limbCount = modulus.limbCount
    windowCount = (maximumExponentBitWidth + windowBits - 1) / windowBits
    entriesPerWindow = (1 << windowBits) - 1
    let totalLimbs = windowCount * entriesPerWindow * limbCount
    table = .allocate(capacity: totalLimbs)

    let reduced = try base.modulo(modulus)
    let ring = LimbModulus(modulus)
    let windowBase = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: limbCount)
    defer { windowBase.deallocate() }
    reduced.copyLimbs(to: windowBase, count: limbCount)
    ring.enter(windowBase)  // the table holds Montgomery forms when the ring uses them
    for window in 0..<windowCount {
      let row = table + window * entriesPerWindow * limbCount
      // Entry d = windowBase^d; windowBase = base^(2^(w·window)).
      row.update(from: windowBase, count: limbCount)
      for digit in 1..<entriesPerWindow {
        ring.multiply(row + (digit - 1) * limbCount, windowBase, into: row + digit * limbCount)
      }
      // Next window's base: windowBase^(2^w) = entry (2^w − 1) · windowBase.
      ring.multiply(row + (entriesPerWindow - 1) * limbCount, windowBase, into: windowBase)
    }
  }

  deinit { table.deallocate() }

  /// `base^exponent mod modulus`.
  ///
  /// The result is marked secret when `exponent` is, and the scratch that
  /// held partial products is zeroed.
  ///
  /// - Throws: ``BigNumError/negativeExponent``; ``BigNumError/invalidBitWidth(_:)``
  ///   when the exponent is wider than ``maximumExponentBitWidth``.
  /// - Complexity: one modular multiplication per non-zero window of the exponent.
  public func power(_ exponent: BigInteger) throws(BigNumError) -> BigInteger {
    guard exponent.signum() >= 0 else { throw .negativeExponent }
    let bits = exponent.bitWidth
    guard bits <= maximumExponentBitWidth else { throw .invalidBitWidth(bits) }
    let secret = exponent.isSecret
    let ring = LimbModulus(modulus)
    let accumulator = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: limbCount)
    defer {
      if secret {
        cgmp_secure_zero(accumulator, limbCount * MemoryLayout<mp_limb_t>.size)
        ring.wipeScratch()
      }
      accumulator.deallocate()
    }
    var started = false
    exponent.withPointer { z in
      let count = Int(__gmpz_size(z))
      guard count > 0, let limbs = __gmpz_limbs_read(z) else { return }
      let windows = (bits + windowBits - 1) / windowBits
      for window in 0..<windows {
        let digit = BigInteger.bits(of: limbs, count: count, offset: window * windowBits, width: windowBits)
        if digit == 0 { continue }
        let entry = table + (window * entriesPerWindow + digit - 1) * limbCount
        if started {
          ring.multiply(accumulator, entry, into: accumulator)
        } else {
          accumulator.update(from: entry, count: limbCount)
          started = true
        }
      }
    }
    if !started {  // exponent zero: 1 mod m
      return try BigInteger(1).modulo(modulus)
    }
    ring.leave(accumulator)
    return BigInteger(limbs: accumulator, count: limbCount, secret: secret)
  }
}
