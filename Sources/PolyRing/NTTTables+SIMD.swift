// The SIMD negacyclic NTT kernels: the same lazy butterflies and ranges as the
// scalar ones (NTTTables+Transform.swift), eight butterflies per step on
// SIMD8<UInt64>.
//
// Stages with t ≥ 8 share one twiddle per eight lanes (broadcast); the three
// stages with t = 4, 2, 1 regroup two loaded vectors so that each lane holds
// one butterfly, with its own twiddle. The high half of a 64×64-bit product has
// no SIMD instruction, so `multiplyHigh` builds it from four 32×32 → 64-bit
// products (vpmuludq under AVX-512). With AVX-512 (`-target-cpu native` on a
// machine that has it) these kernels are about twice as fast as the scalar
// ones; compiled for baseline x86-64 (SSE2) they are slower, which is why
// ``NTTKernel/preferred`` measures both once per process.

typealias Lanes = SIMD8<UInt64>

/// floor(a·b / 2^64) per lane, b given as its 32-bit halves.
@inline(__always)
func multiplyHigh(_ a: Lanes, low bLow: Lanes, high bHigh: Lanes) -> Lanes {
  let mask = Lanes(repeating: 0xFFFF_FFFF)
  let aLow = a & mask
  let aHigh = a &>> 32
  let ll = aLow &* bLow
  let lh = aLow &* bHigh
  let hl = aHigh &* bLow
  let hh = aHigh &* bHigh
  let middle = (ll &>> 32) &+ (lh & mask) &+ (hl & mask)
  return hh &+ (lh &>> 32) &+ (hl &>> 32) &+ (middle &>> 32)
}

/// v·w mod q per lane, lazily in [0, 2q) (Shoup), w with quotient wq.
@inline(__always)
func multiplyLazy(_ v: Lanes, _ w: Lanes, _ wq: Lanes, _ q: Lanes) -> Lanes {
  let mask = Lanes(repeating: 0xFFFF_FFFF)
  return v &* w &- multiplyHigh(v, low: wq & mask, high: wq &>> 32) &* q
}

/// Cooley–Tukey: x, y in [0, 4q) → x + wy, x − wy in [0, 4q).
@inline(__always)
func forwardButterfly(
  _ x: inout Lanes, _ y: inout Lanes, _ w: Lanes, _ wq: Lanes, _ q: Lanes, _ twoQ: Lanes
) {
  let u = pointwiseMin(x, x &- twoQ)  // [0, 2q)
  let product = multiplyLazy(y, w, wq, q)  // [0, 2q)
  x = u &+ product
  y = u &- product &+ twoQ
}

/// Gentleman–Sande: x, y in [0, 2q) → x + y, (x − y)·w in [0, 2q).
@inline(__always)
func inverseButterfly(
  _ x: inout Lanes, _ y: inout Lanes, _ w: Lanes, _ wq: Lanes, _ q: Lanes, _ twoQ: Lanes
) {
  let s = x &+ y
  let d = x &- y &+ twoQ
  x = pointwiseMin(s, s &- twoQ)
  y = multiplyLazy(d, w, wq, q)
}

