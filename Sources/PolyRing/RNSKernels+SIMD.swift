// Eight coefficients at a time for the exact base conversion and the RNS
// scaling (RNSKernels.swift), on SIMD8<UInt64>: the same results as the
// scalar loops.
//
// A 64×64-bit product has no vector instruction: products are taken in 32-bit
// halves (vpmuludq under AVX-512) and summed in three columns (weights 1,
// 2^32, 2^64) without carries, which the kernels' constructors check
// (`columnSumsFit`); the columns are then carried into a 128-bit value and
// reduced by Barrett, single-word (`reduceBelowSquare`'s) where the sum is
// below 2^(2s), 128-bit (`reduceWide`'s) otherwise. The loops run only in a
// process whose NTT runs the SIMD kernel (NTTKernel.preferred: built for a CPU
// with wide 64-bit lanes and measured faster); on baseline x86-64 the same
// code would emulate every lane operation.

typealias Columns = SIMD8<UInt64>

/// The low 32 bits of every lane (a literal in each function, so that LLVM
/// sees the zero high halves and multiplies with vpmuludq).
@inline(__always)
private var low32: Columns { Columns(repeating: 0xFFFF_FFFF) }

/// ⌊a·b/2^64⌋ and a·b mod 2^64 per lane.
@inline(__always)
private func multiplyWide(_ a: Columns, _ b: Columns) -> (high: Columns, low: Columns) {
  let aLow = a & low32
  let aHigh = a &>> 32
  let bLow = b & low32
  let bHigh = b &>> 32
  let ll = aLow &* bLow
  let lh = aLow &* bHigh
  let hl = aHigh &* bLow
  let hh = aHigh &* bHigh
  let middle = (ll &>> 32) &+ (lh & low32) &+ (hl & low32)
  return (hh &+ (lh &>> 32) &+ (hl &>> 32) &+ (middle &>> 32), (middle &<< 32) | (ll & low32))
}

/// 1 where a < b (unsigned), else 0.
@inline(__always)
private func below(_ a: Columns, _ b: Columns) -> Columns {
  Columns(repeating: 0).replacing(with: 1, where: a .< b)
}

@inline(__always)
private func load(_ p: UnsafePointer<UInt64>) -> Columns {
  UnsafeRawPointer(p).loadUnaligned(as: Columns.self)
}

@inline(__always)
private func store(_ v: Columns, _ p: UnsafeMutablePointer<UInt64>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: Columns.self)
}

/// Σ x·c in 32-bit columns: x and c given as their halves.
private struct ColumnSum {
  var c0 = Columns(repeating: 0)  // weight 1, terms < 2^32
  var c1 = Columns(repeating: 0)  // weight 2^32
  var c2 = Columns(repeating: 0)  // weight 2^64

  /// (The halves are masked again here: values reloaded from memory lose
  /// what LLVM knew of their high bits, and vpmullq would replace vpmuludq.)
  @inline(__always)
  mutating func add(_ xLow: Columns, _ xHigh: Columns, _ cLow: Columns, _ cHigh: Columns) {
    let xLow = xLow & low32
    let xHigh = xHigh & low32
    let cLow = cLow & low32
    let cHigh = cHigh & low32
    let ll = xLow &* cLow
    c0 &+= ll & low32
    c1 &+= (ll &>> 32) &+ xLow &* cHigh &+ xHigh &* cLow
    c2 &+= xHigh &* cHigh
  }

  /// Adds a value below 2^64.
  @inline(__always)
  mutating func add(_ x: Columns) {
    c0 &+= x & low32
    c1 &+= x &>> 32
  }

  /// The sum as a 128-bit value (high, low).
  @inline(__always)
  func carried() -> (high: Columns, low: Columns) {
    let middle = c1 &+ (c0 &>> 32)
    return (c2 &+ (middle &>> 32), (middle &<< 32) | (c0 & low32))
  }
}

