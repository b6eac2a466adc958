// Tuned loops for the scheme layer's hot paths (BFV's multiplication and
// decryption): the exact base conversion of BaseConverter and the scaling of
// RNSScaler, with the same results as their reference loops.
//
// Layout: the constants of one conversion or scaling sit in flat buffers
// owned by a kernel object built once (no array, closure or bounds check in
// the loops). The loops run coefficient by coefficient (the residues of one
// coefficient in registers or a 16-word scratch, every limb read and written
// sequentially), which also keeps LLVM's vectorizer, whose SSE2 emulation of
// 64-bit products is slower than scalar code, off them. Sums of products are
// UInt128 (add-with-carry, no branch on a carry) and reduced once; the
// reduction is the single-word Barrett of `reduceOddProduct` where the sum is
// provably below 2^(2s) for the s-bit modulus, the 128-bit one otherwise.
// Added for BFV (issue 5).

extension Modulus {
  /// x mod q for any x < 2^128: ``reduce(high:low:)`` (Barrett with
  /// ⌊2^128/q⌋) with every carry taken by UInt128 additions, so that no
  /// branch depends on the data (the carries of random residues are
  /// unpredictable: a branch on them costs a misprediction half the time).
  @inlinable @inline(__always)
  public func reduceWide(_ x: UInt128) -> UInt64 {
    let high = UInt64(truncatingIfNeeded: x &>> 64)
    let low = UInt64(truncatingIfNeeded: x)
    let carry = UInt64(truncatingIfNeeded: (UInt128(low) &* UInt128(barrettLow)) &>> 64)
    let t1 = UInt128(low) &* UInt128(barrettHigh) &+ UInt128(carry)
    let t2 = UInt128(high) &* UInt128(barrettLow) &+ (t1 & UInt128(UInt64.max))
    let estimate =
      high &* barrettHigh &+ UInt64(truncatingIfNeeded: t1 &>> 64) &+ UInt64(truncatingIfNeeded: t2 &>> 64)
    let r = low &- estimate &* value  // [0, 2q)
    return Swift.min(r, r &- value)
  }

  /// x mod q for x < 2^(2s) (s = ``bitWidth``, q not a power of two): the
  /// single-word Barrett of ``reduceProduct(high:low:)``, public for the
  /// scheme layer's fused loops (sums of a few products bounded by the caller).
  @inlinable @inline(__always)
  public func reduceBelowSquare(_ x: UInt128) -> UInt64 {
    // The body of reduceOddProduct(high:low:), inlinable across modules.
    let high = UInt64(truncatingIfNeeded: x &>> 64)
    let low = UInt64(truncatingIfNeeded: x)
    let s = UInt64(truncatingIfNeeded: bitWidth)
    let x1 = (high &<< (65 &- s)) | (low &>> (s &- 1))  // < 2^(s+1)
    let estimate = x1.multipliedFullWidth(by: productRatio).high
    var r = low &- estimate &* value  // [0, 3q)
    r = Swift.min(r, r &- value)
    return Swift.min(r, r &- value)
  }

  /// Whether every sum of `terms` products of a value below 2^`bits` by a
  /// residue of this modulus is below 2^(2s), so that ``reduceBelowSquare(_:)``
  /// applies (the bound is over 2^(bits + s), whatever the residues).
  func boundsSums(terms: Int, bits: Int) -> Bool {
    !isPowerOfTwo && bitWidth >= 2 && bits + (Int.bitWidth - (terms - 1).leadingZeroBitCount) <= bitWidth
  }
}

