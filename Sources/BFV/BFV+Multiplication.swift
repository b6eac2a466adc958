import PolyRing

// Ciphertext × ciphertext by "P over q" (Kim–Polyakov–Zucca 2021, a variant
// of Halevi–Polyakov–Shoup; OpenFHE's HPSPOVERQ), then relinearisation by key
// switching (BFV+KeySwitching.swift).
//
// With P > q a product of 61-bit primes: the first operand becomes
// a' = round(P·a/q) (RNSScaler, 128-bit fixed-point fractions, then an exact
// conversion P → q of the centered a'), the second b is extended exactly to
// q·P (HPS); the tensor product a' ⊗ b is taken pointwise over q·P, and
// round(t·c/P) mod q (RNSScaler with P divided away and q kept) gives the
// product: t/P · a' ⊗ b = t/q · a ⊗ b + t/P · ε ⊗ b with |ε| ≤ 1/2, an extra
// error about t·N^1.5·q/P, negligible for P > q. Wrapping mod q·P does not
// matter (t·q·P/P ≡ 0 mod q), so P need not hold the tensor's magnitude:
// fewer primes than HPS (P > 2·t·N·q) and no conversion back from P.

extension BFV.Parameters {
  /// round(t/q · x ⊗ y): the three polynomials (d0, d1, d2), L limbs each
  /// over q, written to `d` (three pointers, L·N words each): d0 and d1 in evaluation form, d2
  /// in evaluation form or, for the key switch that follows, coefficient form.
  ///
  /// Operands in evaluation form: L inverse NTTs each; a' is transformed in
  /// all L + K limbs, b only in its K new ones (its q limbs are its input).
  /// A product polynomial wanted in evaluation form needs only its K limbs
  /// of P back in coefficient form: the scaling's term in its own q limb is
  /// linear and added in evaluation form; the rest, computed from P's limbs,
  /// is transformed (K inverse and L forward NTTs instead of L + K and L).
  func tensor(
    _ x: BFV.Ciphertext, _ y: BFV.Ciphertext, into d: [UnsafeMutablePointer<UInt64>],
    lastInCoefficientForm: Bool
  ) {
    let n = degree
    let l = maximumLevel
    let product = productRing
    let all = 0..<product.basis.count
    let narrow = l &* n
    let wide = product.wordCount
    withScratch(5 &* wide &+ 2 &* narrow) { buffer in
      let a0 = buffer
      let a1 = buffer + wide
      let b0 = buffer + 2 &* wide
      let b1 = buffer + 3 &* wide
      let c1 = buffer + 4 &* wide
      let coefficients = buffer + 5 &* wide
      // x·x: the operands' coefficient forms are computed once.
      var square = true
      for k in 0..<2 {
        x.polys[k].withWords { u in y.polys[k].withWords { v in square = square && u == v } }
      }
      // a' = round(P·a/q): mod P by the scaler, mod q by exact conversion.
      for (k, out) in [a0, a1].enumerated() {
        let source = coefficients + k &* narrow
        x.polys[k].withWords { source.update(from: $0, count: narrow) }
        ring.inverseNTT(source, limbs: 0..<l)
        scaleToExtension.scaleAndRound(scaled: source, kept: nil, into: out + narrow)
        fromExtension.convertExactly(out + narrow, into: out)
      }
      // b over q·P: its own q limbs (read in place from y, in evaluation
      // form), and its exact extension to P in b0, b1 (before a' is
      // transformed in place: a square reuses a's coefficients).
      for (k, out) in [b0, b1].enumerated() {
        let source = coefficients + k &* narrow
        if !square {
          y.polys[k].withWords { source.update(from: $0, count: narrow) }
          ring.inverseNTT(source, limbs: 0..<l)
        }
        toExtension.convertExactly(source, into: out + narrow)
      }
      // Limb by limb (each limb's five buffers, 5·N words, stay in cache):
      // transforms, then c0 = a0·b0 and c2 = a1·b1 in place and c1 = a0·b1 +
      // a1·b0 (Karatsuba: three products), then the inverse transforms the
      // scalings need.
      let lastAll = lastInCoefficientForm
      y.polys[0].withWords { y0 in
        y.polys[1].withWords { y1 in
          for i in all {
            let limb = i..<(i &+ 1)
            product.forwardNTT(a0, limbs: limb)
            product.forwardNTT(a1, limbs: limb)
            if i >= l {
              product.forwardNTT(b0, limbs: limb)
              product.forwardNTT(b1, limbs: limb)
            }
            // Limb i of b: y's own below l (same offset i·N), b0/b1 above.
            let (v0, v1) = i < l ? (y0, y1) : (UnsafePointer(b0), UnsafePointer(b1))
            product.multiplyTensor(a0, a1, by: v0, v1, cross: c1, limbs: limb)
            if i >= l {
              product.inverseNTT(a0, limbs: limb)
              product.inverseNTT(c1, limbs: limb)
            }
            if i >= l || lastAll { product.inverseNTT(a1, limbs: limb) }
          }
        }
      }
      // round(t·c/P) mod q: P's limbs divided away, q's kept.
      let factors = productScaler.keptFactors
      for (k, c) in [a0, c1, a1].enumerated() {
        let out = d[k]
        if k == 2 && lastInCoefficientForm {
          productScaler.scaleAndRound(scaled: c + narrow, kept: c, into: out)
          continue
        }
        productScaler.scaleAndRound(scaled: c + narrow, kept: nil, into: out)
        ring.forwardNTT(out, limbs: 0..<l)
        for (i, modulus) in ring.moduli.enumerated() {
          let factor = ShoupConstant(factors[i], modulus: modulus)
          let base = i &* n
          for j in base..<(base &+ n) {
            out[j] = modulus.add(out[j], modulus.multiply(c[j], by: factor))
          }
        }
      }
    }
  }
}

