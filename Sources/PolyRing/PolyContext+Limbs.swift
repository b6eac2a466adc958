// Limb-level access for the scheme layer's fused loops (BFV): transforms of
// chosen limbs of a caller's limb-major buffer, rings joined from two rings
// without rebuilding their NTT tables, and polynomials from words the caller
// already reduced. Added for BFV (issue 5); the transforms call the NTT
// owner's kernels unchanged.

extension PolyContext {
  /// Forward NTT, in place, of limbs `limbs` of a limb-major buffer of this
  /// ring (limb i at `words + i·N`, transformed with q_i's table).
  /// - Parameters:
  ///   - words: the buffer; each transformed limb holds N values in [0, 4q_i).
  ///   - limbs: which limbs, within 0..<L.
  /// - Precondition: `limbs` within the basis (programmer error otherwise).
  /// - Complexity: (N/2)·log2(N) butterflies per limb, no allocation.
  public func forwardNTT(_ words: UnsafeMutablePointer<UInt64>, limbs: Range<Int>) {
    precondition(limbs.lowerBound >= 0 && limbs.upperBound <= basis.count)
    let n = degree
    for i in limbs { nttTables[i].forward(words + i &* n) }
  }

  /// Inverse NTT, in place, of limbs `limbs` (each N values in [0, 2q_i),
  /// bit-reversed as ``forwardNTT(_:limbs:)`` leaves them); results in [0, q_i).
  /// - Precondition: `limbs` within the basis.
  /// - Complexity: (N/2)·log2(N) butterflies per limb, no allocation.
  public func inverseNTT(_ words: UnsafeMutablePointer<UInt64>, limbs: Range<Int>) {
    precondition(limbs.lowerBound >= 0 && limbs.upperBound <= basis.count)
    let n = degree
    for i in limbs { nttTables[i].inverse(words + i &* n) }
  }

  /// a ← a·b pointwise on limbs `limbs` of two limb-major buffers of this
  /// ring (the evaluation-form product), eight lanes at a time where the
  /// ring's NTT runs the SIMD kernel.
  /// - Parameters: residues reduced; `a` and `b` may be the same buffer.
  /// - Precondition: `limbs` within the basis.
  /// - Complexity: one Barrett multiplication per residue, no allocation.
  public func multiplyPointwise(
    _ a: UnsafeMutablePointer<UInt64>, by b: UnsafePointer<UInt64>, limbs: Range<Int>
  ) {
    precondition(limbs.lowerBound >= 0 && limbs.upperBound <= basis.count)
    let n = degree
    let simd = nttTables.first?.kernel == .simd8 && n % 8 == 0
    for i in limbs {
      let modulus = moduli[i]
      let x = a + i &* n
      let y = b + i &* n
      if simd {
        modulus.multiplySIMD8(x, y, count: n)
        continue
      }
      for j in 0..<n {
        let p = x[j].multipliedFullWidth(by: y[j])
        x[j] = modulus.reduceOddProduct(high: p.high, low: p.low)  // q_i is an odd prime
      }
    }
  }

