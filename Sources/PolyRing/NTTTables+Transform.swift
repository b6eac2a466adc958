// The scalar negacyclic NTT kernels: Harvey's lazy butterflies with Shoup
// twiddles on UInt64, two stages per pass (radix 4: four loads and four stores
// per four butterflies and two stages).
//
// Each butterfly costs three 64-bit multiplications (the high word of v·w',
// the low words of v·w and of the quotient times q), which this CPU class
// issues on one port: about three cycles per butterfly is the floor of any
// scalar kernel (Benchmarks/README.md, PolyRing). What is left to trim is
// everything else: loads, stores, loop overhead and conditional subtractions.
// The wide ranges (q < 2^61, so 8q fits a word) save half of the forward's
// conditional subtractions and a quarter of the inverse's; a 62-bit q
// ("narrow") keeps Harvey's ranges, [0, 4q) forward and [0, 2q) inverse.
// Both finish in [0, q). No allocation, closure call or bounds check inside the
// loops: the table's buffer is taken once per transform.
//
// `@_optimize(size)` keeps LLVM's loop vectorizer off these loops: without a
// CPU flag it would emit SSE2 code that emulates 64-bit multiplies and
// unsigned compares, measured 1.7× slower (N = 4096: 67 µs against 39 µs).

extension NTTTables {
  /// Forward negacyclic NTT of one limb, in place, with the tables'
  /// kernel (``NTTKernel/preferred`` when they were built).
  /// - Parameter a: N values in [0, 4q); on return, the NTT in bit-reversed
  ///   order, in [0, q).
  /// - Complexity: (N/2)·log2(N) butterflies, each one Shoup multiplication.
  func forward(_ a: UnsafeMutablePointer<UInt64>) {
    switch kernel {
    case .scalar: forwardScalar(a)
    case .simd8: forwardSIMD8(a)
    }
  }

  /// Inverse negacyclic NTT of one limb, in place, N⁻¹ included.
  /// - Parameter a: N values in [0, 2q), bit-reversed order (as ``forward(_:)``
  ///   leaves them); on return, coefficients in natural order, in [0, q).
  /// - Complexity: (N/2)·log2(N) butterflies, each one Shoup multiplication,
  ///   plus N/2 for N⁻¹.
  func inverse(_ a: UnsafeMutablePointer<UInt64>) {
    switch kernel {
    case .scalar: inverseScalar(a)
    case .simd8: inverseSIMD8(a)
    }
  }

  /// ``forward(_:)`` one butterfly at a time.
  func forwardScalar(_ a: UnsafeMutablePointer<UInt64>) {
    forwardTable.withUnsafeBufferPointer { table in
      let tw = table.baseAddress.unsafelyUnwrapped
      if isNarrow {
        NTTTables.forwardScalarNarrow(a, tw, degree, modulus.value)
      } else {
        NTTTables.forwardScalarWide(a, tw, degree, modulus.value)
      }
    }
  }

  /// ``inverse(_:)`` one butterfly at a time.
  func inverseScalar(_ a: UnsafeMutablePointer<UInt64>) {
    inverseTable.withUnsafeBufferPointer { table in
      let tw = table.baseAddress.unsafelyUnwrapped
      if isNarrow {
        NTTTables.inverseScalarNarrow(a, tw, degree, modulus.value, inverseDegree)
      } else {
        NTTTables.inverseScalarWide(a, tw, degree, modulus.value, inverseDegree)
      }
    }
  }

  // The kernels as functions of their own (no closure), so that
  // `@_optimize(size)` applies to their loops; one per range regime.

  @inline(never) @_optimize(size)
  static func forwardScalarWide(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64
  ) {
    forwardScalar(a, tw, n, q, narrow: false)
  }

  @inline(never) @_optimize(size)
  static func forwardScalarNarrow(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64
  ) {
    forwardScalar(a, tw, n, q, narrow: true)
  }

  @inline(never) @_optimize(size)
  static func inverseScalarWide(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64,
    _ inverseDegree: ShoupConstant
  ) {
    inverseScalar(a, tw, n, q, inverseDegree, narrow: false)
  }

  @inline(never) @_optimize(size)
  static func inverseScalarNarrow(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64,
    _ inverseDegree: ShoupConstant
  ) {
    inverseScalar(a, tw, n, q, inverseDegree, narrow: true)
  }

  /// v·w mod q in [0, 2q) for any word v (Shoup, w' = ⌊w·2^64/q⌋).
  @inline(__always)
  static func shoup(_ v: UInt64, _ w: UInt64, _ wq: UInt64, _ q: UInt64) -> UInt64 {
    v &* w &- v.multipliedFullWidth(by: wq).high &* q
  }

  /// x − c if x ≥ c, else x.
  @inline(__always)
  static func reduce(_ x: UInt64, _ c: UInt64) -> UInt64 { Swift.min(x, x &- c) }

