import BigNum
import PolyRing

// Modulus switching (fewer primes: smaller results to send back) and noise
// flooding before a result goes back to the key holder.

extension BFV.Ciphertext {
  /// Divides every polynomial by the last prime of its modulus and rounds:
  /// the ciphertext moves to q' = q / q_last and decrypts to the same values.
  /// Its size falls by one limb; its noise budget by about log2(√N)
  /// bits at most (the rounding), not by log2 q_last.
  ///
  /// Products and rotations need the full modulus: switch down after them,
  /// before sending a result back.
  /// - Throws: ``BFVError/modulusChainExhausted`` at one prime.
  /// - Complexity: per polynomial, one inverse NTT (the last limb) and L − 1
  ///   forward ones, O(N·L) word operations.
  public mutating func switchModulusDown() throws(BFVError) {
    let current = polys[0].context
    guard current.basis.count > 1 else { throw .modulusChainExhausted }
    let smaller = parameters.level(current.basis.count - 1).ring
    seed = nil
    for k in polys.indices {
      polys[k] = parameters.dividingAndRoundingByLastModulus(polys[k], into: smaller)
    }
  }

  /// Switches down until `level` primes remain.
  /// - Throws: ``BFVError/modulusChainExhausted`` for a level outside
  ///   1...``level``.
  public mutating func switchModulus(toLevel target: Int) throws(BFVError) {
    guard target >= 1, target <= level else { throw .modulusChainExhausted }
    while level > target { try switchModulusDown() }
  }

  /// The ciphertext switched down to `level` primes.
  /// - Throws: as ``switchModulus(toLevel:)``.
  public func switchedModulus(toLevel target: Int) throws(BFVError) -> BFV.Ciphertext {
    var result = self
    try result.switchModulus(toLevel: target)
    return result
  }

  /// The default flooding width at this ciphertext's level: log2(q_l) −
  /// bitWidth(t) − 3 bits, the widest uniform noise that still decrypts when
  /// the computation's own noise is below q_l / (8t).
  public var defaultFloodingBits: Int {
    polys[0].context.basis.product.bitWidth - parameters.plainModulus.bitWidth - 3
  }

  /// Floods the noise before a result goes back to the key holder: adds a
  /// fresh public-key encryption of zero (re-randomising c0 and c1) and a
  /// uniform integer in [−2^bits, 2^bits) to every coefficient of c0, from the
  /// operating system's CSPRNG.
  ///
  /// The decryption then reveals the computation's noise only to statistical
  /// distance about N·2^(log2 ‖e‖ − bits) per ciphertext: for 2^-40 at
  /// the default width, the ciphertext needs a noise budget of at least
  /// 43 + log2 N bits *before* flooding (56 at N = 8192), which a server can
  /// ensure by stopping early enough in the preset's depth (see the BFV
  /// catalog). After flooding, the budget is about 2 bits: decrypt, do not
  /// compute further.
  ///
  /// - Parameters:
  ///   - publicKey: the key holder's public key.
  ///   - bits: the flooding width; defaults to ``defaultFloodingBits``.
  /// - Throws: ``BFVError/parameterMismatch``, ``BFVError/relinearizationRequired``
  ///   for three polynomials, ``BFVError/invalidParameters(_:)`` for a width
  ///   outside 1...``defaultFloodingBits``.
  public mutating func floodNoise(using publicKey: BFV.PublicKey, bits: Int? = nil) throws(BFVError) {
    try parameters.check(publicKey.parameters)
    guard polys.count == 2 else { throw .relinearizationRequired }
    let width = bits ?? defaultFloodingBits
    guard width >= 1, width <= defaultFloodingBits else {
      throw .invalidParameters("the flooding width must be in 1...\(defaultFloodingBits) bits, not \(width)")
    }
    var generator = SecureRandom()
    // A fresh encryption of zero, brought down to this level.
    let zero = [UInt64](repeating: 0, count: parameters.degree)
    var mask = try publicKey.encrypt(BFV.Plaintext(parameters: parameters, coefficients: zero), using: &generator)
    try mask.switchModulus(toLevel: level)
    try add(mask)
    let ring = polys[0].context
    let n = parameters.degree
    let words = (width + 1 + 63) / 64
    let topBits = (width + 1) - 64 * (words - 1)
    let topMask: UInt64 = topBits == 64 ? .max : (1 << topBits) - 1
    // 2^width mod q_i, subtracted to center the draw.
    let offsets = ring.moduli.map { q in q.power(2, UInt64(width)) }
    var draws = [UInt64](repeating: 0, count: words)
    let noise = makeWords(ring.wordCount) { c0 in
      for j in 0..<n {
        for w in 0..<words { draws[w] = generator.next() }
        draws[0] &= topMask  // most significant word first
        for (i, q) in ring.moduli.enumerated() {
          var r: UInt64 = 0
          for w in 0..<words {
            // r·2^64 + word, reduced: r < q < 2^62, so the pair is below 2^126.
            r = q.reduce(high: r, low: draws[w])
          }
          c0[i &* n &+ j] = q.subtract(r, offsets[i])
        }
      }
      ring.forwardNTT(c0, limbs: 0..<ring.basis.count)
    }
    try? polys[0].add(Poly<Eval>(context: ring, uncheckedWords: noise))  // same ring
    for w in draws.indices { draws[w] = 0 }
  }
}

extension BFV.Parameters {
  /// round(x / q_last) in evaluation form (the modulus switch of
  /// ``BFV/Ciphertext/switchModulusDown()``): with h = ⌊q_last/2⌋ and
  /// r = (x_last + h) mod q_last coefficient-wise, the result is
  /// (x + h − r)·q_last^-1 mod q_i, that is x/q_last rounded (ties up).
  /// One inverse NTT (the last limb) and L − 1 forward ones (h − r per prime).
  func dividingAndRoundingByLastModulus(_ x: Poly<Eval>, into smaller: PolyContext) -> Poly<Eval> {
    let context = x.context
    let l = context.basis.count
    let n = degree
    let last = context.moduli[l - 1]
    let half = last.value >> 1
    let words = makeWords(smaller.wordCount) { out in
      withScratch(n) { r in
        x.withWords { input in
          r.update(from: input + (l &- 1) &* n, count: n)
          context.nttTables[l - 1].inverse(limb: r)
          for j in 0..<n { r[j] = last.add(r[j], half) }  // (x_last + h) mod q_last
          for (i, q) in smaller.moduli.enumerated() {
            let base = i &* n
            let row = out + base
            let halfModQ = q.reduce(half)
            // h − r mod q_i, coefficient-wise, then into evaluation form.
            for j in 0..<n { row[j] = q.subtract(halfModQ, q.reduce(r[j])) }
            context.nttTables[i].forward(limb: row)
            // q_last is prime and ≠ q_i: the inverse exists.
            let inverse = ShoupConstant(q.inverse(q.reduce(last.value)) ?? 0, modulus: q)
            for j in 0..<n { row[j] = q.multiply(q.add(input[base &+ j], row[j]), by: inverse) }
          }
        }
      }
    }
    return Poly<Eval>(context: smaller, uncheckedWords: words)
  }
}