  /// The pointwise tensor product of (a0, a1) and (b0, b1) on limbs `limbs`,
  /// in place (the three polynomials of a ciphertext product in evaluation
  /// form): a0 ← a0·b0, a1 ← a1·b1, `cross` ← a0·b1 + a1·b0, the cross term
  /// by Karatsuba, (a0 + a1)·(b0 + b1) − a0·b0 − a1·b1: three products
  /// instead of four. Eight lanes at a time where the ring's NTT runs the SIMD
  /// kernel.
  /// - Parameters: residues reduced; the five buffers limb-major over this
  ///   ring; `cross` distinct from the others, which may not alias either.
  /// - Precondition: `limbs` within the basis.
  /// - Complexity: three Barrett multiplications per residue, no allocation.
  public func multiplyTensor(
    _ a0: UnsafeMutablePointer<UInt64>, _ a1: UnsafeMutablePointer<UInt64>,
    by b0: UnsafePointer<UInt64>, _ b1: UnsafePointer<UInt64>,
    cross: UnsafeMutablePointer<UInt64>, limbs: Range<Int>
  ) {
    precondition(limbs.lowerBound >= 0 && limbs.upperBound <= basis.count)
    let n = degree
    let simd = nttTables.first?.kernel == .simd8 && n % 8 == 0
    for i in limbs {
      let modulus = moduli[i]
      let base = i &* n
      if simd {
        modulus.multiplyTensorSIMD8(a0 + base, a1 + base, b0 + base, b1 + base, cross + base, count: n)
        continue
      }
      for j in base..<(base &+ n) {
        let x0 = a0[j]
        let x1 = a1[j]
        let y0 = b0[j]
        let y1 = b1[j]
        let p0 = x0.multipliedFullWidth(by: y0)
        let p2 = x1.multipliedFullWidth(by: y1)
        let p1 = modulus.add(x0, x1).multipliedFullWidth(by: modulus.add(y0, y1))
        let r0 = modulus.reduceOddProduct(high: p0.high, low: p0.low)  // q_i is an odd prime
        let r2 = modulus.reduceOddProduct(high: p2.high, low: p2.low)
        let r1 = modulus.reduceOddProduct(high: p1.high, low: p1.low)
        a0[j] = r0
        a1[j] = r2
        cross[j] = modulus.subtract(modulus.subtract(r1, r0), r2)
      }
    }
  }

  /// The ring over this ring's moduli followed by `other`'s, sharing both
  /// rings' NTT tables (no table is rebuilt).
  /// - Throws: ``PolyRingError/contextMismatch`` for another degree,
  ///   ``PolyRingError/duplicateModulus(_:)`` when the rings share a prime.
  /// - Complexity: the CRT constants of the joined basis (big-integer work).
  public func joined(with other: PolyContext) throws(PolyRingError) -> PolyContext {
    guard other.degree == degree else { throw .contextMismatch }
    return try PolyContext.registered(degree: degree, moduli: (moduli + other.moduli).map(\.value)) {
      () throws(PolyRingError) in
      try PolyContext(degree: degree, checkedBasis: RNSBasis(moduli + other.moduli), nttTables: nttTables + other.nttTables)
    }
  }

  /// The ring over limbs `limbs` of this ring's basis, sharing their tables.
  /// - Throws: ``PolyRingError/invalidBasis(_:)`` for an empty or
  ///   out-of-range selection.
  public func subring(limbs: Range<Int>) throws(PolyRingError) -> PolyContext {
    guard !limbs.isEmpty, limbs.lowerBound >= 0, limbs.upperBound <= basis.count else {
      throw .invalidBasis("limbs \(limbs) are not a nonempty part of 0..<\(basis.count)")
    }
    return try PolyContext.registered(degree: degree, moduli: moduli[limbs].map(\.value)) { () throws(PolyRingError) in
      try PolyContext(degree: degree, checkedBasis: RNSBasis(Array(moduli[limbs])), nttTables: Array(nttTables[limbs]))
    }
  }
}

extension NTTTables {
  /// Forward NTT of one limb in place (N values in [0, 4q) → the transform
  /// in [0, q)), for callers that keep their own buffers.
  /// - Complexity: (N/2)·log2(N) butterflies, no allocation.
  public func forward(limb: UnsafeMutablePointer<UInt64>) { forward(limb) }

  /// Inverse NTT of one limb in place (N values in [0, 2q) → coefficients in [0, q)).
  /// - Complexity: (N/2)·log2(N) butterflies, no allocation.
  public func inverse(limb: UnsafeMutablePointer<UInt64>) { inverse(limb) }
}

extension Poly {
  /// A polynomial from N·L residues, limb-major, that the caller has already
  /// reduced (word `i·N + j` below q_i): no check in release builds.
  /// - Warning: unreduced words break every later operation silently; use
  ///   ``init(context:words:)`` for data from outside the process.
  /// - Precondition: `words.count == N·L` (programmer error otherwise).
  public init(context: PolyContext, uncheckedWords words: [UInt64]) {
    precondition(words.count == context.wordCount)
    #if DEBUG
      let n = context.degree
      for (i, modulus) in context.moduli.enumerated() {
        for j in (i * n)..<(i * n + n) { assert(words[j] < modulus.value) }
      }
    #endif
    self.init(context: context, uncheckedData: words)
  }
}
