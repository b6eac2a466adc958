// Ring arithmetic limb by limb. Every loop takes the buffers once and works on
// residues in [0, q_i); results stay in [0, q_i).

extension Poly {
  /// self += other.
  /// - Throws: ``PolyRingError/contextMismatch`` when the rings differ.
  public mutating func add(_ other: Poly) throws(PolyRingError) {
    try checkSameRing(other)
    let moduli = context.moduli
    let n = context.degree
    data.withUnsafeMutableBufferPointer { a in
      other.data.withUnsafeBufferPointer { b in
        for (i, modulus) in moduli.enumerated() {
          let q = modulus.value
          for j in (i &* n)..<(i &* n &+ n) {
            let s = a[j] &+ b[j]
            a[j] = Swift.min(s, s &- q)
          }
        }
      }
    }
  }

  /// self −= other.
  /// - Throws: ``PolyRingError/contextMismatch`` when the rings differ.
  public mutating func subtract(_ other: Poly) throws(PolyRingError) {
    try checkSameRing(other)
    let moduli = context.moduli
    let n = context.degree
    data.withUnsafeMutableBufferPointer { a in
      other.data.withUnsafeBufferPointer { b in
        for (i, modulus) in moduli.enumerated() {
          let q = modulus.value
          for j in (i &* n)..<(i &* n &+ n) {
            let d = a[j] &- b[j]
            a[j] = Swift.min(d, d &+ q)
          }
        }
      }
    }
  }

  /// self = −self.
  public mutating func negate() {
    let moduli = context.moduli
    let n = context.degree
    data.withUnsafeMutableBufferPointer { a in
      for (i, modulus) in moduli.enumerated() {
        let q = modulus.value
        for j in (i &* n)..<(i &* n &+ n) {
          let d = q &- a[j]
          a[j] = Swift.min(d, d &- q)
        }
      }
    }
  }

  /// self ·= scalar (an integer, reduced mod each q_i).
  /// - Complexity: one Shoup multiplication per residue.
  public mutating func multiply(by scalar: UInt64) {
    let moduli = context.moduli
    let n = context.degree
    data.withUnsafeMutableBufferPointer { a in
      for (i, modulus) in moduli.enumerated() {
        let w = ShoupConstant(scalar, modulus: modulus)
        let q = modulus.value
        for j in (i &* n)..<(i &* n &+ n) {
          let x = a[j]
          let r = x &* w.value &- x.multipliedFullWidth(by: w.quotient).high &* q
          a[j] = Swift.min(r, r &- q)
        }
      }
    }
  }

  /// self ·= scalar for a signed scalar.
  public mutating func multiply(by scalar: Int64) {
    multiply(by: scalar.magnitude)
    if scalar < 0 { negate() }
  }

  /// lhs + rhs (in lhs's buffer when lhs is a temporary).
  /// - Throws: ``PolyRingError/contextMismatch``.
  public static func + (lhs: consuming Poly, rhs: Poly) throws(PolyRingError) -> Poly {
    var result = consume lhs
    try result.add(rhs)
    return result
  }

  /// lhs − rhs.
  /// - Throws: ``PolyRingError/contextMismatch``.
  public static func - (lhs: consuming Poly, rhs: Poly) throws(PolyRingError) -> Poly {
    var result = consume lhs
    try result.subtract(rhs)
    return result
  }

  /// −operand.
  public static prefix func - (operand: consuming Poly) -> Poly {
    var result = consume operand
    result.negate()
    return result
  }

  /// poly · scalar.
  public static func * (lhs: consuming Poly, rhs: UInt64) -> Poly {
    var result = consume lhs
    result.multiply(by: rhs)
    return result
  }
}

extension Poly where Form == Eval {
  /// self ·= other, pointwise: the negacyclic product in evaluation form
  /// (eight lanes at a time where the ring's NTT runs the SIMD kernel).
  /// - Throws: ``PolyRingError/contextMismatch``.
  /// - Complexity: one single-word Barrett multiplication per residue; no allocation
  ///   when `self` is not shared.
  public mutating func multiply(_ other: Poly) throws(PolyRingError) {
    try checkSameRing(other)
    let moduli = context.moduli
    let n = context.degree
    let simd = context.nttTables.first?.kernel == .simd8 && n % 8 == 0
    data.withUnsafeMutableBufferPointer { a in
      other.data.withUnsafeBufferPointer { b in
        for (i, modulus) in moduli.enumerated() {
          if simd {
            let base = i &* n
            modulus.multiplySIMD8(
              a.baseAddress.unsafelyUnwrapped + base, b.baseAddress.unsafelyUnwrapped + base, count: n)
            continue
          }
          for j in (i &* n)..<(i &* n &+ n) {
            let p = a[j].multipliedFullWidth(by: b[j])
            a[j] = modulus.reduceOddProduct(high: p.high, low: p.low)  // q_i is an odd prime
          }
        }
      }
    }
  }

  /// self += a · b (pointwise), the inner step of a dot product.
  /// - Throws: ``PolyRingError/contextMismatch``.
  /// - Complexity: one Barrett reduction per residue, no allocation.
  public mutating func multiplyAdd(_ a: Poly, _ b: Poly) throws(PolyRingError) {
    try checkSameRing(a)
    try checkSameRing(b)
    let moduli = context.moduli
    let n = context.degree
    data.withUnsafeMutableBufferPointer { c in
      a.data.withUnsafeBufferPointer { a in
        b.data.withUnsafeBufferPointer { b in
          for (i, modulus) in moduli.enumerated() {
            for j in (i &* n)..<(i &* n &+ n) {
              // a·b + c < q² + q < 2^(2s): one reduction of the double word.
              let p = a[j].multipliedFullWidth(by: b[j])
              let (low, carry) = p.low.addingReportingOverflow(c[j])
              c[j] = modulus.reduceOddProduct(high: p.high &+ (carry ? 1 : 0), low: low)
            }
          }
        }
      }
    }
  }

  /// lhs · rhs, pointwise.
  /// - Throws: ``PolyRingError/contextMismatch``.
  public static func * (lhs: consuming Poly, rhs: Poly) throws(PolyRingError) -> Poly {
    var result = consume lhs
    try result.multiply(rhs)
    return result
  }
}