  /// The forward kernel (Cooley–Tukey, natural order in, bit-reversed out).
  /// - Parameters:
  ///   - a: N values in [0, 4q); on return in [0, q).
  ///   - tw: twiddle k at word k, its Shoup quotient at word N + k.
  ///   - narrow: q ≥ 2^61 (Harvey's ranges) rather than q < 2^61 (wide).
  @inline(__always)
  static func forwardScalar(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64,
    narrow: Bool
  ) {
    let twoQ = q &<< 1
    // The first stage of a pass reduces its x by c; the second reduces only
    // when narrow. Wide: values in [0, 8q) between passes ([0, 6q) between
    // the two stages); narrow: [0, 4q) throughout.
    let c = narrow ? twoQ : q &<< 2
    let twq = tw + n
    var m = 1  // groups in the stage
    var t = n &>> 1  // butterfly distance
    var remaining = n.trailingZeroBitCount  // stages left
    // Stages t (group i) and t/2 (groups 2i, 2i + 1), while more than two remain.
    while remaining > 2 {
      let h = t &>> 1
      for i in 0..<m {
        let w = tw[m &+ i]
        let wq = twq[m &+ i]
        let w0 = tw[2 &* (m &+ i)]
        let wq0 = twq[2 &* (m &+ i)]
        let w1 = tw[2 &* (m &+ i) &+ 1]
        let wq1 = twq[2 &* (m &+ i) &+ 1]
        var p = a + 2 &* i &* t
        let th = t &+ h
        let end = p + h
        while p < end {
          let u0 = reduce(p[0], c)  // [0, c)
          let u1 = reduce(p[h], c)
          let x2 = shoup(p[t], w, wq, q)  // [0, 2q)
          let x3 = shoup(p[th], w, wq, q)
          var v0 = u0 &+ x2  // [0, c + 2q)
          var v2 = u0 &- x2 &+ twoQ
          let v1 = u1 &+ x3
          let v3 = u1 &- x3 &+ twoQ
          if narrow {
            v0 = reduce(v0, twoQ)
            v2 = reduce(v2, twoQ)
          }
          let y1 = shoup(v1, w0, wq0, q)
          let y3 = shoup(v3, w1, wq1, q)
          p[0] = v0 &+ y1  // wide: [0, 8q); narrow: [0, 4q)
          p[h] = v0 &- y1 &+ twoQ
          p[t] = v2 &+ y3
          p[th] = v2 &- y3 &+ twoQ
          p += 1
        }
      }
      m &<<= 2
      t &>>= 2
      remaining &-= 2
    }
    if remaining == 2 {
      // t = 2 (group i) and t = 1 (groups 2i, 2i + 1) on four consecutive
      // values; outputs reduced to [0, q).
      for i in 0..<m {
        let w = tw[m &+ i]
        let wq = twq[m &+ i]
        let w0 = tw[2 &* (m &+ i)]
        let wq0 = twq[2 &* (m &+ i)]
        let w1 = tw[2 &* (m &+ i) &+ 1]
        let wq1 = twq[2 &* (m &+ i) &+ 1]
        let p = a + 4 &* i
        let u0 = reduce(p[0], c)
        let u1 = reduce(p[1], c)
        let x2 = shoup(p[2], w, wq, q)
        let x3 = shoup(p[3], w, wq, q)
        let v0 = reduce(reduce(u0 &+ x2, c), twoQ)  // [0, 2q)
        let v2 = reduce(reduce(u0 &- x2 &+ twoQ, c), twoQ)
        let y1 = shoup(u1 &+ x3, w0, wq0, q)
        let y3 = shoup(u1 &- x3 &+ twoQ, w1, wq1, q)
        p[0] = finalReduce(v0 &+ y1, q)
        p[1] = finalReduce(v0 &- y1 &+ twoQ, q)
        p[2] = finalReduce(v2 &+ y3, q)
        p[3] = finalReduce(v2 &- y3 &+ twoQ, q)
      }
    } else {
      // t = 1 alone (an odd number of stages): pairs (a[2i], a[2i+1]).
      for i in 0..<m {
        let p = a + 2 &* i
        let u = reduce(reduce(p[0], c), twoQ)  // [0, 2q)
        let x = shoup(p[1], tw[m &+ i], twq[m &+ i], q)
        p[0] = finalReduce(u &+ x, q)
        p[1] = finalReduce(u &- x &+ twoQ, q)
      }
    }
  }

  /// [0, 4q) → [0, q).
  @inline(__always)
  static func finalReduce(_ x: UInt64, _ q: UInt64) -> UInt64 {
    reduce(reduce(x, q &<< 1), q)
  }

