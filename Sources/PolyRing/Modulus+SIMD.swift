// Pointwise products eight lanes at a time, for rings whose NTT runs the SIMD
// kernel (NTTKernel.simd8): the single-word Barrett reduction of
// Modulus.reduceOddProduct on SIMD8<UInt64>, with the lane arithmetic of
// NTTTables+SIMD.swift. Runs only where the SIMD kernel was measured faster
// (compiled for AVX-512); on baseline x86-64 it would be about 3× slower.

extension Modulus {
  /// a[j] = a[j]·b[j] mod q for j < count, eight at a time; `a` and `b` may
  /// be the same buffer.
  /// - Parameters: residues in [0, q); `count` a multiple of 8; q not a power of two.
  /// - Complexity: four 32×32-bit products for a·b, three for the quotient
  ///   estimate, one 64-bit product; no allocation.
  func multiplySIMD8(_ a: UnsafeMutablePointer<UInt64>, _ b: UnsafePointer<UInt64>, count: Int) {
    assert(count % 8 == 0 && !isPowerOfTwo)
    if bitWidth <= NTTTables.maximumWideBitWidth {
      multiplySIMD8(a, b, count: count, wide: true)
    } else {
      multiplySIMD8(a, b, count: count, wide: false)
    }
  }

  /// PolyContext.multiplyTensor on one limb, eight lanes at a time: a0 ←
  /// a0·b0, a1 ← a1·b1, cross ← (a0 + a1)·(b0 + b1) − a0·b0 − a1·b1 mod q.
  /// - Parameters: residues in [0, q); `count` a multiple of 8; q not a power of two.
  func multiplyTensorSIMD8(
    _ a0: UnsafeMutablePointer<UInt64>, _ a1: UnsafeMutablePointer<UInt64>,
    _ b0: UnsafePointer<UInt64>, _ b1: UnsafePointer<UInt64>, _ cross: UnsafeMutablePointer<UInt64>,
    count: Int
  ) {
    assert(count % 8 == 0 && !isPowerOfTwo)
    if bitWidth <= NTTTables.maximumWideBitWidth {
      multiplyTensorSIMD8(a0, a1, b0, b1, cross, count: count, wide: true)
    } else {
      multiplyTensorSIMD8(a0, a1, b0, b1, cross, count: count, wide: false)
    }
  }

  @inline(__always)
  private func multiplyTensorSIMD8(
    _ a0: UnsafeMutablePointer<UInt64>, _ a1: UnsafeMutablePointer<UInt64>,
    _ b0: UnsafePointer<UInt64>, _ b1: UnsafePointer<UInt64>, _ cross: UnsafeMutablePointer<UInt64>,
    count: Int, wide: Bool
  ) {
    let lanes = LaneProduct(self)
    let q = lanes.q
    @inline(__always) func product(_ x: Lanes, _ y: Lanes) -> Lanes { lanes.product(x, y, wide: wide) }
    var j = 0
    while j < count {
      let x0 = Lanes(loading: a0 + j)
      let x1 = Lanes(loading: a1 + j)
      let y0 = Lanes(loading: b0 + j)
      let y1 = Lanes(loading: b1 + j)
      let r0 = product(x0, y0)
      let r2 = product(x1, y1)
      let r1 = product((x0 &+ x1).reduced(by: q), (y0 &+ y1).reduced(by: q))
      r0.store(to: a0 + j)
      r2.store(to: a1 + j)
      // r1 − r0 − r2 mod q: each difference plus q where it borrowed (the
      // mask is all ones there: minus q times it adds q, as in `reduced(by:)`).
      var c = r1 &- r0
      c = c &- q &* unsafeBitCast(c .> r1, to: Lanes.self)
      let d = c &- r2
      (d &- q &* unsafeBitCast(d .> c, to: Lanes.self)).store(to: cross + j)
      j &+= 8
    }
  }

  /// The kernel, specialised on `wide` (see ``LaneProduct``).
  @inline(__always)
  private func multiplySIMD8(
    _ a: UnsafeMutablePointer<UInt64>, _ b: UnsafePointer<UInt64>, count: Int, wide: Bool
  ) {
    let lanes = LaneProduct(self)
    var j = 0
    while j < count {
      lanes.product(Lanes(loading: a + j), Lanes(loading: b + j), wide: wide).store(to: a + j)
      j &+= 8
    }
  }
}

/// x·y mod q on eight lanes for x, y in [0, q): the single-word Barrett
/// reduction of Modulus.reduceOddProduct, with its constants splatted once
/// per loop. With q < 2^61 (`wide`, a constant of each specialised kernel) the
/// quotient estimate uses the approximate high word (up to 4 below ⌊x/q⌋,
/// remainder in [0, 5q) < 2^64); otherwise the exact one (up to 2 below, [0, 3q)).
private struct LaneProduct {
  let q: Lanes
  let left: Lanes
  let right: Lanes
  let ratio: Lanes
  let ratioHigh: Lanes

  @inline(__always)
  init(_ modulus: Modulus) {
    let s = UInt64(modulus.bitWidth)
    q = Lanes(repeating: modulus.value)
    left = Lanes(repeating: 65 &- s)
    right = Lanes(repeating: s &- 1)
    ratio = Lanes(repeating: modulus.productRatio)
    ratioHigh = Lanes(repeating: modulus.productRatio &>> 32)
  }

  @inline(__always)
  func product(_ x: Lanes, _ y: Lanes, wide: Bool) -> Lanes {
    let p = x.multipliedFullWidth(by: y)
    let x1 = (p.high &<< left) | (p.low &>> right)  // ⌊x / 2^(s−1)⌋
    var r: Lanes
    if wide {
      r = (p.low &- x1.multipliedHighApproximately(by: ratio, ratioHigh) &* q).reduced(by: q &<< 2)  // [0, 5q) → [0, 4q)
    } else {
      r = p.low &- x1.multipliedFullWidth(by: ratio).high &* q  // [0, 3q)
    }
    return r.reduced(by: q &<< 1).reduced(by: q)  // → [0, 2q) → [0, q)
  }
}
