// Lane arithmetic of the SIMD NTT kernels (NTTTables+SIMDTransform.swift):
// Harvey's lazy butterflies on SIMD8<UInt64>, eight per step, written for what
// LLVM turns into AVX-512 when the code is compiled for a CPU that has it
// (`-target-cpu native`); NTTKernel measures whether it pays.
//
// - The Shoup quotient ⌊v·w'/2^64⌋ has no SIMD instruction. It is built from
//   three 32×32 → 64-bit products (vpmuludq), dropping the low×low product and
//   the carries into the high word: at most 2 below the exact high word, so the
//   lazy product v·w mod q lands in [0, 4q) instead of [0, 2q). The exact high
//   word would take a fourth product and five more adds, shifts and masks.
// - Wider lazy ranges pay for that: with q < 2^61, 8q fits a word, so the
//   forward transform keeps [0, 8q) and the inverse [0, 4q) between stages, one
//   conditional subtraction per butterfly as in Harvey's. A 62-bit ("narrow") q
//   reduces each product to [0, 2q) and keeps Harvey's [0, 4q) and [0, 2q).
// - Conditional subtractions are a vector compare and a masked subtract
//   (`reduced(by:)`), not `pointwiseMin`: the standard library writes that as
//   a loop over lanes, which LLVM re-vectorises in 128-bit pieces and scalar
//   code around the register shuffles of the last stages.

typealias Lanes = SIMD8<UInt64>

extension SIMD8 where Scalar == UInt64 {
  /// Eight words from `p` (no alignment needed).
  @inline(__always) init(loading p: UnsafePointer<UInt64>) {
    self = UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
  }

  @inline(__always) init(loading p: UnsafeMutablePointer<UInt64>) {
    self = UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
  }

  /// Writes the eight words to `p`.
  @inline(__always) func store(to p: UnsafeMutablePointer<UInt64>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: Lanes.self)
  }

  /// self − c where self ≥ c, else self: for self in [0, 2c), the result is
  /// in [0, c). A compare into a mask register and a masked subtract (see the
  /// header: not `pointwiseMin`).
  @inline(__always) func reduced(by c: Lanes) -> Lanes {
    let d = self &- c
    let borrow = unsafeBitCast(d .> self, to: Lanes.self)  // all ones where self < c
    return d &- c &* borrow  // LLVM: vpcmpuq + masked vpsubq, no multiply
  }

  /// ⌊self·b / 2^64⌋ − e per lane, e in {0, 1, 2}: three 32×32 → 64-bit
  /// products (hi·hi, lo·hi, hi·lo); lo·lo and the carries are dropped.
  /// Only the low 32 bits of each lane of `b` and of `bHigh` (= b >> 32) are read.
  @inline(__always) func multipliedHighApproximately(by b: Lanes, _ bHigh: Lanes) -> Lanes {
    let mask = Lanes(repeating: 0xFFFF_FFFF)
    let aHigh = self &>> 32
    let lh = (self & mask) &* (bHigh & mask)
    let hl = aHigh &* (b & mask)
    let hh = aHigh &* (bHigh & mask)
    return hh &+ (lh &>> 32) &+ (hl &>> 32)
  }

  /// The full 128-bit product per lane, from four 32×32 → 64-bit products.
  @inline(__always) func multipliedFullWidth(by b: Lanes) -> (high: Lanes, low: Lanes) {
    let mask = Lanes(repeating: 0xFFFF_FFFF)
    let aHigh = self &>> 32
    let bHigh = b &>> 32
    let ll = (self & mask) &* (b & mask)
    let lh = (self & mask) &* bHigh
    let hl = aHigh &* (b & mask)
    let hh = aHigh &* bHigh
    let t = hl &+ (ll &>> 32)  // < 2^64
    let u = lh &+ (t & mask)  // < 2^64
    return (hh &+ (t &>> 32) &+ (u &>> 32), (u &<< 32) | (ll & mask))
  }

  /// self·w mod q per lane, lazily: in [0, 4q) for any word. Shoup's estimate
  /// ⌊v·w'/2^64⌋ (w' = ⌊w·2^64/q⌋) is at most 1 below ⌊v·w/q⌋, the approximate
  /// high word at most 2 more; the result is exact mod 2^64 since 4q < 2^64.
  @inline(__always) func multipliedLazily(
    by w: Lanes, _ wq: Lanes, _ wqHigh: Lanes, modulus q: Lanes
  ) -> Lanes {
    self &* w &- multipliedHighApproximately(by: wq, wqHigh) &* q
  }
}

