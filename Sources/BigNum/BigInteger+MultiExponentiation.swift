internal import CGMP

extension BigInteger {
  /// `∏ baseᵢ^exponentᵢ mod modulus`, computed as one simultaneous
  /// multi-exponentiation whose squarings are shared by all terms; negative
  /// exponents raise the bases' inverses, all from one modular inversion. The
  /// methods are described in <doc:FastExponentiation>.
  ///
  /// ```swift
  /// let r = try BigInteger.productOfPowers([(2, 10), (3, 5)], modulus: 1000)  // 1024 · 243 mod 1000 = 832
  /// ```
  ///
  /// - Warning: Variable time, like ``power(_:modulus:)``: for public
  ///   exponents and bases only.
  /// - Throws: ``BigNumError/nonPositiveModulus``; ``BigNumError/notInvertible``
  ///   for a negative exponent whose base has no inverse.
  /// - Complexity: for `k` terms of `b`-bit exponents, about `b` squarings plus
  ///   `k · (b / (w + 1) + 2^(w−1))` multiplications, the window `w` chosen
  ///   from the exponents' width, against `k · b` squarings for separate powers.
  public static func productOfPowers(
    _ terms: [(base: BigInteger, exponent: BigInteger)], modulus: BigInteger
  ) throws(BigNumError) -> BigInteger {
    guard modulus.signum() > 0 else { throw .nonPositiveModulus }
    if modulus == 1 { return BigInteger() }
    // Normalise: bases reduced (inverted for negative exponents), zero exponents dropped.
    var bases: [BigInteger] = []
    var exponents: [BigInteger] = []
    var negative: [Int] = []
    var secret = modulus.isSecret
    for (base, exponent) in terms where !exponent.isZero {
      secret = secret || base.isSecret || exponent.isSecret
      if exponent.signum() < 0 { negative.append(bases.count) }
      bases.append(try base.modulo(modulus))
      exponents.append(exponent.magnitude)
    }
    try invertAll(&bases, at: negative, modulo: modulus)
    if bases.isEmpty { return BigInteger(1) }
    let maximumBits = exponents.map(\.bitWidth).max() ?? 0
    if bases.count >= 4 && maximumBits <= UInt.bitWidth {
      return bosCoster(bases, exponents.map { $0.uintValue ?? 0 }, modulus: modulus, secret: secret)
    }
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
      ring.enter(row)
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
    ring.leave(accumulator)
    return BigInteger(limbs: accumulator, count: limbs, secret: secret)
  }

  /// `∏ basesᵢ^exponentsᵢ mod modulus` by Bos and Coster's method, for
  /// word-size exponents: while two exponents are left, take the largest
  /// `e₁` and the next `e₂`, and use `g₁^e₁·g₂^e₂ = g₁^(e₁ − q·e₂)·(g₂·g₁^q)^e₂`
  /// with `q = ⌊e₁/e₂⌋`: one multiplication when `q = 1` (the usual case),
  /// a short power otherwise; the exponents shrink like Euclid's algorithm.
  /// For 30 bases of 40-bit exponents that is about 300 multiplications
  /// against about 460 for the interleaved windows (counted by simulation;
  /// from 4 bases on it is the cheaper of the two).
  static func bosCoster(_ bases: [BigInteger], _ exponents: [UInt], modulus: BigInteger, secret: Bool) -> BigInteger {
    let ring = LimbModulus(modulus)
    let limbs = ring.limbCount
    let count = bases.count
    let values = UnsafeMutablePointer<mp_limb_t>.allocate(capacity: (count + 2) * limbs)
    let scratch = values + count * limbs
    let spare = scratch + limbs
    defer {
      if secret {
        cgmp_secure_zero(values, (count + 2) * limbs * MemoryLayout<mp_limb_t>.size)
        ring.wipeScratch()
      }
      values.deallocate()
    }
    for (index, base) in bases.enumerated() {
      base.copyLimbs(to: values + index * limbs, count: limbs)
      ring.enter(values + index * limbs)
    }
    /// `target = target · value^power` (power ≥ 1), by left-to-right binary powering in `scratch`.
    func multiply(_ target: UnsafeMutablePointer<mp_limb_t>, by value: UnsafePointer<mp_limb_t>, power: UInt) {
      if power == 1 {
        ring.multiply(target, value, into: target)
        return
      }
      scratch.update(from: value, count: limbs)
      var bit = UInt.bitWidth - power.leadingZeroBitCount - 2
      while bit >= 0 {
        ring.square(scratch, into: scratch)
        if (power >> UInt(bit)) & 1 == 1 { ring.multiply(scratch, value, into: scratch) }
        bit -= 1
      }
      ring.multiply(target, scratch, into: target)
    }
    var exponents = exponents
    while true {
      // The largest exponent and the next one (linear scans: a few dozen bases).
      var first = 0
      for index in 1..<count where exponents[index] > exponents[first] { first = index }
      var second = first == 0 ? 1 : 0
      for index in 0..<count where index != first && exponents[index] > exponents[second] { second = index }
      let (e1, e2) = (exponents[first], exponents[second])
      if e2 == 0 {
        // One base left: its power is the result.
        let result = values + first * limbs
        if e1 > 1 {
          spare.update(from: result, count: limbs)
          multiply(result, by: spare, power: e1 - 1)
        }
        ring.leave(result)
        return BigInteger(limbs: result, count: limbs, secret: secret)
      }
      let (q, r) = e1.quotientAndRemainder(dividingBy: e2)
      multiply(values + second * limbs, by: values + first * limbs, power: q)
      exponents[first] = r
    }
  }

  /// Replaces `values[i]` by its inverse modulo `modulus` for every `i` in
  /// `indices`, with one inversion of the product of them all.
  /// - Throws: ``BigNumError/notInvertible`` when one of them has no inverse.
  static func invertAll(_ values: inout [BigInteger], at indices: [Int], modulo modulus: BigInteger) throws(BigNumError) {
    guard !indices.isEmpty else { return }
    // prefix[k] = values[indices[0]] · … · values[indices[k]] mod modulus.
    var prefix: [BigInteger] = []
    prefix.reserveCapacity(indices.count)
    for index in indices {
      if let last = prefix.last {
        prefix.append(try (last * values[index]).modulo(modulus))
      } else {
        prefix.append(values[index])
      }
    }
    guard var inverse = prefix.last!.inverse(modulo: modulus) else { throw .notInvertible }
    for k in indices.indices.reversed() {
      let index = indices[k]
      let value = values[index]
      values[index] = k > 0 ? try (inverse * prefix[k - 1]).modulo(modulus) : inverse
      if k > 0 { inverse = try (inverse * value).modulo(modulus) }
    }
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
