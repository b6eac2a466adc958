internal import CGMP

extension BigInteger {
  /// `∏ baseᵢ^exponentᵢ mod modulus`, computed as one simultaneous
  /// multi-exponentiation (Straus's method with interleaved sliding windows):
  /// the squarings are shared by all terms, so `k` terms of `b`-bit exponents
  /// cost about `b` squarings plus `k · (b / (w + 1) + 2^(w−1))`
  /// multiplications, instead of `k · b` squarings for `k` separate powers.
  ///
  /// A negative exponent raises the base's inverse.
  ///
  /// ```swift
  /// let r = try BigInteger.productOfPowers([(2, 10), (3, 5)], modulus: 1000)  // 1024 · 243 mod 1000 = 832
  /// ```
  ///
  /// - Warning: Variable time, like ``power(_:modulus:)``: for public
  ///   exponents and bases only.
  /// - Throws: ``BigNumError/nonPositiveModulus``; ``BigNumError/notInvertible``
  ///   for a negative exponent whose base has no inverse.
  /// - Complexity: see above; the window `w` is chosen from the exponents' width.
  public static func productOfPowers(
    _ terms: [(base: BigInteger, exponent: BigInteger)], modulus: BigInteger
  ) throws(BigNumError) -> BigInteger {
    guard modulus.signum() > 0 else { throw .nonPositiveModulus }
    if modulus == 1 { return BigInteger() }
    // Normalise: bases reduced (inverted for negative exponents), zero exponents dropped.
    var bases: [BigInteger] = []
    var exponents: [BigInteger] = []
    var secret = modulus.isSecret
    for (base, exponent) in terms where !exponent.isZero {
      secret = secret || base.isSecret || exponent.isSecret
      if exponent.signum() < 0 {
        guard let inverse = base.inverse(modulo: modulus) else { throw .notInvertible }
        bases.append(inverse)
        exponents.append(exponent.magnitude)
      } else {
        bases.append(try base.modulo(modulus))
        exponents.append(exponent)
      }
    }
    if bases.isEmpty { return BigInteger(1) }
    let maximumBits = exponents.map(\.bitWidth).max() ?? 0
    let window = windowWidth(forExponentBits: maximumBits)
    let ring = LimbModulus(modulus)
    let limbs = ring.limbCount
    let oddPowers = 1 << (window - 1)  // b, b^3, ..., b^(2^w − 1)

    // Table of odd powers of each base.
    let table = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: bases.count * oddPowers * limbs)
    let accumulator = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: limbs)
    let baseSquared = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: limbs)
    defer {
      if secret {
        cgmp_secure_zero(table, bases.count * oddPowers * limbs * MemoryLayout<mp_limb_t>.size)
        cgmp_secure_zero(accumulator, limbs * MemoryLayout<mp_limb_t>.size)
        cgmp_secure_zero(baseSquared, limbs * MemoryLayout<mp_limb_t>.size)
        ring.wipeScratch()
      }
      table.deallocate()
      accumulator.deallocate()
      baseSquared.deallocate()
    }
    for (index, base) in bases.enumerated() {
      let row = table + index * oddPowers * limbs
      base.copyLimbs(to: row, count: limbs)
      if oddPowers > 1 {
        ring.square(row, into: baseSquared)
        for power in 1..<oddPowers {
          ring.multiply(row + (power - 1) * limbs, baseSquared, into: row + power * limbs)
        }
      }
    }

    // Every window of every exponent, as (lowest bit position, table entry).
    var events: [(position: Int, entry: Int)] = []
    events.reserveCapacity(bases.count * (maximumBits / (window + 1) + 1))
    for (index, exponent) in exponents.enumerated() {
      exponent.withPointer { z in
        let count = Int(__gmpz_size(z))
        guard let words = __gmpz_limbs_read(z) else { return }
        var bit = exponent.bitWidth - 1
        while bit >= 0 {
          if BigInteger.bits(of: words, count: count, offset: bit, width: 1) == 0 {
            bit -= 1
            continue
          }
          // A window [low, bit] of at most w bits ending in a one.
          var low = max(bit - window + 1, 0)
          while BigInteger.bits(of: words, count: count, offset: low, width: 1) == 0 { low += 1 }
          let digit = BigInteger.bits(of: words, count: count, offset: low, width: bit - low + 1)
          events.append((low, (index * oddPowers + (digit >> 1)) * limbs))
          bit = low - 1
        }
      }
    }
    events.sort { $0.position > $1.position }

    // From the top bit down: square, then multiply in the windows ending here.
    var started = false
    var next = 0
    var position = maximumBits - 1
    while position >= 0 {
      if started { ring.square(accumulator, into: accumulator) }
      while next < events.count && events[next].position == position {
        let entry = table + events[next].entry
        if started {
          ring.multiply(accumulator, entry, into: accumulator)
        } else {
          accumulator.update(from: entry, count: limbs)
          started = true
        }
        next += 1
      }
      position -= 1
    }
    return BigInteger(limbs: accumulator, count: limbs, secret: secret)
  }

  /// The window minimising `2^(w−1)` precomputed powers plus about
  /// `b / (w + 1)` multiplications per term.
  static func windowWidth(forExponentBits bits: Int) -> Int {
    var best = 1
    var bestCost = Double.infinity
    for w in 1...8 {
      let cost = Double(1 << (w - 1)) + Double(bits) / Double(w + 1)
      if cost < bestCost {
        bestCost = cost
        best = w
      }
    }
    return best
  }
}