/// Whether a sum of products x·c, one per term (x < 2^bits, c < 2^constantBits),
/// taken in 32-bit columns, keeps every column below 2^64: per term the
/// middle column gains ⌊x_lo·c_lo/2^32⌋ + x_lo·c_hi + x_hi·c_lo, the high one
/// x_hi·c_hi (the eight-lane loops' bound).
func columnSumsFit(_ terms: [(bits: Int, constantBits: Int)]) -> Bool {
  var middle = 64.0  // the carry of the low column, with margin
  var high = 0.0
  for (bits, constantBits) in terms {
    guard bits <= 64, constantBits <= 64 else { return false }
    let xLow = min(bits, 32)
    let cLow = min(constantBits, 32)
    middle += pow2(xLow + cLow - 32)
    if constantBits > 32 { middle += pow2(xLow + constantBits - 32) }
    if bits > 32 { middle += pow2(bits - 32 + cLow) }
    if bits > 32 && constantBits > 32 { high += pow2(bits + constantBits - 64) }
  }
  return middle < pow2(64) * 0.999 && high < pow2(64) * 0.999
}

private func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }

/// The constants of one exact base conversion S → T, laid out for the loop.
final class ConversionKernel: @unchecked Sendable {  // immutable after init
  let degree: Int
  let sourceCount: Int
  let targetCount: Int
  /// s_i, then [(S/s_i)^-1]_{s_i} and its Shoup quotient: 3·l words.
  let source: UnsafeMutablePointer<UInt64>
  /// 1/s_i.
  let reciprocals: UnsafeMutablePointer<Double>
  /// Row k: [S/s_i]_{p_k} for each i.
  let punctured: UnsafeMutablePointer<UInt64>
  /// Row k: −u·[S]_{p_k} mod p_k for u in 0...l.
  let corrections: UnsafeMutablePointer<UInt64>
  let targets: UnsafeMutablePointer<Modulus>
  /// Per target: whether its sums of l products stay below p_k²'s bound.
  let narrow: UnsafeMutablePointer<Bool>
  /// Whether the eight-lane loop (RNSKernels+SIMD.swift) applies (its
  /// 32-bit column sums cannot overflow) and runs (the process runs the SIMD
  /// NTT kernel).
  let lanesFit: Bool
  let lanes: Bool

  init(
    degree: Int, source sourceModuli: [Modulus], inverses: [ShoupConstant], target: [Modulus],
    punctured rows: [UInt64], products: [UInt64]
  ) {
    let l = sourceModuli.count
    let m = target.count
    self.degree = degree
    self.sourceCount = l
    self.targetCount = m
    source = .allocate(capacity: 3 * l)
    reciprocals = .allocate(capacity: l)
    for i in 0..<l {
      source[i] = sourceModuli[i].value
      source[l + i] = inverses[i].value
      source[2 * l + i] = inverses[i].quotient
      reciprocals[i] = 1.0 / Double(sourceModuli[i].value)
    }
    punctured = .allocate(capacity: max(1, m * l))
    punctured.initialize(from: rows, count: m * l)
    corrections = .allocate(capacity: max(1, m * (l + 1)))
    targets = .allocate(capacity: max(1, m))
    narrow = .allocate(capacity: max(1, m))
    // The sum of one target: l products y_i·[S/s_i]_p (y_i < 2^bits) and
    // the correction (< p): at most l + 1 terms below 2^bits·p.
    let sourceBits = sourceModuli.map(\.bitWidth).max() ?? 64
    let targetBits = target.map(\.bitWidth).max() ?? 64
    // Columns: l products y_i·[S/s_i]_p and u·(p − [S]_p) with u ≤ l.
    lanesFit =
      degree % 8 == 0 && l <= 16
      && columnSumsFit(
        Array(repeating: (bits: sourceBits, constantBits: targetBits), count: l) + [(bits: 5, constantBits: targetBits)])
    lanes = lanesFit && NTTKernel.preferred == .simd8
    for (k, p) in target.enumerated() {
      (targets + k).initialize(to: p)
      narrow[k] = p.boundsSums(terms: l + 1, bits: sourceBits)
      for u in 0...l {
        let product = UInt64(u).multipliedFullWidth(by: products[k])
        corrections[k * (l + 1) + u] = p.negate(p.reduce(high: product.high, low: product.low))
      }
    }
  }

  deinit {
    source.deallocate()
    reciprocals.deallocate()
    punctured.deallocate()
    corrections.deallocate()
    targets.deinitialize(count: targetCount)
    targets.deallocate()
    narrow.deallocate()
  }