extension BFV.Ciphertext {
  /// The product of two ciphertexts, three polynomials, not relinearised.
  /// - Throws: ``BFVError/parameterMismatch``, ``BFVError/relinearizationRequired``
  ///   when an operand has three polynomials.
  /// - Complexity: 4L + 3K inverse and 3L + 2K + 2(L + K) forward NTTs
  ///   (K: the primes of P; 2L fewer inverse for a square), 4 RNS
  ///   conversions and 5 scalings.
  public func multiplied(by other: BFV.Ciphertext) throws(BFVError) -> BFV.Ciphertext {
    try check(other)
    try checkFullLevel()
    guard polys.count == 2, other.polys.count == 2 else { throw .relinearizationRequired }
    let p = parameters
    let ring = p.ring
    let narrow = ring.wordCount
    var (words1, words2): ([UInt64], [UInt64]) = ([], [])
    let words0 = makeWords(narrow) { d0 in
      words1 = makeWords(narrow) { d1 in
        words2 = makeWords(narrow) { d2 in
          p.tensor(self, other, into: [d0, d1, d2], lastInCoefficientForm: false)
        }
      }
    }
    let result = [words0, words1, words2].map { Poly<Eval>(context: ring, uncheckedWords: $0) }
    return BFV.Ciphertext(parameters: p, polys: result)
  }

  /// Back to two polynomials: (c0, c1, c2) ↦ (c0, c1) + keySwitch(c2, s² → s).
  /// A ciphertext of two polynomials is returned unchanged.
  /// - Throws: ``BFVError/parameterMismatch``.
  /// - Complexity: L inverse and L² − L forward NTTs.
  public mutating func relinearize(using key: BFV.RelinearizationKey) throws(BFVError) {
    try parameters.check(key.parameters)
    guard polys.count == 3 else { return }
    try checkFullLevel()
    let p = parameters
    let ring = p.ring
    let narrow = ring.wordCount
    let (c0, c1, c2) = (polys[0], polys[1], polys[2])
    var out1: [UInt64] = []
    let out0 = makeWords(narrow) { o0 in
      out1 = makeWords(narrow) { o1 in
        withScratch(narrow) { coefficients in
          c2.withWords { e in
            coefficients.update(from: e, count: narrow)
            ring.inverseNTT(coefficients, limbs: 0..<ring.basis.count)
            c0.withWords { a0 in
              c1.withWords { a1 in
                p.keySwitch(
                  coefficients: coefficients, evaluation: e, key: key.key, adding: a0, a1, into: o0, o1)
              }
            }
          }
        }
      }
    }
    polys = [Poly<Eval>(context: ring, uncheckedWords: out0), Poly<Eval>(context: ring, uncheckedWords: out1)]
  }

  /// The relinearised product (one pass: the product's c2 goes to the key
  /// switch in coefficient form, c0 and c1 are transformed and added to its
  /// output).
  /// - Throws: as ``multiplied(by:)`` and ``relinearize(using:)``.
  /// - Complexity: the product's NTTs, but c2 leaves in coefficient form
  ///   (L + K inverse, no forward), then L² forward NTTs for the key switch.
  public func multiplied(by other: BFV.Ciphertext, relinearizingWith key: BFV.RelinearizationKey)
    throws(BFVError) -> BFV.Ciphertext
  {
    try parameters.check(key.parameters)
    try check(other)
    try checkFullLevel()
    guard polys.count == 2, other.polys.count == 2 else { throw .relinearizationRequired }
    let p = parameters
    let ring = p.ring
    let narrow = ring.wordCount
    var out1: [UInt64] = []
    let out0 = makeWords(narrow) { o0 in
      out1 = makeWords(narrow) { o1 in
        withScratch(3 * narrow) { d in
          p.tensor(self, other, into: [d, d + narrow, d + 2 &* narrow], lastInCoefficientForm: true)
          p.keySwitch(
            coefficients: d + 2 &* narrow, evaluation: nil, key: key.key, adding: d, d + narrow,
            into: o0, o1)
        }
      }
    }
    let result = [Poly<Eval>(context: ring, uncheckedWords: out0), Poly<Eval>(context: ring, uncheckedWords: out1)]
    return BFV.Ciphertext(parameters: p, polys: result)
  }
}
