import PolyRing

// Row rotations and the column swap: Galois automorphisms σ_k followed by a
// key switch from σ_k(s) back to s.

extension BFV.Ciphertext {
  /// σ_k applied to both polynomials (a permutation of the evaluation
  /// points), then switched back to s: L inverse NTTs (σ_k(c1) into
  /// coefficient form for its digits) and L² − L forward ones.
  mutating func applyGalois(_ element: Int, key: BFV.KeySwitchingKey) throws(BFVError) {
    guard polys.count == 2 else { throw .relinearizationRequired }
    try checkFullLevel()
    let p = parameters
    guard element > 0, element < 2 * p.degree, element & 1 == 1 else {
      throw .ring(.invalidGaloisElement(element, degree: p.degree))
    }
    seed = nil
    let ring = p.ring
    let n = p.degree
    let narrow = ring.wordCount
    let permutation = p.galoisPermutation(element)
    let (x0, x1) = (polys[0], polys[1])
    var out1: [UInt64] = []
    let out0 = makeWords(narrow) { o0 in
      out1 = makeWords(narrow) { o1 in
        withScratch(3 * narrow) { buffer in
          let c0 = buffer
          let c1 = buffer + narrow
          let coefficients = buffer + 2 &* narrow
          permutation.withUnsafeBufferPointer { permutation in
            x0.withWords { a in
              x1.withWords { b in
                for base in stride(from: 0, to: narrow, by: n) {
                  for j in 0..<n {
                    let k = base &+ Int(permutation[j])
                    c0[base &+ j] = a[k]
                    let v = b[k]
                    c1[base &+ j] = v
                    coefficients[base &+ j] = v  // transformed back below
                  }
                }
              }
            }
          }
          ring.inverseNTT(coefficients, limbs: 0..<ring.basis.count)
          p.keySwitch(
            coefficients: coefficients, evaluation: c1, key: key, adding: c0, nil, into: o0, o1)
        }
      }
    }
    polys = [Poly<Eval>(context: ring, uncheckedWords: out0), Poly<Eval>(context: ring, uncheckedWords: out1)]
  }

  /// Rotates both rows left by `step` columns (slot c takes the value of slot
  /// c + step of the same row); negative steps rotate right.
  ///
  /// Uses the key for this step if present, otherwise composes the rotation
  /// from power-of-two keys (``BFV/SecretKey/powerOfTwoGaloisKeys()``).
  /// - Throws: ``BFVError/missingGaloisKey(step:)`` when neither is available,
  ///   ``BFVError/parameterMismatch``, ``BFVError/relinearizationRequired``.
  /// - Complexity: one key switch (L² NTTs) per key used.
  public mutating func rotateRows(by step: Int, using keys: BFV.GaloisKeys) throws(BFVError) {
    try parameters.check(keys.parameters)
    let half = parameters.degree / 2
    let r = ((step % half) + half) % half
    if r == 0 { return }
    let ring = parameters.ring
    if let key = keys.keys[ring.galoisElement(power: r)] {
      try applyGalois(ring.galoisElement(power: r), key: key)
      return
    }
    var plan: [(Int, BFV.KeySwitchingKey)] = []
    var bit = 1
    while bit < half {
      if r & bit != 0 {
        guard let key = keys.keys[ring.galoisElement(power: bit)] else {
          throw .missingGaloisKey(step: step)
        }
        plan.append((ring.galoisElement(power: bit), key))
      }
      bit <<= 1
    }
    for (element, key) in plan { try applyGalois(element, key: key) }
  }

  /// The ciphertext with rows rotated left by `step`.
  /// - Throws: as ``rotateRows(by:using:)``.
  public func rotatedRows(by step: Int, using keys: BFV.GaloisKeys) throws(BFVError) -> BFV.Ciphertext {
    var result = self
    try result.rotateRows(by: step, using: keys)
    return result
  }

  /// Swaps the two rows of slots.
  /// - Throws: ``BFVError/missingGaloisKey(step:)`` (step 0) without the
  ///   column-swap key, ``BFVError/parameterMismatch``.
  public mutating func swapColumns(using keys: BFV.GaloisKeys) throws(BFVError) {
    try parameters.check(keys.parameters)
    let element = 2 * parameters.degree - 1
    guard let key = keys.keys[element] else { throw .missingGaloisKey(step: 0) }
    try applyGalois(element, key: key)
  }

  /// The ciphertext with its rows swapped.
  public func swappedColumns(using keys: BFV.GaloisKeys) throws(BFVError) -> BFV.Ciphertext {
    var result = self
    try result.swapColumns(using: keys)
    return result
  }

  /// Every slot set to the sum of all N slots (mod t): log2(N/2) rotations and
  /// one column swap, with power-of-two keys.
  /// - Throws: ``BFVError/missingGaloisKey(step:)`` without them.
  public func sumOfSlots(using keys: BFV.GaloisKeys) throws(BFVError) -> BFV.Ciphertext {
    var sum = self
    var step = 1
    while step < parameters.degree / 2 {
      try sum.add(try sum.rotatedRows(by: step, using: keys))
      step <<= 1
    }
    try sum.add(try sum.swappedColumns(using: keys))
    return sum
  }

  /// Σ_s self[s]·weights[s] in every slot: a plaintext multiplication and
  /// ``sumOfSlots(using:)``.
  /// - Throws: as ``multiply(by:)-swift.method`` and ``sumOfSlots(using:)``.
  public func innerProduct(with weights: BFV.PreparedPlaintext, using keys: BFV.GaloisKeys)
    throws(BFVError) -> BFV.Ciphertext
  {
    var product = self
    try product.multiply(by: weights)
    return try product.sumOfSlots(using: keys)
  }
}

extension BFV.Parameters {
  /// σ_k on evaluations: point j (ψ^(2·bitrev(j)+1)) takes the value at the
  /// index whose point is ψ^((2·bitrev(j)+1)·k), as PolyRing's
  /// `Poly<Eval>.applyingGalois(_:)` (with a constant-time bit reversal).
  func galoisPermutation(_ element: Int) -> [UInt32] {
    let n = degree
    let bits = n.trailingZeroBitCount
    let mask = 2 &* n &- 1
    @inline(__always) func reversed(_ value: Int) -> Int {
      var v = UInt32(truncatingIfNeeded: value)
      v = ((v >> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1)
      v = ((v >> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2)
      v = ((v >> 4) & 0x0F0F_0F0F) | ((v & 0x0F0F_0F0F) << 4)
      v = ((v >> 8) & 0x00FF_00FF) | ((v & 0x00FF_00FF) << 8)
      v = (v >> 16) | (v << 16)
      return bits == 0 ? 0 : Int(v >> UInt32(32 - bits))
    }
    return [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
      for j in 0..<n {
        let exponent = (2 &* reversed(j) &+ 1) &* element & mask
        buffer[j] = UInt32(reversed((exponent &- 1) &>> 1))
      }
      count = n
    }
  }
}
