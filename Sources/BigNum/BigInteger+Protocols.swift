internal import CGMP

extension BigInteger: Equatable, Hashable, Comparable {
  public static func == (lhs: BigInteger, rhs: BigInteger) -> Bool {
    lhs.compare(to: rhs) == 0
  }

  public static func < (lhs: BigInteger, rhs: BigInteger) -> Bool {
    lhs.compare(to: rhs) < 0
  }

  /// A negative, zero or positive number as `self` is below, equal to or above `other`.
  func compare(to other: BigInteger) -> Int32 {
    withPointer { a in other.withPointer { b in __gmpz_cmp(a, b) } }
  }

  public func hash(into hasher: inout Hasher) {
    withPointer { z in
      let size = Int(z.pointee._mp_size)
      hasher.combine(size)
      if let limbs = z.pointee._mp_d, size != 0 {
        hasher.combine(bytes: UnsafeRawBufferPointer(start: limbs, count: abs(size) * MemoryLayout<mp_limb_t>.size))
      }
    }
  }
}

extension BigInteger: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(value) }
}

extension BigInteger: CustomStringConvertible, CustomDebugStringConvertible {
  /// The integer in decimal.
  public var description: String { toString(radix: 10) }

  public var debugDescription: String {
    isSecret ? "BigInteger(<secret, \(bitWidth) bits>)" : "BigInteger(\(description))"
  }
}
