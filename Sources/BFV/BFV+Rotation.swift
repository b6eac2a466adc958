import PolyRing

// Row rotations and the column swap: Galois automorphisms σ_k followed by a
// key switch from σ_k(s) back to s.

extension BFV.Ciphertext {
  /// σ_k applied to both polynomials, then switched back to s.
  mutating func applyGalois(_ element: Int, key: BFV.KeySwitchingKey) throws(BFVError) {
    guard polys.count == 2 else { throw .relinearizationRequired }
    try checkFullLevel()
    seed = nil
    let c0 = try wrapping { () throws(PolyRingError) in try polys[0].applyingGalois(element) }
    let c1 = try wrapping { () throws(PolyRingError) in try polys[1].applyingGalois(element) }
    let (k0, k1) = try parameters.keySwitch(c1, with: key)
    polys[0] = c0
    try? polys[0].add(k0)
    polys[1] = k1
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
