extension Modulus {
  /// Whether q is prime: deterministic Miller–Rabin for 64-bit integers
  /// (bases 2, 325, 9375, 28178, 450775, 9780504, 1795265022; Jim Sinclair).
  /// - Complexity: seven modular exponentiations at most.
  public var isPrime: Bool { Modulus.isPrime(value) }

  static func isPrime(_ n: UInt64) -> Bool {
    if n < 2 { return false }
    for p: UInt64 in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
      if n % p == 0 { return n == p }
    }
    var d = n - 1
    var s = 0
    while d & 1 == 0 {
      d >>= 1
      s += 1
    }
    func mulmod(_ a: UInt64, _ b: UInt64) -> UInt64 {
      n.dividingFullWidth(a.multipliedFullWidth(by: b)).remainder
    }
    witness: for base: UInt64 in [2, 325, 9375, 28178, 450775, 9780504, 1795265022] {
      let a = base % n
      if a == 0 { continue }
      var x: UInt64 = 1
      var b = a
      var e = d
      while e != 0 {
        if e & 1 == 1 { x = mulmod(x, b) }
        b = mulmod(b, b)
        e >>= 1
      }
      if x == 1 || x == n - 1 { continue }
      for _ in 1..<max(s, 1) {
        x = mulmod(x, x)
        if x == n - 1 { continue witness }
      }
      return false
    }
    return true
  }

  /// Bit widths that ``nttFriendlyPrimes(bitWidths:degree:)`` accepts.
  public static let primeBitWidths = 10...maximumBitWidth

  /// Distinct primes q ≡ 1 mod 2N, one per requested bit width, each the
  /// largest such prime of exactly that many bits not already taken.
  ///
  /// - Parameters:
  ///   - bitWidths: the bit size of each prime, in ``primeBitWidths``.
  ///   - degree: the ring degree N (a power of two).
  /// - Returns: the primes, in the order of `bitWidths`.
  /// - Throws: ``PolyRingError/invalidBitWidth(_:supported:)``,
  ///   ``PolyRingError/invalidDegree(_:supported:)``, or
  ///   ``PolyRingError/notEnoughPrimes(bitWidth:degree:found:requested:)`` when a
  ///   bit width has too few NTT-friendly primes.
  /// - Complexity: about `bitWidth · ln 2 / 2` primality tests per prime, on average.
  public static func nttFriendlyPrimes(bitWidths: [Int], degree: Int) throws(PolyRingError)
    -> [Modulus]
  {
    guard degree >= 2, degree.nonzeroBitCount == 1 else {
      throw .invalidDegree(degree, supported: 2...(1 << 20))
    }
    var taken = Set<UInt64>()
    var result: [Modulus] = []
    for bits in bitWidths {
      guard primeBitWidths.contains(bits), UInt64(1) << (bits - 1) > UInt64(2 * degree) else {
        throw .invalidBitWidth(bits, supported: primeBitWidths)
      }
      guard let prime = nttFriendlyPrimes(bitWidth: bits, degree: degree, atMost: 1, excluding: taken).first else {
        throw .notEnoughPrimes(
          bitWidth: bits, degree: degree, found: bitWidths.filter { $0 == bits }.count - 1,
          requested: bitWidths.filter { $0 == bits }.count)
      }
      taken.insert(prime)
      result.append(try Modulus(prime))
    }
    return result
  }

  /// Up to `count` primes q ≡ 1 mod 2N of exactly `bitWidth` bits, largest
  /// first: the batching primes of a BFV plaintext modulus, and the moduli
  /// of ``nttFriendlyPrimes(bitWidths:degree:)``.
  ///
  /// - Parameters:
  ///   - bitWidth: the bit size of each prime (any width from 2 to 62; fewer
  ///     primes, or none, where 2N is large next to 2^bitWidth).
  ///   - degree: the ring degree N (a power of two).
  ///   - count: the most primes wanted.
  ///   - excluded: primes to skip.
  /// - Complexity: about `bitWidth · ln 2 / 2` primality tests per prime, on average.
  public static func nttFriendlyPrimes(
    bitWidth bits: Int, degree: Int, atMost count: Int, excluding excluded: Set<UInt64> = []
  ) -> [UInt64] {
    guard (2...maximumBitWidth).contains(bits), degree >= 1, degree.nonzeroBitCount == 1 else { return [] }
    let step = UInt64(2 * degree)
    let lower = UInt64(1) << (bits - 1)
    // The largest k·2N + 1 below 2^bits.
    var candidate = ((UInt64(1) << bits) - 2) / step * step + 1
    var primes: [UInt64] = []
    while primes.count < count && candidate > lower {
      if !excluded.contains(candidate), isPrime(candidate) { primes.append(candidate) }
      candidate -= step
    }
    return primes
  }

  /// The smallest primitive 2N-th root of unity mod q (a ψ with ψ^N = −1).
  /// - Throws: ``PolyRingError/notNTTFriendly(modulus:degree:)`` when q is not
  ///   ≡ 1 mod 2N, ``PolyRingError/invalidModulus(_:)`` when q is not prime.
  public func primitiveRoot(degree: Int) throws(PolyRingError) -> UInt64 {
    guard isPrime else { throw .invalidModulus(value) }
    let order = UInt64(2 * degree)
    guard degree >= 1, degree.nonzeroBitCount == 1, (value - 1) % order == 0 else {
      throw .notNTTFriendly(modulus: value, degree: degree)
    }
    let cofactor = (value - 1) / order
    var smallest: UInt64? = nil
    // Any root of order exactly 2N generates all of them: ψ^(odd) are the others.
    var x: UInt64 = 2
    while x < value {
      let g = power(x, cofactor)
      if power(g, UInt64(degree)) == value - 1 {
        smallest = g
        break
      }
      x += 1
    }
    guard var root = smallest else { throw .notNTTFriendly(modulus: value, degree: degree) }
    // Take the smallest of the φ(2N) = N primitive roots, ψ^(2j+1), for
    // a choice that does not depend on the search order.
    let square = multiply(root, root)
    var candidate = root
    for _ in 0..<degree {
      if candidate < root { root = candidate }
      candidate = multiply(candidate, square)
    }
    return root
  }
}