  /// The exact conversion of N coefficients: `x` holds the l source limbs
  /// (limb-major, limb i at `x + i·N`, each residue in [0, s_i)), `out`
  /// receives the m target limbs the same way, each in [0, p_k).
  ///
  /// Per coefficient: y_i = [x_i·(S/s_i)^-1]_{s_i} (Shoup), u = round(Σ y_i/s_i)
  /// in double precision (HPS), then per target Σ y_i·[S/s_i]_p − u·[S]_p.
  func convert(_ x: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>) {
    if lanes {
      convertLanes(x, into: out)
      return
    }
    convertScalar(x, into: out)
  }

  /// The coefficient-by-coefficient loop (any degree, any build).
  func convertScalar(_ x: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>) {
    switch sourceCount {
    case 1: convert(x, out, Count1.self)
    case 2: convert(x, out, Count2.self)
    case 3: convert(x, out, Count3.self)
    case 4: convert(x, out, Count4.self)
    case 5: convert(x, out, Count5.self)
    case 6: convert(x, out, Count6.self)
    case 7: convert(x, out, Count7.self)
    case 8: convert(x, out, Count8.self)
    default: convert(x, out, CountAny.self)
    }
  }

  /// The loop, with the source count a compile-time constant where `Count`
  /// fixes it (so that LLVM unrolls the loops over the source limbs).
  @inline(__always)
  private func convert<Count: StaticCount>(
    _ x: UnsafePointer<UInt64>, _ out: UnsafeMutablePointer<UInt64>, _: Count.Type
  ) {
    let n = degree
    let l = Count.value ?? sourceCount
    let m = targetCount
    let values = source
    let inverses = source + l
    let quotients = source + 2 &* l
    let reciprocals = self.reciprocals
    let punctured = self.punctured
    let corrections = self.corrections
    let targets = self.targets
    let narrow = self.narrow
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { scratch in
      let y = scratch.baseAddress.unsafelyUnwrapped
      for j in 0..<n {
        var fraction = 0.0
        for i in 0..<l {
          let xi = x[i &* n &+ j]
          let s = values[i]
          // Shoup: xi·w − ⌊xi·w'/2^64⌋·s in [0, 2s), then one subtraction.
          var yi = xi &* inverses[i] &- xi.multipliedFullWidth(by: quotients[i]).high &* s
          yi = Swift.min(yi, yi &- s)
          y[i] = yi
          fraction += Double(Int64(bitPattern: yi)) * reciprocals[i]
        }
        // round(Σ) for 0 ≤ Σ < l: ⌊Σ + 1/2⌋ by truncation.
        let u = Int(fraction + 0.5)
        for k in 0..<m {
          let row = punctured + k &* l
          var sum = UInt128(corrections[k &* (l &+ 1) &+ u])
          for i in 0..<l { sum &+= UInt128(y[i]) &* UInt128(row[i]) }
          let p = targets[k]
          out[k &* n &+ j] = narrow[k] ? p.reduceBelowSquare(sum) : p.reduceWide(sum)
        }
      }
    }
  }
}

/// A loop count fixed at compile time (nil: known only at run time), so
/// that a generic loop specialised on it is unrolled.
protocol StaticCount { static var value: Int? { get } }
enum Count1: StaticCount { static var value: Int? { 1 } }
enum Count2: StaticCount { static var value: Int? { 2 } }
enum Count3: StaticCount { static var value: Int? { 3 } }
enum Count4: StaticCount { static var value: Int? { 4 } }
enum Count5: StaticCount { static var value: Int? { 5 } }
enum Count6: StaticCount { static var value: Int? { 6 } }
enum Count7: StaticCount { static var value: Int? { 7 } }
enum Count8: StaticCount { static var value: Int? { 8 } }
enum CountAny: StaticCount { static var value: Int? { nil } }

