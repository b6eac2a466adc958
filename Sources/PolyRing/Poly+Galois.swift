// Galois automorphisms σ_k: a(X) ↦ a(X^k) for odd k, in both forms.

extension PolyContext {
  func checkGaloisElement(_ k: Int) throws(PolyRingError) {
    guard k > 0, k < 2 * degree, k & 1 == 1 else {
      throw .invalidGaloisElement(k, degree: degree)
    }
  }

  /// generator^power mod 2N: with the default generator 5, the Galois element
  /// that rotates batched slots by `power` columns. The power is taken mod N/2.
  public func galoisElement(power: Int, generator: Int = 5) -> Int {
    let twoN = 2 * degree
    var result = 1
    var g = generator % twoN
    var e = ((power % (degree / 2)) + degree / 2) % (degree / 2)
    while e > 0 {
      if e & 1 == 1 { result = result * g % twoN }
      g = g * g % twoN
      e >>= 1
    }
    return result
  }
}

extension Poly where Form == Coeff {
  /// σ_k(a)(X) = a(X^k) mod X^N + 1: coefficient j moves to j·k mod 2N, with a
  /// sign flip when that index is N or more.
  /// - Parameter k: an odd Galois element in 1..<2N.
  /// - Throws: ``PolyRingError/invalidGaloisElement(_:degree:)``.
  /// - Complexity: O(N·L), one allocation for the result.
  public func applyingGalois(_ k: Int) throws(PolyRingError) -> Poly {
    try context.checkGaloisElement(k)
    let n = context.degree
    let mask = 2 &* n &- 1
    var result = [UInt64](repeating: 0, count: data.count)
    let moduli = context.moduli
    result.withUnsafeMutableBufferPointer { out in
      data.withUnsafeBufferPointer { a in
        for (i, modulus) in moduli.enumerated() {
          let base = i &* n
          let q = modulus.value
          var e = 0  // j·k mod 2N
          for j in 0..<n {
            let x = a[base &+ j]
            if e < n {
              out[base &+ e] = x
            } else {
              let negated = q &- x
              out[base &+ e &- n] = Swift.min(negated, negated &- q)
            }
            e = (e &+ k) & mask
          }
        }
      }
    }
    return Poly(context: context, uncheckedData: result)
  }
}

extension Poly where Form == Eval {
  /// σ_k in evaluation form: a permutation of the evaluation points
  /// ψ^(2·bitrev(j)+1) ↦ ψ^((2·bitrev(j)+1)·k).
  /// - Parameter k: an odd Galois element in 1..<2N.
  /// - Throws: ``PolyRingError/invalidGaloisElement(_:degree:)``.
  /// - Complexity: O(N·L), one allocation for the permutation and the result.
  public func applyingGalois(_ k: Int) throws(PolyRingError) -> Poly {
    try context.checkGaloisElement(k)
    let n = context.degree
    let bits = n.trailingZeroBitCount
    let mask = 2 &* n &- 1
    // permutation[j]: the index whose point is the image of point j.
    var permutation = [Int](repeating: 0, count: n)
    for j in 0..<n {
      let exponent = (2 &* NTTTables.bitReversed(j, bits: bits) &+ 1) &* k & mask
      permutation[j] = NTTTables.bitReversed((exponent &- 1) &>> 1, bits: bits)
    }
    var result = [UInt64](repeating: 0, count: data.count)
    let limbCount = context.basis.count
    result.withUnsafeMutableBufferPointer { out in
      data.withUnsafeBufferPointer { a in
        permutation.withUnsafeBufferPointer { p in
          for i in 0..<limbCount {
            let base = i &* n
            for j in 0..<n { out[base &+ j] = a[base &+ p[j]] }
          }
        }
      }
    }
    return Poly(context: context, uncheckedData: result)
  }
}
