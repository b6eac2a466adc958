// Bulk access to a polynomial's residues for the scheme layer (BFV): building
// polynomials from words already reduced, working on them in place, and
// wiping secrets. Added for BFV; the rest of PolyRing does not use it.

import BigNum

extension Poly {
  /// A polynomial from N·L residues in limb-major order (word `i·N + j` is
  /// residue j mod q_i), as ``data`` holds them.
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)`` or
  ///   ``PolyRingError/coefficientOutOfRange(index:modulus:)``.
  /// - Complexity: one comparison per word; no copy of `words`.
  public init(context: PolyContext, words: [UInt64]) throws(PolyRingError) {
    guard words.count == context.wordCount else {
      throw .lengthMismatch(expected: context.wordCount, actual: words.count)
    }
    let n = context.degree
    for (i, modulus) in context.moduli.enumerated() {
      let q = modulus.value
      for j in (i * n)..<(i * n + n) where words[j] >= q {
        throw .coefficientOutOfRange(index: j, modulus: q)
      }
    }
    self.init(context: context, uncheckedData: words)
  }

  /// Calls `body` with the residues, limb-major, for in-place work.
  /// - Warning: `body` must leave every residue of limb i in [0, q_i).
  public mutating func withUnsafeMutableWords<R, E: Error>(
    _ body: (UnsafeMutableBufferPointer<UInt64>) throws(E) -> R
  ) throws(E) -> R {
    var result: Result<R, E>? = nil
    data.withUnsafeMutableBufferPointer { buffer in
      do throws(E) { result = .success(try body(buffer)) } catch { result = .failure(error) }
    }
    return try result.unsafelyUnwrapped.get()
  }

  /// Overwrites every residue with zero in place (for secret material before
  /// release; the buffer is not reallocated when it is not shared).
  public mutating func wipe() {
    secureZero(&data)
  }

  /// The same residues reinterpreted in the other form, without a transform
  /// (for values known to be equal in both, such as constants, or for
  /// uniform samples, which are uniform in either form).
  public consuming func reinterpreted<Other: PolyForm>(as form: Other.Type) -> Poly<Other> {
    var data: [UInt64] = []
    swap(&data, &self.data)
    return Poly<Other>(context: context, uncheckedData: data)
  }
}
