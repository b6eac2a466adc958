extension Poly where Form == Coeff {
  /// The evaluation form: the negacyclic NTT of every limb.
  /// - Complexity: L forward NTTs of (N/2)·log2(N) butterflies; in place when
  ///   `self` is not shared (no allocation).
  public consuming func forwardNTT() -> Poly<Eval> {
    var data: [UInt64] = []
    swap(&data, &self.data)  // take the buffer: unique if self was, so no copy
    let tables = context.nttTables
    let n = context.degree
    data.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress.unsafelyUnwrapped
      for (i, table) in tables.enumerated() {
        table.forward(base + i &* n)
      }
    }
    return Poly<Eval>(context: context, uncheckedData: data)
  }
}

extension Poly where Form == Eval {
  /// The coefficient form: the inverse negacyclic NTT of every limb.
  /// - Complexity: L inverse NTTs; in place when `self` is not shared.
  public consuming func inverseNTT() -> Poly<Coeff> {
    var data: [UInt64] = []
    swap(&data, &self.data)  // take the buffer: unique if self was, so no copy
    let tables = context.nttTables
    let n = context.degree
    data.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress.unsafelyUnwrapped
      for (i, table) in tables.enumerated() {
        table.inverse(base + i &* n)
      }
    }
    return Poly<Coeff>(context: context, uncheckedData: data)
  }
}

extension NTTTables {
  /// Forward NTT of `values` (N words in [0, 4q)) in place, for callers that
  /// keep their own buffers; results in [0, q), bit-reversed order.
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)`` unless
  ///   `values` holds N words.
  /// - Complexity: (N/2)·log2(N) butterflies, no allocation.
  public func forward(_ values: inout [UInt64]) throws(PolyRingError) {
    guard values.count == degree else {
      throw .lengthMismatch(expected: degree, actual: values.count)
    }
    values.withUnsafeMutableBufferPointer { forward($0.baseAddress.unsafelyUnwrapped) }
  }

  /// Inverse NTT of `values` (N words in [0, 2q), bit-reversed) in place;
  /// results in [0, q), natural order.
  /// - Throws: ``PolyRingError/lengthMismatch(expected:actual:)`` unless
  ///   `values` holds N words.
  /// - Complexity: (N/2)·log2(N) butterflies, no allocation.
  public func inverse(_ values: inout [UInt64]) throws(PolyRingError) {
    guard values.count == degree else {
      throw .lengthMismatch(expected: degree, actual: values.count)
    }
    values.withUnsafeMutableBufferPointer { inverse($0.baseAddress.unsafelyUnwrapped) }
  }
}
