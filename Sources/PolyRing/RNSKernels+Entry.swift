// The public entry points of the tuned RNS loops (RNSKernels.swift): on
// polynomials, for callers that want a result, and on raw limbs, for the
// scheme layer's fused loops. Added for BFV (issue 5).

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
    let size = joined.wordCount
    let output = [UInt64](unsafeUninitializedCapacity: size) { buffer, count in
      x.data.withUnsafeBufferPointer { input in
        let base = buffer.baseAddress.unsafelyUnwrapped
        base.initialize(from: input.baseAddress.unsafelyUnwrapped, count: input.count)
        kernel.convert(input.baseAddress.unsafelyUnwrapped, into: base + input.count)
      }
      count = size
    }
    return Poly(context: joined, uncheckedData: output)
  }

  /// ``convertExact(_:)`` through the tuned loop (identical results).
  /// - Throws: ``PolyRingError/contextMismatch`` when `x` is not in ``source``.
  public func convertExactly(_ x: Poly<Coeff>) throws(PolyRingError) -> Poly<Coeff> {
    guard x.context.isSameRing(as: source) else { throw .contextMismatch }
    let size = target.wordCount
    let output = [UInt64](unsafeUninitializedCapacity: size) { buffer, count in
      x.data.withUnsafeBufferPointer { input in
        kernel.convert(input.baseAddress.unsafelyUnwrapped, into: buffer.baseAddress.unsafelyUnwrapped)
      }
      count = size
    }
    return Poly(context: target, uncheckedData: output)
  }

  /// The exact conversion on raw limbs, for callers that keep their own
  /// buffers: `x` holds the source's L limbs (limb-major, N words each,
  /// residues reduced), `out` receives the target's L' limbs.
  /// - Complexity: O(N·L·L') word operations, no allocation.
  public func convertExactly(_ x: UnsafePointer<UInt64>, into out: UnsafeMutablePointer<UInt64>) {
    kernel.convert(x, into: out)
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
    let size = output.wordCount
    let extended = source.basis.count > scaledCount
    let result = [UInt64](unsafeUninitializedCapacity: size) { buffer, count in
      poly.data.withUnsafeBufferPointer { x in
        let base = x.baseAddress.unsafelyUnwrapped
        kernel.scale(
          base, kept: extended ? base + scaledCount &* n : nil,
          into: buffer.baseAddress.unsafelyUnwrapped, degree: n)
      }
      count = size
    }
    return Poly(context: output, uncheckedData: result)
  }

  /// The scaling on raw limbs, for callers that keep their own buffers:
  /// `scaled` holds the |Q| limbs divided away (in ``source`` order, N words
  /// apart), `kept` the remaining source limbs when there are any, and `out`
  /// receives one limb per output modulus. Inputs are reduced residues; the
  /// two groups need not be adjacent.
  ///
  /// With kept limbs, `kept: nil` leaves out their term x_k·``keptFactors``[k]:
  /// it is linear in x_k, so a caller holding x_k in evaluation form can add
  /// it there after transforming the rest (saving the inverse transforms of
  /// the kept limbs).
  /// - Complexity: O(N·|Q|·(1 + L_out)) word multiplications, no allocation.
  public func scaleAndRound(
    scaled: UnsafePointer<UInt64>, kept: UnsafePointer<UInt64>?, into out: UnsafeMutablePointer<UInt64>
  ) {
    precondition(kept == nil || source.basis.count > scaledCount)
    kernel.scale(scaled, kept: kept, into: out, degree: source.degree)
  }

  /// Per output modulus p_k, when the source has kept limbs: the factor
  /// [t·β_k·P/p_k]_{p_k} of x_k in the result (round(t·x/Q) ≡ x_k·factor +
  /// the rest); empty when every source modulus is divided away.
  public var keptFactors: [UInt64] {
    source.basis.count > scaledCount ? extensionFactors : []
  }
}