  /// The inverse kernel (Gentleman–Sande, bit-reversed in, natural order out).
  /// - Parameters:
  ///   - a: N values in [0, 2q); on return in [0, q).
  ///   - tw: as for the forward kernel, with inverse twiddles (word 1 has N⁻¹
  ///     folded in, for the last stage).
  ///   - narrow: as for the forward kernel.
  @inline(__always)
  static func inverseScalar(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ n: Int, _ q: UInt64,
    _ inverseDegree: ShoupConstant, narrow: Bool
  ) {
    let twoQ = q &<< 1
    // Sums of the pass's first stage are left unreduced when wide (below 4q,
    // so their sums and differences stay below 8q).
    let c = narrow ? twoQ : q &<< 2
    let twq = tw + n
    var t = 1  // butterfly distance
    var h = n &>> 1  // groups in the stage
    if h >= 4 {
      // t = 1 (groups 2i, 2i + 1) and t = 2 (group i) on four consecutive
      // values: the first pass, flat (no per-group setup).
      let g = h &>> 1
      for i in 0..<g {
        let p = a + 4 &* i
        let v0 = p[0]
        let v1 = p[1]
        let v2 = p[2]
        let v3 = p[3]
        var s0 = v0 &+ v1  // [0, 4q)
        var s2 = v2 &+ v3
        if narrow {
          s0 = reduce(s0, twoQ)  // [0, 2q)
          s2 = reduce(s2, twoQ)
        }
        let d0 = shoup(v0 &- v1 &+ twoQ, tw[h &+ 2 &* i], twq[h &+ 2 &* i], q)  // [0, 2q)
        let d2 = shoup(v2 &- v3 &+ twoQ, tw[h &+ 2 &* i &+ 1], twq[h &+ 2 &* i &+ 1], q)
        let w = tw[g &+ i]
        let wq = twq[g &+ i]
        p[0] = reduce(reduce(s0 &+ s2, c), twoQ)  // [0, 2c) → [0, 2q)
        p[2] = shoup(s0 &- s2 &+ c, w, wq, q)
        p[1] = reduce(d0 &+ d2, twoQ)
        p[3] = shoup(d0 &- d2 &+ twoQ, w, wq, q)
      }
      t = 4
      h &>>= 2
    }
    // Stages t (groups 2i, 2i + 1) and 2t (group i) while more than two
    // remain. Values in [0, 2q) between passes.
    while h >= 4 {
      let g = h &>> 1
      for i in 0..<g {
        let wl = tw[h &+ 2 &* i]
        let wql = twq[h &+ 2 &* i]
        let wr = tw[h &+ 2 &* i &+ 1]
        let wqr = twq[h &+ 2 &* i &+ 1]
        let w = tw[g &+ i]
        let wq = twq[g &+ i]
        var p = a + 4 &* i &* t
        let t2 = 2 &* t
        let t3 = 3 &* t
        let end = p + t
        while p < end {
          let v0 = p[0]
          let v1 = p[t]
          let v2 = p[t2]
          let v3 = p[t3]
          var s0 = v0 &+ v1  // [0, 4q)
          var s2 = v2 &+ v3
          if narrow {
            s0 = reduce(s0, twoQ)  // [0, 2q)
            s2 = reduce(s2, twoQ)
          }
          let d0 = shoup(v0 &- v1 &+ twoQ, wl, wql, q)  // [0, 2q)
          let d2 = shoup(v2 &- v3 &+ twoQ, wr, wqr, q)
          p[0] = reduce(reduce(s0 &+ s2, c), twoQ)  // [0, 2c) → [0, 2q)
          p[t2] = shoup(s0 &- s2 &+ c, w, wq, q)
          p[t] = reduce(d0 &+ d2, twoQ)
          p[t3] = shoup(d0 &- d2 &+ twoQ, w, wq, q)
          p += 1
        }
      }
      t &<<= 2
      h &>>= 2
    }
    let w = tw[1]
    let wq = twq[1]
    let nInverse = inverseDegree.value
    let nInverseQ = inverseDegree.quotient
    if h == 2 {
      // The last two stages (groups 2, 3 at t = N/4; then the last, with
      // ψ^-bitrev(1)·N⁻¹ and N⁻¹ alone) in one pass; outputs in [0, q).
      let wl = tw[2]
      let wql = twq[2]
      let wr = tw[3]
      let wqr = twq[3]
      let t2 = 2 &* t
      let t3 = 3 &* t
      for j in 0..<t {
        let v0 = a[j]
        let v1 = a[j &+ t]
        let v2 = a[j &+ t2]
        let v3 = a[j &+ t3]
        var s0 = v0 &+ v1  // [0, 4q)
        var s2 = v2 &+ v3
        if narrow {
          s0 = reduce(s0, twoQ)
          s2 = reduce(s2, twoQ)
        }
        let d0 = shoup(v0 &- v1 &+ twoQ, wl, wql, q)  // [0, 2q)
        let d2 = shoup(v2 &- v3 &+ twoQ, wr, wqr, q)
        a[j] = reduce(shoup(s0 &+ s2, nInverse, nInverseQ, q), q)  // [0, 2q) → [0, q)
        a[j &+ t2] = reduce(shoup(s0 &- s2 &+ c, w, wq, q), q)
        a[j &+ t] = reduce(shoup(d0 &+ d2, nInverse, nInverseQ, q), q)
        a[j &+ t3] = reduce(shoup(d0 &- d2 &+ twoQ, w, wq, q), q)
      }
      return
    }
    // The last stage alone (an odd number of stages).
    let y = a + t
    for j in 0..<t {
      let u = a[j]
      let v = y[j]
      a[j] = reduce(shoup(u &+ v, nInverse, nInverseQ, q), q)  // [0, 2q) → [0, q)
      y[j] = reduce(shoup(u &- v &+ twoQ, w, wq, q), q)
    }
  }
}
