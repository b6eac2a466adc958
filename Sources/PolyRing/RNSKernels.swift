// Tuned loops for the scheme layer's hot paths (BFV's HPS multiplication):
// the exact base conversion of BaseConverter and the scaling of RNSScaler,
// with the same precomputed constants and the same results, but every table
// taken as a buffer once per call, the per-coefficient scratch on the stack,
// and the output written straight into the polynomial it belongs to.
// Added for BFV (issue 5); BaseConverter.swift and RNSScaler.swift are unchanged.

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
}

extension BaseConverter {
  /// x (in ``source``) extended exactly: the polynomial of `joined`, whose
  /// moduli are the source's followed by the target's, with x's residues
  /// copied and the centered representative of x converted to the target
  /// moduli (as ``convertExact(_:)``).
  /// - Throws: ``PolyRingError/contextMismatch`` when `x` is not in ``source``
  ///   or `joined` is not source ∪ target.
  /// - Complexity: O(N·L·L') word operations, one allocation (the result).
  public func extendExactly(_ x: Poly<Coeff>, into joined: PolyContext) throws(PolyRingError)
    -> Poly<Coeff>
  {
    guard x.context.isSameRing(as: source), joined.degree == source.degree,
      joined.moduli == source.moduli + target.moduli
    else { throw .contextMismatch }
    var output = [UInt64](repeating: 0, count: joined.wordCount)
    output.withUnsafeMutableBufferPointer { out in
      x.data.withUnsafeBufferPointer { input in
        let base = out.baseAddress.unsafelyUnwrapped
        base.update(from: input.baseAddress.unsafelyUnwrapped, count: input.count)
        convertExactKernel(input.baseAddress.unsafelyUnwrapped, base + input.count)
      }
    }
    return Poly(context: joined, uncheckedData: output)
  }

  /// ``convertExact(_:)`` through the tuned loop (identical results).
  /// - Throws: ``PolyRingError/contextMismatch`` when `x` is not in ``source``.
  public func convertExactly(_ x: Poly<Coeff>) throws(PolyRingError) -> Poly<Coeff> {
    guard x.context.isSameRing(as: source) else { throw .contextMismatch }
    var output = [UInt64](repeating: 0, count: target.wordCount)
    output.withUnsafeMutableBufferPointer { out in
      x.data.withUnsafeBufferPointer { input in
        convertExactKernel(input.baseAddress.unsafelyUnwrapped, out.baseAddress.unsafelyUnwrapped)
      }
    }
    return Poly(context: target, uncheckedData: output)
  }

  /// The exact conversion of N coefficients (source limbs, limb-major, each
  /// in [0, s_i)) into the target limbs, limb-major, each in [0, p_k).
  ///
  /// Limb-major passes with short independent iterations (so that the CPU
  /// overlaps many coefficients): y_i = [x_i·(S/s_i)^-1]_{s_i} limb by limb
  /// with the running Σ y_i/s_i in double precision; u = round(Σ) per
  /// coefficient; then per target prime the wide sum Σ y_i·[S/s_i]_p, one
  /// Barrett reduction, minus the tabulated u·[S]_p.
  func convertExactKernel(_ x: UnsafePointer<UInt64>, _ out: UnsafeMutablePointer<UInt64>) {
    let n = source.degree
    let l = source.basis.count
    let m = target.basis.count
    // u·[S]_{p_k} for u in 0...l (u ≤ l since each y_i/s_i < 1).
    var corrections = [UInt64](repeating: 0, count: m * (l + 1))
    for (k, p) in target.moduli.enumerated() {
      for u in 0...l {
        let product = UInt64(u).multipliedFullWidth(by: productModTarget[k])
        corrections[k * (l + 1) + u] = p.reduce(high: product.high, low: product.low)
      }
    }
    var scratch = [UInt64](repeating: 0, count: (l + 1) * n)
    var fractions = [Double](repeating: 0, count: n)  // the running Σ y_i/s_i
    fractions.withUnsafeMutableBufferPointer { fractions in
    scratch.withUnsafeMutableBufferPointer { scratch in
      let y = scratch.baseAddress.unsafelyUnwrapped
      let u = y + l &* n
      let fraction = fractions.baseAddress.unsafelyUnwrapped
      source.moduli.withUnsafeBufferPointer { sourceModuli in
        source.basis.puncturedInverse.withUnsafeBufferPointer { inverses in
          for i in 0..<l {
            let s = sourceModuli[i]
            let w = inverses[i]
            let reciprocal = inverseModuli[i]
            let row = i &* n
            for j in 0..<n {
              let yi = s.multiply(x[row &+ j], by: w)
              y[row &+ j] = yi
              fraction[j] += Double(yi) * reciprocal
            }
          }
        }
      }
      // round(Σ) for Σ ≥ 0: ⌊Σ + 1/2⌋ by truncation (no libm call).
      for j in 0..<n { u[j] = UInt64(fraction[j] + 0.5) }
      target.moduli.withUnsafeBufferPointer { targetModuli in
        puncturedModTarget.withUnsafeBufferPointer { punctured in
          corrections.withUnsafeBufferPointer { corrections in
            for k in 0..<m {
              let p = targetModuli[k]
              let row = k &* l
              let correctionRow = k &* (l &+ 1)
              let output = out + k &* n
              for j in 0..<n {
                // Σ y_i·[S/s_i]_p < l·2^124 ≤ 2^128 (l ≤ 16): one wide sum.
                // (UInt128 arithmetic: add-with-carry, no branch on the carry.)
                var sum: UInt128 = 0
                for i in 0..<l {
                  sum &+= UInt128(y[i &* n &+ j]) &* UInt128(punctured[row &+ i])
                }
                let reduced = p.reduceWide(sum)
                output[j] = p.subtract(reduced, corrections[correctionRow &+ Int(truncatingIfNeeded: u[j])])
              }
            }
          }
        }
      }
    }  }
  }
}

