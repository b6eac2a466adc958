// Divide-and-round by the last prime: R_Q → R_{Q'} with Q' = Q / q_last.

extension PolyContext {
  /// The ring without its last modulus (same degree, the NTT tables shared).
  /// - Throws: ``PolyRingError/invalidBasis(_:)`` when only one modulus is left.
  public func droppingLastModulus() throws(PolyRingError) -> PolyContext {
    guard basis.count > 1 else { throw .invalidBasis("cannot drop the only modulus") }
    return try PolyContext.registered(degree: degree, moduli: moduli.dropLast().map(\.value)) { () throws(PolyRingError) in
      try PolyContext(degree: degree, basis: RNSBasis(Array(moduli.dropLast())), nttTables: Array(nttTables.dropLast()))
    }
  }

  /// Builds a context from parts already checked.
  convenience init(degree: Int, basis: RNSBasis, nttTables: [NTTTables]) throws(PolyRingError) {
    try self.init(degree: degree, checkedBasis: basis, nttTables: nttTables)
  }
}

extension Poly where Form == Coeff {
  /// round(x / q_last) as an element of the smaller ring (the modulus switch of
  /// BGV/BFV): per limb, ((x_i + h) − [(x_last + h) mod q_last]) · q_last^-1
  /// mod q_i with h = floor(q_last / 2), which is x / q_last rounded to the
  /// nearest integer (ties up), coefficient-wise on the representative in [0, Q).
  /// - Parameter smaller: the ring from ``PolyContext/droppingLastModulus()``
  ///   (or any ring with the first L−1 moduli).
  /// - Throws: ``PolyRingError/contextMismatch`` when `smaller` is not this ring
  ///   without its last modulus.
  /// - Complexity: O(N·L) word operations.
  public func dividingAndRoundingByLastModulus(into smaller: PolyContext) throws(PolyRingError)
    -> Poly<Coeff>
  {
    let l = context.basis.count
    guard smaller.degree == context.degree, smaller.moduli == Array(context.moduli.dropLast())
    else { throw .contextMismatch }
    let n = context.degree
    let last = context.moduli[l - 1]
    let half = last.value >> 1
    var output = [UInt64](repeating: 0, count: smaller.wordCount)
    let moduli = smaller.moduli
    output.withUnsafeMutableBufferPointer { out in
      data.withUnsafeBufferPointer { x in
        for (i, q) in moduli.enumerated() {
          // l ≥ 2 here, and q_last is prime and ≠ q, so the inverse exists.
          let inverse = ShoupConstant(q.inverse(q.reduce(last.value)) ?? 0, modulus: q)
          let halfModQ = q.reduce(half)
          let lastBase = (l &- 1) &* n
          let base = i &* n
          for j in 0..<n {
            let shifted = last.add(x[lastBase &+ j], half)  // (x_last + h) mod q_last
            let xi = q.add(x[base &+ j], halfModQ)
            let difference = q.subtract(xi, q.reduce(shifted))
            out[base &+ j] = q.multiply(difference, by: inverse)
          }
        }
      }
    }
    return Poly(context: smaller, uncheckedData: output)
  }
}
