import PolyRing

// Ciphertext × ciphertext with exact scaling by t/q (Halevi–Polyakov–Shoup
// 2018), and key switching by RNS digits (relinearisation, rotations).
//
// HPS: each input polynomial x (centered in (−q/2, q/2]) is extended exactly to
// the basis q·P (P: 61-bit primes, P > 2·t·N·q), the tensor product is taken
// in evaluation form over q·P, where it is exact, then round(t·c/q) is computed
// in R_P by PolyRing's RNSScaler (128-bit fixed-point fractions, no floating
// point in the rounding) and brought back to q by exact base conversion.

extension BFV.Parameters {
  /// x (in R_q, coefficient form) extended exactly to R_{qP}, evaluation form.
  func extend(_ x: Poly<Coeff>) throws(BFVError) -> Poly<Eval> {
    let converter = toExtension
    let product = productRing
    return try wrapping { () throws(PolyRingError) in
      try converter.extendExactly(x, into: product)
    }.forwardNTT()
  }

  /// round(t·c/q) mod q for c in R_{qP}, evaluation form.
  func scaleDown(_ c: consuming Poly<Eval>) throws(BFVError) -> Poly<Coeff> {
    let coefficients = c.inverseNTT()
    let scaler = productScaler
    let p = extensionRing
    let converter = fromExtension
    return try wrapping { () throws(PolyRingError) in
      try converter.convertExactly(try scaler.scaleAndRound(coefficients, into: p))
    }
  }

  /// Σ_i [c]_{q_i}·row_i: the key switch of c (coefficient form) with rows in
  /// evaluation form; returns (k0, k1) in coefficient form with
  /// k0 + k1·s ≈ c·target.
  ///
  /// The L digits are lifted and transformed first (L² NTTs); then per
  /// residue the L products with b_i (and with a_i) are summed in a UInt128
  /// and reduced once (lazy accumulation: L ≤ 16 products below 2^124).
  func keySwitch(_ c: Poly<Coeff>, with key: BFV.KeySwitchingKey) throws(BFVError)
    -> (Poly<Coeff>, Poly<Coeff>)
  {
    let n = degree
    let ring = self.ring
    let moduli = ring.moduli
    let l = moduli.count
    let size = ring.wordCount
    var digits = [UInt64](repeating: 0, count: l * size)
    var words = [UInt64](repeating: 0, count: size)
    for i in 0..<l {
      c.data.withUnsafeBufferPointer { source in
        words.withUnsafeMutableBufferPointer { out in
          let digit = i &* n
          for (j, modulus) in moduli.enumerated() {
            let base = j &* n
            if j == i {
              for m in 0..<n { out[base &+ m] = source[digit &+ m] }
            } else {
              for m in 0..<n { out[base &+ m] = modulus.reduce(source[digit &+ m]) }
            }
          }
        }
      }
      let buffer = words
      let transformed = try wrapping { () throws(PolyRingError) in
        try Poly<Coeff>(context: ring, words: buffer)
      }.forwardNTT()
      digits.withUnsafeMutableBufferPointer { d in
        transformed.data.withUnsafeBufferPointer { t in
          (d.baseAddress.unsafelyUnwrapped + i &* size).update(from: t.baseAddress.unsafelyUnwrapped, count: size)
        }
      }
    }
    var out0 = [UInt64](repeating: 0, count: size)
    var out1 = [UInt64](repeating: 0, count: size)
    digits.withUnsafeBufferPointer { d in
      key.b.withUnsafeBufferPointer { b in
        key.a.withUnsafeBufferPointer { a in
          out0.withUnsafeMutableBufferPointer { o0 in
            out1.withUnsafeMutableBufferPointer { o1 in
              for (j, modulus) in moduli.enumerated() {
                for m in (j &* n)..<(j &* n &+ n) {
                  var s0: UInt128 = 0
                  var s1: UInt128 = 0
                  for i in 0..<l {
                    let x = UInt128(d[i &* size &+ m])
                    s0 &+= x &* UInt128(b[i &* size &+ m])
                    s1 &+= x &* UInt128(a[i &* size &+ m])
                  }
                  o0[m] = modulus.reduceWide(s0)
                  o1[m] = modulus.reduceWide(s1)
                }
              }
            }
          }
        }
      }
    }
    let (r0, r1) = (out0, out1)
    return try wrapping { () throws(PolyRingError) in
      (
        try Poly<Eval>(context: ring, words: r0).inverseNTT(),
        try Poly<Eval>(context: ring, words: r1).inverseNTT()
      )
    }
  }
}

extension BFV.Ciphertext {
  /// The product of two ciphertexts, three polynomials, not relinearised.
  /// - Throws: ``BFVError/parameterMismatch``, ``BFVError/relinearizationRequired``
  ///   when an operand has three polynomials.
  /// - Complexity: 4 exact base extensions, 4(L+L') forward and 3(L+L') inverse
  ///   NTTs, 3 scalings and 3 conversions back.
  public func multiplied(by other: BFV.Ciphertext) throws(BFVError) -> BFV.Ciphertext {
    try check(other)
    try checkFullLevel()
    guard polys.count == 2, other.polys.count == 2 else { throw .relinearizationRequired }
    let a0 = try parameters.extend(polys[0])
    let a1 = try parameters.extend(polys[1])
    let b0 = try parameters.extend(other.polys[0])
    let b1 = try parameters.extend(other.polys[1])
    var c1 = a0
    try? c1.multiply(b1)
    try? c1.multiplyAdd(a1, b0)
    var c0 = a0
    try? c0.multiply(b0)
    var c2 = a1
    try? c2.multiply(b1)
    let d1 = try parameters.scaleDown(c1)
    let d0 = try parameters.scaleDown(c0)
    let d2 = try parameters.scaleDown(c2)
    return BFV.Ciphertext(parameters: parameters, polys: [d0, d1, d2])
  }

  /// Back to two polynomials: (c0, c1, c2) ↦ (c0, c1) + keySwitch(c2, s² → s).
  /// A ciphertext of two polynomials is returned unchanged.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L² forward NTTs and 2L inverse NTTs.
  public mutating func relinearize(using key: BFV.RelinearizationKey) throws(BFVError) {
    try parameters.check(key.parameters)
    guard polys.count == 3 else { return }
    try checkFullLevel()
    let (k0, k1) = try parameters.keySwitch(polys[2], with: key.key)
    polys.removeLast()
    try? polys[0].add(k0)
    try? polys[1].add(k1)
  }

  /// The relinearised product.
  /// - Throws: as ``multiplied(by:)`` and ``relinearize(using:)``.
  public func multiplied(by other: BFV.Ciphertext, relinearizingWith key: BFV.RelinearizationKey)
    throws(BFVError) -> BFV.Ciphertext
  {
    try parameters.check(key.parameters)
    var product = try multiplied(by: other)
    try product.relinearize(using: key)
    return product
  }
}
