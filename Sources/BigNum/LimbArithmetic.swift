internal import CGMP

// Modular multiplication on raw limb arrays (GMP's mpn layer), for the hot
// loops of fixed-base and multi-exponentiation: no allocation, no size
// normalisation, no sign handling per step. Every operand is exactly
// `limbCount` limbs, zero-padded, and below the modulus.

/// A modulus as `limbCount` limbs (most significant limb non-zero, as
/// `mpn_tdiv_qr` requires), with the scratch one modular product needs.
struct LimbModulus: ~Copyable {
  let limbCount: Int
  /// The modulus, `limbCount` limbs.
  let modulus: UnsafeMutablePointer<mp_limb_t>
  /// A double-width product (2 · limbCount limbs).
  let product: UnsafeMutablePointer<mp_limb_t>
  /// The quotient `mpn_tdiv_qr` writes and we discard (limbCount + 1 limbs).
  let quotient: UnsafeMutablePointer<mp_limb_t>

  /// - Precondition: `modulus` is positive (checked by callers, which throw).
  init(_ value: BigInteger) {
    limbCount = value.limbCount
    modulus = .allocate(capacity: limbCount)
    product = .allocate(capacity: 2 * limbCount)
    quotient = .allocate(capacity: limbCount + 1)
    value.copyLimbs(to: modulus, count: limbCount)
  }

  /// `result = a · b mod m`. `result` may alias `a` or `b`.
  @inline(__always)
  func multiply(
    _ a: UnsafePointer<mp_limb_t>, _ b: UnsafePointer<mp_limb_t>, into result: UnsafeMutablePointer<mp_limb_t>
  ) {
    __gmpn_mul_n(product, a, b, limbCount)
    __gmpn_tdiv_qr(quotient, result, 0, product, 2 * limbCount, modulus, limbCount)
  }

  /// `result = a² mod m`. `result` may alias `a`.
  @inline(__always)
  func square(_ a: UnsafePointer<mp_limb_t>, into result: UnsafeMutablePointer<mp_limb_t>) {
    __gmpn_sqr(product, a, limbCount)
    __gmpn_tdiv_qr(quotient, result, 0, product, 2 * limbCount, modulus, limbCount)
  }

  /// Zeroes the scratch (which held products of the operands).
  func wipeScratch() {
    cgmp_secure_zero(product, 2 * limbCount * MemoryLayout<mp_limb_t>.size)
    cgmp_secure_zero(quotient, (limbCount + 1) * MemoryLayout<mp_limb_t>.size)
  }

  deinit {
    modulus.deallocate()
    product.deallocate()
    quotient.deallocate()
  }
}

extension BigInteger {
  /// The number of limbs of the magnitude (0 for zero).
  var limbCount: Int { withPointer { Int(__gmpz_size($0)) } }

  /// Writes the magnitude's limbs to `destination`, zero-padded to `count`.
  /// - Precondition: the magnitude fits in `count` limbs.
  func copyLimbs(to destination: UnsafeMutablePointer<mp_limb_t>, count: Int) {
    withPointer { z in
      let used = Int(__gmpz_size(z))
      precondition(used <= count, "integer does not fit in \(count) limbs")
      if used > 0, let source = __gmpz_limbs_read(z) { destination.update(from: source, count: used) }
      if count > used { (destination + used).initialize(repeating: 0, count: count - used) }
    }
  }

  /// A non-negative integer from `count` limbs (leading zero limbs allowed).
  init(limbs source: UnsafePointer<mp_limb_t>, count: Int, secret: Bool) {
    self = BigInteger.make(secret: secret) { z in
      guard count > 0 else { return }
      let destination = __gmpz_limbs_write(z, count)!
      destination.update(from: source, count: count)
      var used = count
      while used > 0 && source[used - 1] == 0 { used -= 1 }
      __gmpz_limbs_finish(z, used)
    }
  }

  /// Bits `offset ..< offset + width` of the magnitude (width ≤ 32), from its limbs.
  @inline(__always)
  static func bits(
    of limbs: UnsafePointer<mp_limb_t>, count: Int, offset: Int, width: Int
  ) -> Int {
    let index = offset >> 6
    guard index < count else { return 0 }
    let shift = offset & 63
    var word = UInt64(limbs[index]) >> UInt64(shift)
    if shift + width > 64 && index + 1 < count {
      word |= UInt64(limbs[index + 1]) << UInt64(64 - shift)
    }
    return Int(word & ((1 << UInt64(width)) - 1))
  }
}