/// The constants of one RNS scaling, laid out for the loop.
final class ScalingKernel: @unchecked Sendable {  // immutable after init
  let scaledCount: Int
  let outputCount: Int
  /// θ_i·2^128: high words, then low words (2·|S| words).
  let fractions: UnsafeMutablePointer<UInt64>
  /// Row k: [ω_i]_{out_k} for each i in S.
  let integerParts: UnsafeMutablePointer<UInt64>
  let outputs: UnsafeMutablePointer<Modulus>
  /// Per output: whether its sums of |S| products stay below out_k²'s bound.
  let narrow: UnsafeMutablePointer<Bool>
  /// [t·β_k·P/p_k]_{p_k} per output (the kept limbs' factors), or nil.
  let factors: UnsafeMutablePointer<UInt64>?
  /// Whether an output's whole sum (below) fits 128 bits; otherwise the
  /// rounded part and the kept term are reduced apart (moduli near 2^62 and
  /// 15 or 16 scaled limbs).
  let folds: Bool
  /// Whether the eight-lane loop (RNSKernels+SIMD.swift) applies and runs.
  let lanesFit: Bool
  let lanes: Bool

  init(
    scaled: [Modulus], outputs output: [Modulus], fractions theta: [(high: UInt64, low: UInt64)],
    integerParts omega: [UInt64], extensionFactors: [UInt64]?
  ) {
    let l = scaled.count
    let m = output.count
    scaledCount = l
    outputCount = m
    fractions = .allocate(capacity: 2 * l)
    for i in 0..<l {
      fractions[i] = theta[i].high
      fractions[l + i] = theta[i].low
    }
    integerParts = .allocate(capacity: max(1, m * l))
    integerParts.initialize(from: omega, count: m * l)
    outputs = .allocate(capacity: m)
    narrow = .allocate(capacity: m)
    // The sum of one output: l products x_i·ω_i (x_i < 2^bits, ω_i < o), the
    // rounded part (< l·2^bits ≤ 2^bits·o) and, with kept limbs, x_k·factor
    // (< o²): at most l + 2 terms below 2^max(bits, s)·o.
    let bits = scaled.map(\.bitWidth).max() ?? 64
    var folds = true
    for (k, o) in output.enumerated() {
      (outputs + k).initialize(to: o)
      narrow[k] = o.boundsSums(terms: l + 2, bits: max(bits, o.bitWidth))
      folds = folds && max(bits, o.bitWidth) + o.bitWidth + (Int.bitWidth - (l + 1).leadingZeroBitCount) <= 128
    }
    self.folds = folds
    // Eight lanes: l products and the kept one in 32-bit columns, the
    // rounded part (below l·2^bits) in the low columns.
    let outputBits = output.map(\.bitWidth).max() ?? 64
    // Columns: l products x_i·[ω_i], the rounded part (below 2^63: a term
    // of 63 bits by 1) and the kept limb's product x_k·factor.
    lanesFit =
      folds && l <= 16 && bits + (Int.bitWidth - (l - 1).leadingZeroBitCount) <= 63
      && columnSumsFit(
        Array(repeating: (bits: bits, constantBits: outputBits), count: l) + [(bits: 63, constantBits: 1)]
          + (extensionFactors == nil ? [] : [(bits: outputBits, constantBits: outputBits)]))
    lanes = lanesFit && NTTKernel.preferred == .simd8
    if let extensionFactors {
      let pointer = UnsafeMutablePointer<UInt64>.allocate(capacity: m)
      pointer.initialize(from: extensionFactors, count: m)
      factors = pointer
    } else {
      factors = nil
    }
  }

  deinit {
    fractions.deallocate()
    integerParts.deallocate()
    outputs.deinitialize(count: outputCount)
    outputs.deallocate()
    narrow.deallocate()
    factors?.deallocate()
  }