@inline(__always) func load(_ p: UnsafeMutablePointer<UInt64>) -> Lanes {
  UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always) func store(_ v: Lanes, _ p: UnsafeMutablePointer<UInt64>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// Regroups A = [x0 x1 y0 y1 x2 x3 y2 y3], B likewise, into the x and y lanes.
@inline(__always) func splitPairs(_ a: Lanes, _ b: Lanes) -> (Lanes, Lanes) {
  (
    Lanes(a[0], a[1], a[4], a[5], b[0], b[1], b[4], b[5]),
    Lanes(a[2], a[3], a[6], a[7], b[2], b[3], b[6], b[7])
  )
}

@inline(__always) func joinPairs(_ x: Lanes, _ y: Lanes) -> (Lanes, Lanes) {
  (
    Lanes(x[0], x[1], y[0], y[1], x[2], x[3], y[2], y[3]),
    Lanes(x[4], x[5], y[4], y[5], x[6], x[7], y[6], y[7])
  )
}

/// Regroups A = [x0 y0 x1 y1 …], B likewise, into the x and y lanes.
@inline(__always) func splitSingles(_ a: Lanes, _ b: Lanes) -> (Lanes, Lanes) {
  (
    Lanes(a[0], a[2], a[4], a[6], b[0], b[2], b[4], b[6]),
    Lanes(a[1], a[3], a[5], a[7], b[1], b[3], b[5], b[7])
  )
}

@inline(__always) func joinSingles(_ x: Lanes, _ y: Lanes) -> (Lanes, Lanes) {
  (
    Lanes(x[0], y[0], x[1], y[1], x[2], y[2], x[3], y[3]),
    Lanes(x[4], y[4], x[5], y[5], x[6], y[6], x[7], y[7])
  )
}

/// [w_i ×2, w_{i+1} ×2, w_{i+2} ×2, w_{i+3} ×2].
@inline(__always) func doubled(_ p: UnsafePointer<UInt64>) -> Lanes {
  Lanes(p[0], p[0], p[1], p[1], p[2], p[2], p[3], p[3])
}

/// [w_i ×4, w_{i+1} ×4].
@inline(__always) func quadrupled(_ p: UnsafePointer<UInt64>) -> Lanes {
  Lanes(lowHalf: SIMD4(repeating: p[0]), highHalf: SIMD4(repeating: p[1]))
}

extension NTTTables {
  /// ``forward(_:)`` eight butterflies at a time. Needs N ≥ 16.
  @inline(never)
  func forwardSIMD8(_ a: UnsafeMutablePointer<UInt64>) {
    let n = degree
    let q = Lanes(repeating: modulus.value)
    let twoQ = q &<< 1
    forwardTable.withUnsafeBufferPointer { table in
      let tw = table.baseAddress.unsafelyUnwrapped
      let twq = tw + n
      var m = 1
      var t = n &>> 1
      while t >= 8 {
        for i in 0..<m {
          let w = Lanes(repeating: tw[m &+ i])
          let wq = Lanes(repeating: twq[m &+ i])
          let x = a + 2 &* i &* t
          let y = x + t
          var j = 0
          while j < t {
            var u = load(x + j)
            var v = load(y + j)
            forwardButterfly(&u, &v, w, wq, q, twoQ)
            store(u, x + j)
            store(v, y + j)
            j &+= 8
          }
        }
        m &<<= 1
        t &>>= 1
      }
      // t = 4: blocks [x0..x3 y0..y3], one twiddle per block.
      var base = 0
      while base < n {
        let p = a + base
        let blockA = load(p)
        let blockB = load(p + 8)
        var x = Lanes(lowHalf: blockA.lowHalf, highHalf: blockB.lowHalf)
        var y = Lanes(lowHalf: blockA.highHalf, highHalf: blockB.highHalf)
        let k = m &+ base &>> 3
        forwardButterfly(&x, &y, quadrupled(tw + k), quadrupled(twq + k), q, twoQ)
        store(Lanes(lowHalf: x.lowHalf, highHalf: y.lowHalf), p)
        store(Lanes(lowHalf: x.highHalf, highHalf: y.highHalf), p + 8)
        base &+= 16
      }
      m &<<= 1
      // t = 2: blocks [x0 x1 y0 y1].
      base = 0
      while base < n {
        let p = a + base
        var (x, y) = splitPairs(load(p), load(p + 8))
        let k = m &+ base &>> 2
        forwardButterfly(&x, &y, doubled(tw + k), doubled(twq + k), q, twoQ)
        let (blockA, blockB) = joinPairs(x, y)
        store(blockA, p)
        store(blockB, p + 8)
        base &+= 16
      }
      m &<<= 1
      // t = 1: pairs [x y], then the outputs reduced from [0, 4q) to [0, q).
      base = 0
      while base < n {
        let p = a + base
        var (x, y) = splitSingles(load(p), load(p + 8))
        let k = m &+ base &>> 1
        let w = UnsafeRawPointer(tw + k).loadUnaligned(as: Lanes.self)
        let wq = UnsafeRawPointer(twq + k).loadUnaligned(as: Lanes.self)
        forwardButterfly(&x, &y, w, wq, q, twoQ)
        x = pointwiseMin(x, x &- twoQ)
        x = pointwiseMin(x, x &- q)
        y = pointwiseMin(y, y &- twoQ)
        y = pointwiseMin(y, y &- q)
        let (blockA, blockB) = joinSingles(x, y)
        store(blockA, p)
        store(blockB, p + 8)
        base &+= 16
      }
    }
  }

  /// ``inverse(_:)`` eight butterflies at a time. Needs N ≥ 16.
  @inline(never)
  func inverseSIMD8(_ a: UnsafeMutablePointer<UInt64>) {
    let n = degree
    let q = Lanes(repeating: modulus.value)
    let twoQ = q &<< 1
    inverseTable.withUnsafeBufferPointer { table in
      let tw = table.baseAddress.unsafelyUnwrapped
      let twq = tw + n
      // t = 1 (h = N/2): pairs [x y], eight twiddles per step.
      var h = n &>> 1
      var base = 0
      while base < n {
        let p = a + base
        var (x, y) = splitSingles(load(p), load(p + 8))
        let k = h &+ base &>> 1
        let w = UnsafeRawPointer(tw + k).loadUnaligned(as: Lanes.self)
        let wq = UnsafeRawPointer(twq + k).loadUnaligned(as: Lanes.self)
        inverseButterfly(&x, &y, w, wq, q, twoQ)
        let (blockA, blockB) = joinSingles(x, y)
        store(blockA, p)
        store(blockB, p + 8)
        base &+= 16
      }
      h &>>= 1
      // t = 2.
      base = 0
      while base < n {
        let p = a + base
        var (x, y) = splitPairs(load(p), load(p + 8))
        let k = h &+ base &>> 2
        inverseButterfly(&x, &y, doubled(tw + k), doubled(twq + k), q, twoQ)
        let (blockA, blockB) = joinPairs(x, y)
        store(blockA, p)
        store(blockB, p + 8)
        base &+= 16
      }
      h &>>= 1
      // t = 4.
      base = 0
      while base < n {
        let p = a + base
        let blockA = load(p)
        let blockB = load(p + 8)
        var x = Lanes(lowHalf: blockA.lowHalf, highHalf: blockB.lowHalf)
        var y = Lanes(lowHalf: blockA.highHalf, highHalf: blockB.highHalf)
        let k = h &+ base &>> 3
        inverseButterfly(&x, &y, quadrupled(tw + k), quadrupled(twq + k), q, twoQ)
        store(Lanes(lowHalf: x.lowHalf, highHalf: y.lowHalf), p)
        store(Lanes(lowHalf: x.highHalf, highHalf: y.highHalf), p + 8)
        base &+= 16
      }
      h &>>= 1
      // t ≥ 8, down to h = 2.
      var t = 8
      while h > 1 {
        for i in 0..<h {
          let w = Lanes(repeating: tw[h &+ i])
          let wq = Lanes(repeating: twq[h &+ i])
          let x = a + 2 &* i &* t
          let y = x + t
          var j = 0
          while j < t {
            var u = load(x + j)
            var v = load(y + j)
            inverseButterfly(&u, &v, w, wq, q, twoQ)
            store(u, x + j)
            store(v, y + j)
            j &+= 8
          }
        }
        t &<<= 1
        h &>>= 1
      }
      // Last stage (h = 1, t = N/2): ψ^-bitrev(1)·N⁻¹ and N⁻¹, outputs in [0, q).
      let w = Lanes(repeating: tw[1])
      let wq = Lanes(repeating: twq[1])
      let nInverse = Lanes(repeating: inverseDegree.value)
      let nInverseQ = Lanes(repeating: inverseDegree.quotient)
      let y = a + t
      var j = 0
      while j < t {
        let u = load(a + j)
        let v = load(y + j)
        let s = u &+ v  // [0, 4q)
        let d = u &- v &+ twoQ  // (0, 4q)
        let sn = multiplyLazy(s, nInverse, nInverseQ, q)  // [0, 2q)
        let dn = multiplyLazy(d, w, wq, q)
        store(pointwiseMin(sn, sn &- q), a + j)
        store(pointwiseMin(dn, dn &- q), y + j)
        j &+= 8
      }
    }
  }
}
