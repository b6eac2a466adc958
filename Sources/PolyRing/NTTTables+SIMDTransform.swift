// The SIMD negacyclic NTT kernels, on the lane arithmetic of NTTTables+SIMD.swift.
//
// Forward (Cooley–Tukey, values in [0, 2c) between stages):
// - stages with butterfly distance t ≥ 16: one twiddle per group, broadcast
//   to the eight lanes by broadcast loads (no shuffle);
// - the last four stages t = 8, 4, 2, 1 on 16 values held in two registers
//   (one load and one store per value for four stages): t = 8 pairs the two
//   vectors as loaded, then one shuffle per vector regroups them for each of
//   t = 4, 2, 1, whose twiddles are precomputed in that lane order; the outputs
//   are reduced to [0, q) and shuffled back to bit-reversed order.
// The inverse (Gentleman–Sande, values in [0, c)) runs the same steps in
// reverse order and folds N⁻¹ into its last stage.
//
// Measured and left out: two stages per pass for t ≥ 16 (radix 4) was 3–7%
// slower than one (interleaved A/B, N = 4096 to 16384).

extension NTTTables {
  /// ``forward(_:)`` eight butterflies at a time. Needs N ≥ 16.
  @inline(never)
  func forwardSIMD8(_ a: UnsafeMutablePointer<UInt64>) {
    let narrow = isNarrow
    forwardTable.withUnsafeBufferPointer { table in
      laneForwardTable.withUnsafeBufferPointer { lanes in
        let tw = table.baseAddress.unsafelyUnwrapped
        let l = lanes.baseAddress.unsafelyUnwrapped
        if narrow {
          NTTTables.forwardSIMD8(a, tw, l, degree, LaneConstants(modulus.value, narrow: true))
        } else {
          NTTTables.forwardSIMD8(a, tw, l, degree, LaneConstants(modulus.value, narrow: false))
        }
      }
    }
  }

  /// The kernel of ``forwardSIMD8(_:)``, specialised for a wide or narrow q.
  /// - Parameters:
  ///   - a: N values in [0, 4q); on return, in [0, q), bit-reversed order.
  ///   - tw: twiddle k < N/8 at word k, its Shoup quotient at word N/8 + k.
  ///   - lanes: the twiddles of t = 4, 2, 1 in lane order, 48 words per 16 values.
  @inline(__always)
  static func forwardSIMD8(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>,
    _ lanes: UnsafePointer<UInt64>, _ n: Int, _ k: LaneConstants
  ) {
    let twq = tw + n &>> 3
    var m = 1  // groups in the stage
    var t = n &>> 1  // butterfly distance
    while t >= 16 {
      for i in 0..<m {
        let twiddle = LaneTwiddle(tw, twq, m &+ i)
        let p = a + 2 &* i &* t
        var j = 0
        while j < t {
          var x = Lanes(loading: p + j)
          var y = Lanes(loading: p + (j &+ t))
          k.forward(&x, &y, twiddle)
          x.store(to: p + j)
          y.store(to: p + (j &+ t))
          j &+= 8
        }
      }
      m &<<= 1
      t &>>= 1
    }
    // t = 8, 4, 2, 1 in registers, four blocks of 16 values at a time (m = N/16).
    var base = 0
    var l = lanes
    while base &+ 64 <= n {
      var blocks = LaneBlocks(a + base)
      let block = m &+ base &>> 4
      blocks.forEach { b, j in k.forward(&b.x, &b.y, LaneTwiddle(tw, twq, block &+ j)) }
      blocks.forEach { b, _ in b.swapHalves() }
      blocks.forEach { b, j in k.forward(&b.x, &b.y, LaneTwiddle(lanes: l + 48 &* j)) }
      blocks.forEach { b, _ in b.fourToTwo() }
      blocks.forEach { b, j in k.forward(&b.x, &b.y, LaneTwiddle(lanes: l + (48 &* j &+ 16))) }
      blocks.forEach { b, _ in b.interleavePairs() }
      blocks.forEach { b, j in k.forward(&b.x, &b.y, LaneTwiddle(lanes: l + (48 &* j &+ 32))) }
      blocks.forEach { b, j in forwardFinish(&b, k, a + (base &+ 16 &* j)) }
      base &+= 64
      l += 192
    }
    while base < n {  // N = 16 or 32
      var b = LaneBlock(a + base)
      k.forward(&b.x, &b.y, LaneTwiddle(tw, twq, m &+ base &>> 4))
      b.swapHalves()
      k.forward(&b.x, &b.y, LaneTwiddle(lanes: l))
      b.fourToTwo()
      k.forward(&b.x, &b.y, LaneTwiddle(lanes: l + 16))
      b.interleavePairs()
      k.forward(&b.x, &b.y, LaneTwiddle(lanes: l + 32))
      forwardFinish(&b, k, a + base)
      base &+= 16
      l += 48
    }
  }

  /// Reduces a block in the t = 1 layout to [0, q) and stores it in natural order.
  @inline(__always)
  static func forwardFinish(_ b: inout LaneBlock, _ k: LaneConstants, _ p: UnsafeMutablePointer<UInt64>) {
    b.x = k.reduceFromTwoC(b.x)
    b.y = k.reduceFromTwoC(b.y)
    b.singlesToNatural()
    b.store(to: p)
  }