extension RNSScaler {
  /// ``scaleAndRound(_:)`` through the tuned loop, returned as a polynomial of
  /// `output`, a ring whose moduli are ``outputModuli`` (identical results).
  /// - Throws: ``PolyRingError/contextMismatch`` when `poly` is not in
  ///   ``source`` or `output` does not have the output moduli.
  /// - Complexity: O(N·|Q|·(1 + L_out)) word multiplications, one allocation.
  public func scaleAndRound(_ poly: Poly<Coeff>, into output: PolyContext) throws(PolyRingError)
    -> Poly<Coeff>
  {
    guard poly.context.isSameRing(as: source), output.degree == source.degree,
      output.moduli == outputModuli
    else { throw .contextMismatch }
    let n = source.degree
    let qCount = scaledCount
    let m = outputModuli.count
    let extended = source.basis.count > qCount
    var result = [UInt64](repeating: 0, count: output.wordCount)
    let fractionHigh = fractions.map(\.high)
    let fractionLow = fractions.map(\.low)
    // x_k·[t·β_k·P/p_k]_{p_k} by Shoup constants.
    let factorConstants = zip(extensionFactors, outputModuli).map { ShoupConstant($0, modulus: $1) }
    var rounded = [UInt64](repeating: 0, count: n)
    poly.data.withUnsafeBufferPointer { x in
      fractionHigh.withUnsafeBufferPointer { thetaHigh in
        fractionLow.withUnsafeBufferPointer { thetaLow in
          rounded.withUnsafeMutableBufferPointer { rounded in
            for j in 0..<n {
              // Σ x_i·θ_i·2^128 as a 192-bit sum (top, middle, bottom).
              // Column sums of the words of x_i·θ_i, each in a UInt128 (at
              // most 16 terms of 64 bits: no overflow), carried at the end;
              // no branch on a carry.
              var bottom: UInt128 = 0
              var middle: UInt128 = 0
              var top: UInt64 = 0
              for i in 0..<qCount {
                let xi = UInt128(x[i &* n &+ j])
                let lowPart = xi &* UInt128(thetaLow[i])
                let highPart = xi &* UInt128(thetaHigh[i])
                bottom &+= lowPart & UInt128(UInt64.max)
                middle &+= (lowPart &>> 64) &+ (highPart & UInt128(UInt64.max))
                top &+= UInt64(truncatingIfNeeded: highPart &>> 64)
              }
              middle &+= bottom &>> 64
              top &+= UInt64(truncatingIfNeeded: middle &>> 64)
              // round(Σ x_i·θ_i) = integer part + (fraction ≥ 1/2).
              rounded[j] = top &+ (UInt64(truncatingIfNeeded: middle) &>> 63)
            }
          }
        }
      }
    }
    result.withUnsafeMutableBufferPointer { out in
      poly.data.withUnsafeBufferPointer { x in
        integerParts.withUnsafeBufferPointer { omega in
          rounded.withUnsafeBufferPointer { rounded in
            outputModuli.withUnsafeBufferPointer { moduli in
              for k in 0..<m {
                let modulus = moduli[k]
                let row = k &* qCount
                let output = out.baseAddress.unsafelyUnwrapped + k &* n
                let factor = factorConstants[k]
                let extensionRow = (qCount &+ k) &* n
                for j in 0..<n {
                  var sum: UInt128 = 0
                  for i in 0..<qCount {
                    // ≤ 16 terms below 2^124: the sum stays below 2^128.
                    sum &+= UInt128(x[i &* n &+ j]) &* UInt128(omega[row &+ i])
                  }
                  let reduced = modulus.reduceWide(sum)
                  var value = modulus.add(reduced, modulus.reduce(rounded[j]))
                  if extended {
                    value = modulus.add(value, modulus.multiply(x[extensionRow &+ j], by: factor))
                  }
                  output[j] = value
                }
              }
            }
          }
        }
      }
    }
    return Poly(context: output, uncheckedData: result)
  }
}