extension Modulus {
  /// ``reduceBelowSquare(_:)`` per lane (x < 2^(2s)).
  @inline(__always)
  fileprivate func reduceBelowSquare(_ high: Columns, _ low: Columns) -> Columns {
    let s = UInt64(bitWidth)
    let q = Columns(repeating: value)
    let x1 = (high &<< Columns(repeating: 65 &- s)) | (low &>> Columns(repeating: s &- 1))
    let estimate = multiplyWide(x1, Columns(repeating: productRatio)).high
    var r = low &- estimate &* q  // [0, 3q)
    r = pointwiseMin(r, r &- q)
    return pointwiseMin(r, r &- q)
  }

  /// ``reduceWide(_:)`` per lane (any x < 2^128).
  @inline(__always)
  fileprivate func reduceWide(_ high: Columns, _ low: Columns) -> Columns {
    let bLow = Columns(repeating: barrettLow)
    let bHigh = Columns(repeating: barrettHigh)
    let q = Columns(repeating: value)
    let carry = multiplyWide(low, bLow).high
    var t1 = multiplyWide(low, bHigh)
    t1.low &+= carry
    t1.high &+= below(t1.low, carry)
    var t2 = multiplyWide(high, bLow)
    t2.low &+= t1.low
    t2.high &+= below(t2.low, t1.low)
    let estimate = high &* bHigh &+ t1.high &+ t2.high
    let r = low &- estimate &* q  // [0, 2q)
    return pointwiseMin(r, r &- q)
  }
}

extension ConversionKernel {
  /// ``convert(_:into:)`` eight coefficients at a time (N a multiple of 8).
  func convertLanes(_ x: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>) {
    let n = degree
    let l = sourceCount
    let m = targetCount
    let values = source
    let inverses = source + l
    let quotients = source + 2 &* l
    let magic = Columns(repeating: 0x4330_0000_0000_0000)  // the bits of 2^52
    withUnsafeTemporaryAllocation(of: Columns.self, capacity: 32) { scratch in
      let yLow = scratch.baseAddress.unsafelyUnwrapped
      let yHigh = yLow + 16
      for j in stride(from: 0, to: n, by: 8) {
        var fraction = SIMD8<Double>(repeating: 0)
        for i in 0..<l {
          let xi = load(x + (i &* n &+ j))
          let s = Columns(repeating: values[i])
          // Shoup: y = x·w − ⌊x·w'/2^64⌋·s in [0, 2s), then one subtraction.
          var y = xi &* Columns(repeating: inverses[i])
            &- multiplyWide(xi, Columns(repeating: quotients[i])).high &* s
          y = pointwiseMin(y, y &- s)
          yLow[i] = y & low32
          yHigh[i] = y &>> 32
          fraction += SIMD8<Double>(y) * SIMD8<Double>(repeating: reciprocals[i])
        }
        // u = ⌊Σ y_i/s_i + 1/2⌋ (the scalar loop's rounding) for 0 ≤ Σ < l:
        // adding 2^52 leaves the nearest integer r in the low bits of the
        // significand; r − 1 where r overshoots.
        let shifted = fraction + SIMD8<Double>(repeating: 0.5)
        let two52 = SIMD8<Double>(repeating: 4_503_599_627_370_496.0)
        let nearest = (shifted + two52) - two52
        let r = unsafeBitCast(shifted + two52, to: Columns.self) &- magic
        let u = r &- Columns(repeating: 0).replacing(with: 1, where: nearest .> shifted)
        for k in 0..<m {
          let row = punctured + k &* l
          var sum = ColumnSum()
          for i in 0..<l {
            let c = row[i]
            sum.add(yLow[i], yHigh[i], Columns(repeating: c & 0xFFFF_FFFF), Columns(repeating: c &>> 32))
          }
          // −u·[S]_p: u ≤ l times the correction for u = 1.
          let correction = corrections[k &* (l &+ 1) &+ 1]
          sum.add(
            u, Columns(repeating: 0), Columns(repeating: correction & 0xFFFF_FFFF),
            Columns(repeating: correction &>> 32))
          let (high, low) = sum.carried()
          let p = targets[k]
          store(narrow[k] ? p.reduceBelowSquare(high, low) : p.reduceWide(high, low), out + (k &* n &+ j))
        }
      }
    }
  }
}