  /// ``inverse(_:)`` eight butterflies at a time. Needs N ≥ 16.
  @inline(never)
  func inverseSIMD8(_ a: UnsafeMutablePointer<UInt64>) {
    let narrow = isNarrow
    inverseTable.withUnsafeBufferPointer { table in
      laneInverseTable.withUnsafeBufferPointer { lanes in
        let tw = table.baseAddress.unsafelyUnwrapped
        let l = lanes.baseAddress.unsafelyUnwrapped
        if narrow {
          NTTTables.inverseSIMD8(
            a, tw, l, degree, inverseDegree, LaneConstants(modulus.value, narrow: true))
        } else {
          NTTTables.inverseSIMD8(
            a, tw, l, degree, inverseDegree, LaneConstants(modulus.value, narrow: false))
        }
      }
    }
  }

  /// The kernel of ``inverseSIMD8(_:)``, specialised for a wide or narrow q.
  /// - Parameters:
  ///   - a: N values in [0, 2q), bit-reversed; on return, in [0, q), natural order.
  ///   - tw, lanes: as for the forward kernel, with inverse twiddles (word 1
  ///     of `tw` has N⁻¹ folded in, for the last stage).
  @inline(__always)
  static func inverseSIMD8(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>,
    _ lanes: UnsafePointer<UInt64>, _ n: Int, _ inverseDegree: ShoupConstant, _ k: LaneConstants
  ) {
    let twq = tw + n &>> 3
    // t = 1, 2, 4, 8 in registers, four blocks of 16 values at a time; t = 8
    // (h = N/16 groups) only when it is not the last stage (N ≥ 32).
    let groups = n &>> 4
    var base = 0
    var l = lanes
    while base &+ 64 <= n {
      var blocks = LaneBlocks(a + base)
      blocks.forEach { b, _ in b.naturalToSingles() }
      blocks.forEach { b, j in k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l + 48 &* j)) }
      blocks.forEach { b, _ in b.interleavePairs() }
      blocks.forEach { b, j in k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l + (48 &* j &+ 16))) }
      blocks.forEach { b, _ in b.twoToFour() }
      blocks.forEach { b, j in k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l + (48 &* j &+ 32))) }
      blocks.forEach { b, _ in b.swapHalves() }
      let block = groups &+ base &>> 4
      blocks.forEach { b, j in k.inverse(&b.x, &b.y, LaneTwiddle(tw, twq, block &+ j)) }
      blocks.forEach { b, j in b.store(to: a + (base &+ 16 &* j)) }
      base &+= 64
      l += 192
    }
    while base < n {  // N = 16 or 32
      var b = LaneBlock(a + base)
      b.naturalToSingles()
      k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l))
      b.interleavePairs()
      k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l + 16))
      b.twoToFour()
      k.inverse(&b.x, &b.y, LaneTwiddle(lanes: l + 32))
      b.swapHalves()
      if n > 16 { k.inverse(&b.x, &b.y, LaneTwiddle(tw, twq, groups &+ base &>> 4)) }
      b.store(to: a + base)
      base &+= 16
      l += 48
    }
    if n == 16 {
      inverseLastStage(a, tw, twq, n, inverseDegree, k)
      return
    }
    // Stages t ≥ 16 down to h = 2 groups.
    var h = n &>> 5  // groups in the stage
    var t = 16
    while h >= 2 {
      for i in 0..<h {
        let twiddle = LaneTwiddle(tw, twq, h &+ i)
        let p = a + 2 &* i &* t
        var j = 0
        while j < t {
          var x = Lanes(loading: p + j)
          var y = Lanes(loading: p + (j &+ t))
          k.inverse(&x, &y, twiddle)
          x.store(to: p + j)
          y.store(to: p + (j &+ t))
          j &+= 8
        }
      }
      t &<<= 1
      h &>>= 1
    }
    inverseLastStage(a, tw, twq, n, inverseDegree, k)
  }

  /// The inverse's last stage (h = 1, t = N/2): twiddle ψ^-bitrev(1)·N⁻¹ and
  /// N⁻¹ alone; inputs in [0, c), outputs in [0, q).
  @inline(__always)
  static func inverseLastStage(
    _ a: UnsafeMutablePointer<UInt64>, _ tw: UnsafePointer<UInt64>, _ twq: UnsafePointer<UInt64>,
    _ n: Int, _ inverseDegree: ShoupConstant, _ k: LaneConstants
  ) {
    let twiddle = LaneTwiddle(tw, twq, 1)
    let scale = LaneTwiddle(
      Lanes(repeating: inverseDegree.value), Lanes(repeating: inverseDegree.quotient),
      Lanes(repeating: inverseDegree.quotient &>> 32))
    let t = n &>> 1
    let y = a + t
    var j = 0
    while j < t {
      let u = Lanes(loading: a + j)
      let v = Lanes(loading: y + j)
      let s = u &+ v  // [0, 2c)
      let d = u &- v &+ k.c  // (0, 2c)
      let sn = s.multipliedLazily(by: scale.w, scale.wq, scale.wqHigh, modulus: k.q)  // [0, 4q)
      let dn = d.multipliedLazily(by: twiddle.w, twiddle.wq, twiddle.wqHigh, modulus: k.q)
      k.reduceFromFourQ(sn).store(to: a + j)
      k.reduceFromFourQ(dn).store(to: y + j)
      j &+= 8
    }
  }
}
