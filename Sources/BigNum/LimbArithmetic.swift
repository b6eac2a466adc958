internal import CGMP

// Modular multiplication on raw limb arrays (GMP's mpn layer), for the hot
// loops of fixed-base and multi-exponentiation: no allocation, no size
// normalisation, no sign handling per step. Every operand is exactly
// `limbCount` limbs, zero-padded, and below the modulus.

/// A modulus as `limbCount` limbs (most significant limb non-zero, as
/// `mpn_tdiv_qr` requires), with the scratch one modular product needs.
///
/// Odd moduli of ``montgomeryMinimumLimbs`` limbs and more (every Paillier
/// n and n²) use Montgomery's representation: operands are kept as `a·R mod m`
/// with `R = B^limbCount`, and a product is reduced by GMP's `mpn_redc_n`
/// (a low-half product and a product mod `B^n − 1`) instead of a division,
/// which measured 25–35% faster per modular product at 6144 bits. Values
/// enter with ``enter(_:)`` and leave with ``leave(_:)``; for other moduli both
/// are copies and products divide (`mpn_tdiv_qr`).
struct LimbModulus: ~Copyable {
  let limbCount: Int
  /// The modulus, `limbCount` limbs.
  let modulus: UnsafeMutablePointer<mp_limb_t>
  /// A double-width product (2 · limbCount limbs).
  let product: UnsafeMutablePointer<mp_limb_t>
  /// The quotient `mpn_tdiv_qr` writes and we discard (limbCount + 1 limbs).
  let quotient: UnsafeMutablePointer<mp_limb_t>
  /// 1/m mod B^limbCount in Montgomery form, else `nil`.
  let inverse: UnsafeMutablePointer<mp_limb_t>?

  /// Below this size division is as fast, and GMP's own powm uses other
  /// reductions there.
  static let montgomeryMinimumLimbs = 16

  /// - Precondition: `modulus` is positive (checked by callers, which throw).
  init(_ value: BigInteger) {
    limbCount = value.limbCount
    modulus = .allocate(capacity: limbCount)
    product = .allocate(capacity: 2 * limbCount)
    quotient = .allocate(capacity: limbCount + 1)
    value.copyLimbs(to: modulus, count: limbCount)
    if limbCount >= Self.montgomeryMinimumLimbs && modulus[0] & 1 == 1 {
      let inverse = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: limbCount)
      let scratch = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: max(Int(__gmpn_binvert_itch(limbCount)), 1))
      __gmpn_binvert(inverse, modulus, limbCount, scratch)
      scratch.deallocate()
      self.inverse = inverse
    } else {
      inverse = nil
    }
  }

  /// Reduces the double-width `product` into `result`.
  @inline(__always)
  private func reduce(into result: UnsafeMutablePointer<mp_limb_t>) {
    if let inverse {
      __gmpn_redc_n(result, product, modulus, limbCount, inverse)
    } else {
      __gmpn_tdiv_qr(quotient, result, 0, product, 2 * limbCount, modulus, limbCount)
    }
  }

  /// `result = a · b mod m` (in Montgomery form: `a·b/R`). `result` may alias `a` or `b`.
  @inline(__always)
  func multiply(
    _ a: UnsafePointer<mp_limb_t>, _ b: UnsafePointer<mp_limb_t>, into result: UnsafeMutablePointer<mp_limb_t>
  ) {
    __gmpn_mul_n(product, a, b, limbCount)
    reduce(into: result)
  }

  /// `result = a² mod m` (in Montgomery form: `a²/R`). `result` may alias `a`.
  @inline(__always)
  func square(_ a: UnsafePointer<mp_limb_t>, into result: UnsafeMutablePointer<mp_limb_t>) {
    __gmpn_sqr(product, a, limbCount)
    reduce(into: result)
  }

  /// `a` (below m) into the working representation, in place: `a·R mod m`.
  func enter(_ a: UnsafeMutablePointer<mp_limb_t>) {
    guard inverse != nil else { return }
    product.initialize(repeating: 0, count: limbCount)
    (product + limbCount).update(from: a, count: limbCount)
    __gmpn_tdiv_qr(quotient, a, 0, product, 2 * limbCount, modulus, limbCount)
  }

  /// `a` out of the working representation, in place: `a/R mod m`.
  func leave(_ a: UnsafeMutablePointer<mp_limb_t>) {
    guard let inverse else { return }
    product.update(from: a, count: limbCount)
    (product + limbCount).initialize(repeating: 0, count: limbCount)
    __gmpn_redc_n(a, product, modulus, limbCount, inverse)
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
    inverse?.deallocate()
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