/// A twiddle broadcast to every lane with its Shoup quotient and the
/// quotient's high half (only the low 32 bits of each lane are read).
struct LaneTwiddle {
  let w: Lanes
  let wq: Lanes
  let wqHigh: Lanes

  /// Twiddle k of a table of K values then K quotients (`quotients` = table + K),
  /// by three broadcast loads (load ports only; no shuffle).
  @inline(__always) init(_ values: UnsafePointer<UInt64>, _ quotients: UnsafePointer<UInt64>, _ k: Int) {
    w = Lanes(repeating: values[k])
    wq = Lanes(repeating: quotients[k])
    #if _endian(little)
      let high = UnsafeRawPointer(quotients + k).load(fromByteOffset: 4, as: UInt32.self)
    #else
      let high = UnsafeRawPointer(quotients + k).load(as: UInt32.self)
    #endif
    wqHigh = unsafeBitCast(SIMD16<UInt32>(repeating: high), to: Lanes.self)
  }

  /// Eight twiddles in lane order at `p`, their quotients at `p + 8`.
  @inline(__always) init(lanes p: UnsafePointer<UInt64>) {
    w = Lanes(loading: p)
    wq = Lanes(loading: p + 8)
    wqHigh = wq &>> 32
  }

  @inline(__always) init(_ w: Lanes, _ wq: Lanes, _ wqHigh: Lanes) {
    self.w = w
    self.wq = wq
    self.wqHigh = wqHigh
  }
}

/// The constants of one transform: q, 2q, and the lazy bound c: 4q, or 2q for
/// a narrow (62-bit) q. `narrow` is a constant in each specialised kernel.
struct LaneConstants {
  let q: Lanes
  let twoQ: Lanes
  let c: Lanes
  let narrow: Bool

  @inline(__always) init(_ modulus: UInt64, narrow: Bool) {
    q = Lanes(repeating: modulus)
    twoQ = q &<< 1
    c = narrow ? twoQ : q &<< 2
    self.narrow = narrow
  }

  /// v·w mod q lazily, in [0, c).
  @inline(__always) func product(_ v: Lanes, _ t: LaneTwiddle) -> Lanes {
    let p = v.multipliedLazily(by: t.w, t.wq, t.wqHigh, modulus: q)  // [0, 4q)
    return narrow ? p.reduced(by: twoQ) : p
  }

  /// Cooley–Tukey: x, y in [0, 2c) → x + w·y, x − w·y in [0, 2c).
  @inline(__always) func forward(_ x: inout Lanes, _ y: inout Lanes, _ t: LaneTwiddle) {
    let u = x.reduced(by: c)  // [0, c)
    let p = product(y, t)  // [0, c)
    x = u &+ p
    y = u &- p &+ c
  }

  /// Gentleman–Sande: x, y in [0, c) → x + y, (x − y)·w in [0, c).
  @inline(__always) func inverse(_ x: inout Lanes, _ y: inout Lanes, _ t: LaneTwiddle) {
    let s = x &+ y  // [0, 2c)
    let d = x &- y &+ c  // (0, 2c)
    x = s.reduced(by: c)
    y = product(d, t)
  }

  /// [0, 2c) → [0, q).
  @inline(__always) func reduceFromTwoC(_ x: Lanes) -> Lanes {
    let r = narrow ? x : x.reduced(by: c)  // [0, 4q)
    return reduceFromFourQ(r)
  }

  /// [0, 4q) → [0, q).
  @inline(__always) func reduceFromFourQ(_ x: Lanes) -> Lanes {
    x.reduced(by: twoQ).reduced(by: q)
  }
}

