// Sums of pointwise products over several limbs, reduced once: the
// accumulation of a key switch, as a ring primitive with a scalar and an
// eight-lane loop (RNSKernels+SIMD.swift). Added for BFV (issue 5).

extension Modulus {
  /// Two sums of pointwise products over `terms` pairs of limbs, each reduced
  /// once: for m < `count`,
  ///
  ///     out0[m] = (add0[m] + Σ_i x[i][m]·y[i][m]) mod q
  ///     out1[m] = (add1[m] + Σ_i x[i][m]·y[terms + i][m]) mod q
  ///
  /// (the accumulation of a key switch: digits x_i against key rows b_i and
  /// a_i). Eight lanes at a time where the process runs the SIMD NTT kernel.
  /// - Parameters: every value a residue below q; `terms` in 1...16; nil
  ///   addends count as zero; `out0`, `out1` may be `add0`, `add1`.
  /// - Complexity: 2·terms word multiplications per m, no allocation.
  public func sumsOfProducts(
    _ x: UnsafePointer<UnsafePointer<UInt64>>, _ y: UnsafePointer<UnsafePointer<UInt64>>, terms: Int,
    adding add0: UnsafePointer<UInt64>?, _ add1: UnsafePointer<UInt64>?,
    into out0: UnsafeMutablePointer<UInt64>, _ out1: UnsafeMutablePointer<UInt64>, count: Int
  ) {
    precondition(terms >= 1 && terms <= 16)
    if count % 8 == 0 && NTTKernel.preferred == .simd8
      && columnSumsFit(Array(repeating: (bits: bitWidth, constantBits: bitWidth), count: terms) + [(bits: bitWidth, constantBits: 1)])
    {
      sumsOfProductsLanes(x, y, terms: terms, adding: add0, add1, into: out0, out1, count: count)
      return
    }
    sumsOfProductsScalar(x, y, terms: terms, adding: add0, add1, into: out0, out1, count: count)
  }

  /// ``sumsOfProducts(_:_:terms:adding:_:into:_:count:)`` one m at a time.
  func sumsOfProductsScalar(
    _ x: UnsafePointer<UnsafePointer<UInt64>>, _ y: UnsafePointer<UnsafePointer<UInt64>>, terms: Int,
    adding add0: UnsafePointer<UInt64>?, _ add1: UnsafePointer<UInt64>?,
    into out0: UnsafeMutablePointer<UInt64>, _ out1: UnsafeMutablePointer<UInt64>, count: Int
  ) {
    switch terms {
    case 1: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count1.self)
    case 2: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count2.self)
    case 3: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count3.self)
    case 4: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count4.self)
    case 5: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count5.self)
    case 6: sumsOfProducts(x, y, add0, add1, out0, out1, count, Count6.self)
    default: sumsOfProducts(x, y, add0, add1, out0, out1, count, CountAny.self, terms: terms)
    }
  }

  @inline(__always)
  private func sumsOfProducts<Count: StaticCount>(
    _ x: UnsafePointer<UnsafePointer<UInt64>>, _ y: UnsafePointer<UnsafePointer<UInt64>>,
    _ add0: UnsafePointer<UInt64>?, _ add1: UnsafePointer<UInt64>?,
    _ out0: UnsafeMutablePointer<UInt64>, _ out1: UnsafeMutablePointer<UInt64>, _ count: Int, _: Count.Type,
    terms: Int = 0
  ) {
    let l = Count.value ?? terms
    for m in 0..<count {
      // ≤ 16 products below 2^124 plus one residue: below 2^128.
      var s0 = UInt128(add0?[m] ?? 0)
      var s1 = UInt128(add1?[m] ?? 0)
      for i in 0..<l {
        let d = UInt128(x[i][m])
        s0 &+= d &* UInt128(y[i][m])
        s1 &+= d &* UInt128(y[l &+ i][m])
      }
      out0[m] = reduceWide(s0)
      out1[m] = reduceWide(s1)
    }
  }
}