  /// round(ν·x/S) for N coefficients: `scaled` holds the |S| limbs divided
  /// away, `kept` the kept limbs (one per output, when the scaling has
  /// any), `out` the output limbs; all limb-major with limbs N words apart,
  /// residues reduced.
  func scale(
    _ scaled: UnsafePointer<UInt64>, kept: UnsafePointer<UInt64>?, into out: UnsafeMutablePointer<UInt64>,
    degree n: Int
  ) {
    if lanes && n % 8 == 0 {
      scaleLanes(scaled, kept: kept, into: out, degree: n)
      return
    }
    scaleScalar(scaled, kept: kept, into: out, degree: n)
  }

  /// The coefficient-by-coefficient loop (any degree, any build).
  func scaleScalar(
    _ scaled: UnsafePointer<UInt64>, kept: UnsafePointer<UInt64>?, into out: UnsafeMutablePointer<UInt64>,
    degree n: Int
  ) {
    switch scaledCount {
    case 1: scale(scaled, kept, out, n, Count1.self)
    case 2: scale(scaled, kept, out, n, Count2.self)
    case 3: scale(scaled, kept, out, n, Count3.self)
    case 4: scale(scaled, kept, out, n, Count4.self)
    case 5: scale(scaled, kept, out, n, Count5.self)
    case 6: scale(scaled, kept, out, n, Count6.self)
    case 7: scale(scaled, kept, out, n, Count7.self)
    case 8: scale(scaled, kept, out, n, Count8.self)
    default: scale(scaled, kept, out, n, CountAny.self)
    }
  }

  @inline(__always)
  private func scale<Count: StaticCount>(
    _ scaled: UnsafePointer<UInt64>, _ kept: UnsafePointer<UInt64>?, _ out: UnsafeMutablePointer<UInt64>,
    _ n: Int, _: Count.Type
  ) {
    let l = Count.value ?? scaledCount
    let m = outputCount
    let thetaHigh = fractions
    let thetaLow = fractions + l
    let omega = integerParts
    let outputs = self.outputs
    let narrow = self.narrow
    let factors = self.factors
    let folds = self.folds
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { scratch in
      let xs = scratch.baseAddress.unsafelyUnwrapped
      for j in 0..<n {
        // Σ x_i·θ_i·2^128 as a 192-bit sum: column sums of the words of the
        // products, each in a UInt128 (≤ 16 terms of 64 bits), carried at the end.
        var bottom: UInt128 = 0
        var middle: UInt128 = 0
        var top: UInt128 = 0
        for i in 0..<l {
          let xi = scaled[i &* n &+ j]
          xs[i] = xi
          let lowPart = UInt128(xi) &* UInt128(thetaLow[i])
          let highPart = UInt128(xi) &* UInt128(thetaHigh[i])
          bottom &+= lowPart & UInt128(UInt64.max)
          middle &+= (lowPart &>> 64) &+ (highPart & UInt128(UInt64.max))
          top &+= highPart &>> 64
        }
        middle &+= bottom &>> 64
        top &+= middle &>> 64
        // round(Σ x_i·θ_i) = integer part + (fraction ≥ 1/2).
        let rounded = top &+ UInt128(UInt64(truncatingIfNeeded: middle) &>> 63)
        for k in 0..<m {
          let row = omega + k &* l
          let o = outputs[k]
          if !folds {
            var sum: UInt128 = 0
            for i in 0..<l { sum &+= UInt128(xs[i]) &* UInt128(row[i]) }
            var value = o.add(o.reduceWide(sum), o.reduceWide(rounded))
            if let factors, let kept {
              let product = UInt128(kept[k &* n &+ j]) &* UInt128(factors[k])
              value = o.add(value, o.reduceWide(product))
            }
            out[k &* n &+ j] = value
            continue
          }
          // Σ x_i·[ω_i] + round(Σ x_i·θ_i) (+ x_k·factor_k), reduced once.
          var sum = rounded
          for i in 0..<l { sum &+= UInt128(xs[i]) &* UInt128(row[i]) }
          if let factors, let kept {
            sum &+= UInt128(kept[k &* n &+ j]) &* UInt128(factors[k])
          }
          out[k &* n &+ j] = narrow[k] ? o.reduceBelowSquare(sum) : o.reduceWide(sum)
        }
      }
    }
  }
}