// The register layouts of the stages t = 4, 2, 1 on 16 values A = p[0..<8],
// B = p[8..<16] held in two vectors x, y (lane i of x pairs with lane i of y).
// Each regrouping is one shuffle per vector; the lane twiddles
// (``NTTTables/laneTwiddles(_:degree:forward:)``) follow these layouts.

/// The 16 values at `p` in two registers.
struct LaneBlock {
  var x: Lanes
  var y: Lanes

  /// t = 8 layout: x = A, y = B.
  @inline(__always) init(_ p: UnsafeMutablePointer<UInt64>) {
    x = Lanes(loading: p)
    y = Lanes(loading: p + 8)
  }

  @inline(__always) func store(to p: UnsafeMutablePointer<UInt64>) {
    x.store(to: p)
    y.store(to: p + 8)
  }

  /// t = 8 → t = 4: x = [A0..A3 B0..B3], y = [A4..A7 B4..B7]; and back.
  @inline(__always) mutating func swapHalves() {
    (x, y) = (Lanes(lowHalf: x.lowHalf, highHalf: y.lowHalf), Lanes(lowHalf: x.highHalf, highHalf: y.highHalf))
  }

  /// t = 4 → t = 2: x = [A0 A1 B0 B1 A4 A5 B4 B5], y = [A2 A3 B2 B3 A6 A7 B6 B7].
  @inline(__always) mutating func fourToTwo() {
    (x, y) = (
      Lanes(x[0], x[1], x[4], x[5], y[0], y[1], y[4], y[5]),
      Lanes(x[2], x[3], x[6], x[7], y[2], y[3], y[6], y[7])
    )
  }

  /// t = 2 → t = 4, the inverse of ``fourToTwo()``.
  @inline(__always) mutating func twoToFour() {
    (x, y) = (
      Lanes(x[0], x[1], y[0], y[1], x[2], x[3], y[2], y[3]),
      Lanes(x[4], x[5], y[4], y[5], x[6], x[7], y[6], y[7])
    )
  }

  /// t = 2 → t = 1: x = [A0 A2 B0 B2 A4 A6 B4 B6], y = [A1 A3 B1 B3 A5 A7 B5 B7];
  /// applied again, t = 1 → t = 2.
  @inline(__always) mutating func interleavePairs() {
    (x, y) = (
      Lanes(x[0], y[0], x[2], y[2], x[4], y[4], x[6], y[6]),
      Lanes(x[1], y[1], x[3], y[3], x[5], y[5], x[7], y[7])
    )
  }

  /// t = 1 layout → natural order (A, B).
  @inline(__always) mutating func singlesToNatural() {
    (x, y) = (
      Lanes(x[0], y[0], x[1], y[1], x[4], y[4], x[5], y[5]),
      Lanes(x[2], y[2], x[3], y[3], x[6], y[6], x[7], y[7])
    )
  }

  /// Natural order (A, B) → t = 1 layout.
  @inline(__always) mutating func naturalToSingles() {
    (x, y) = (
      Lanes(x[0], x[2], y[0], y[2], x[4], x[6], y[4], y[6]),
      Lanes(x[1], x[3], y[1], y[3], x[5], x[7], y[5], y[7])
    )
  }
}

/// Four blocks of 16 consecutive values, transformed stage by stage together:
/// one block's stages form a long dependency chain (each product waits for the
/// previous stage), so four interleaved give the out-of-order core enough
/// independent work (measured 6% faster than two, at N = 4096).
struct LaneBlocks {
  var b0: LaneBlock
  var b1: LaneBlock
  var b2: LaneBlock
  var b3: LaneBlock

  /// The 64 values at `p`.
  @inline(__always) init(_ p: UnsafeMutablePointer<UInt64>) {
    b0 = LaneBlock(p)
    b1 = LaneBlock(p + 16)
    b2 = LaneBlock(p + 32)
    b3 = LaneBlock(p + 48)
  }

  /// Applies `body` to each block with its index 0..<4.
  @inline(__always) mutating func forEach(_ body: (inout LaneBlock, Int) -> Void) {
    body(&b0, 0)
    body(&b1, 1)
    body(&b2, 2)
    body(&b3, 3)
  }
}