extension ScalingKernel {
  /// ``scale(_:kept:into:degree:)`` eight coefficients at a time (N a
  /// multiple of 8).
  func scaleLanes(
    _ scaled: UnsafePointer<UInt64>, kept: UnsafePointer<UInt64>?, into out: UnsafeMutablePointer<UInt64>,
    degree n: Int
  ) {
    let l = scaledCount
    let m = outputCount
    let thetaHigh = fractions
    let thetaLow = fractions + l
    withUnsafeTemporaryAllocation(of: Columns.self, capacity: 32) { scratch in
      let xLow = scratch.baseAddress.unsafelyUnwrapped
      let xHigh = xLow + 16
      for j in stride(from: 0, to: n, by: 8) {
        // Σ x_i·θ_i·2^128 as three words with their carries, as the
        // scalar loop: bottom = Σ low(x·θ_low), middle = Σ high(x·θ_low) +
        // low(x·θ_high), top = Σ high(x·θ_high).
        var bottom = Columns(repeating: 0)
        var bottomCarries = Columns(repeating: 0)
        var middle = Columns(repeating: 0)
        var top = Columns(repeating: 0)
        for i in 0..<l {
          let xi = load(scaled + (i &* n &+ j))
          xLow[i] = xi & low32
          xHigh[i] = xi &>> 32
          let high = multiplyWide(xi, Columns(repeating: thetaHigh[i]))
          let low = multiplyWide(xi, Columns(repeating: thetaLow[i]))
          bottom &+= low.low
          bottomCarries &+= below(bottom, low.low)
          middle &+= high.low
          top &+= high.high &+ below(middle, high.low)
          middle &+= low.high
          top &+= below(middle, low.high)
        }
        middle &+= bottomCarries
        top &+= below(middle, bottomCarries)
        // round(Σ x_i·θ_i) = integer part + (fraction ≥ 1/2), below 2^63.
        let rounded = top &+ (middle &>> 63)
        for k in 0..<m {
          let row = integerParts + k &* l
          var sum = ColumnSum()
          sum.add(rounded)
          for i in 0..<l {
            let c = row[i]
            sum.add(xLow[i], xHigh[i], Columns(repeating: c & 0xFFFF_FFFF), Columns(repeating: c &>> 32))
          }
          if let factors, let kept {
            let x = load(kept + (k &* n &+ j))
            let c = factors[k]
            sum.add(x & low32, x &>> 32, Columns(repeating: c & 0xFFFF_FFFF), Columns(repeating: c &>> 32))
          }
          let (high, low) = sum.carried()
          let o = outputs[k]
          store(narrow[k] ? o.reduceBelowSquare(high, low) : o.reduceWide(high, low), out + (k &* n &+ j))
        }
      }
    }
  }
}

extension Modulus {
  /// ``sumsOfProducts(_:_:terms:adding:_:into:_:count:)`` eight m at a time
  /// (`count` a multiple of 8; the caller checked the column bound).
  func sumsOfProductsLanes(
    _ x: UnsafePointer<UnsafePointer<UInt64>>, _ y: UnsafePointer<UnsafePointer<UInt64>>, terms: Int,
    adding add0: UnsafePointer<UInt64>?, _ add1: UnsafePointer<UInt64>?,
    into out0: UnsafeMutablePointer<UInt64>, _ out1: UnsafeMutablePointer<UInt64>, count: Int
  ) {
    let l = terms
    for m in stride(from: 0, to: count, by: 8) {
      var s0 = ColumnSum()
      var s1 = ColumnSum()
      if let add0 { s0.add(load(add0 + m)) }
      if let add1 { s1.add(load(add1 + m)) }
      for i in 0..<l {
        let d = load(x[i] + m)
        let dLow = d & low32
        let dHigh = d &>> 32
        let b = load(y[i] + m)
        let a = load(y[l &+ i] + m)
        s0.add(dLow, dHigh, b & low32, b &>> 32)
        s1.add(dLow, dHigh, a & low32, a &>> 32)
      }
      let (high0, low0) = s0.carried()
      let (high1, low1) = s1.carried()
      store(reduceWide(high0, low0), out0 + m)
      store(reduceWide(high1, low1), out1 + m)
    }
  }
}
