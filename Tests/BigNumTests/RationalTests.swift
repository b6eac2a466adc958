import BigNum
import Testing

/// BigInteger's rationals: a Double as its exact fraction, scaled integers and
/// quotients back to the nearest Double, integer square roots.
@Suite("Rationals")
struct RationalTests {
  /// 2^e.
  static func two(_ e: Int) -> BigInteger { BigInteger(1) << e }

  /// The fraction's value rebuilt in Double arithmetic (exact: the numerator
  /// of a finite Double with a denominator above 1 has at most 53 bits).
  static func value(_ n: BigInteger, over d: BigInteger) -> Double? {
    guard d.signum() > 0, d.trailingZeroBitCount == d.bitWidth - 1 else { return nil }  // a power of two
    if d == 1 { return Double(n.toString()) }  // an integer: exactly representable, parsed correctly rounded
    guard let m = n.intValue, m.magnitude < 1 << 53 else { return nil }
    return Double(sign: .plus, exponent: -(d.bitWidth - 1), significand: Double(m))
  }

  @Test("fraction(exactly:): integers, halves, subnormals, negatives, extremes")
  func fractionKnownValues() throws {
    let cases: [(Double, BigInteger, BigInteger)] = [
      (0, 0, 1), (-0.0, 0, 1), (1, 1, 1), (5, 5, 1), (-7, -7, 1), (0.5, 1, 2), (-2.5, -5, 2), (0.75, 3, 4),
      (0x1p60, Self.two(60), 1), (0x1p-3, 1, 8),
      (.leastNonzeroMagnitude, 1, Self.two(1074)), (-.leastNonzeroMagnitude, -1, Self.two(1074)),
      (.leastNormalMagnitude, 1, Self.two(1022)), (0x1.8p-1070, 3, Self.two(1071)),
      (.greatestFiniteMagnitude, (Self.two(53) - 1) << 971, 1), (-.greatestFiniteMagnitude, -((Self.two(53) - 1) << 971), 1),
    ]
    for (x, n, d) in cases {
      let fraction = try #require(BigInteger.fraction(exactly: x))
      #expect(fraction.numerator == n && fraction.denominator == d, "\(x)")
    }
  }

  @Test("fraction(exactly:): nil for NaN and the infinities")
  func fractionNonFinite() {
    for x in [Double.nan, -.nan, .signalingNaN, .infinity, -.infinity] {
      #expect(BigInteger.fraction(exactly: x) == nil, "\(x)")
    }
  }

  @Test("fraction(exactly:) reproduces random Doubles exactly, in lowest terms")
  func fractionRoundTrips() throws {
    var generator = SeededGenerator(seed: 0xF4AC)
    for _ in 0..<2000 {
      let x = Double(bitPattern: generator.next())
      guard x.isFinite else { continue }
      let (n, d) = try #require(BigInteger.fraction(exactly: x))
      #expect(Self.value(n, over: d) == x, "\(x) as \(n)/\(d)")
      #expect(d == 1 || !n.isMultiple(of: 2), "\(x): \(n)/\(d) is not reduced")
      #expect(n.signum() == (x < 0 ? -1 : x > 0 ? 1 : 0))
      #expect(n.nearestDouble(timesPowerOfTwo: -(d.bitWidth - 1)) == x || !x.isNormal)  // subnormals round twice
    }
  }

  @Test("nearestDouble(timesPowerOfTwo:): exact values, ties to even, sticky bits, sign")
  func nearestDoubleRounding() {
    let two = Self.two
    let cases: [(BigInteger, Int, Double)] = [
      (0, 0, 0), (0, -5000, 0), (1, 0, 1), (3, -1, 1.5), (-3, -1, -1.5), (1, -1074, .leastNonzeroMagnitude),
      (1, 1023, 0x1p1023), ((two(53) - 1) << 971, 0, .greatestFiniteMagnitude),
      (two(53) + 1, 0, 0x1p53),  // a tie: to the even 2^53
      (two(53) + 3, 0, 0x1p53 + 4),  // a tie: to the even 2^53 + 4
      (-(two(53) + 1), 0, -0x1p53), (-(two(53) + 3), 0, -(0x1p53 + 4)),
      (two(54) + 2, 0, 0x1p54), (two(54) + 6, 0, 0x1p54 + 8), (two(54) + 3, 0, 0x1p54 + 4),
      (two(64) - 1, 0, 0x1p64), (two(64) + two(11), 0, 0x1p64),  // a tie at the word's edge
      (two(64) + two(11) + 1, 0, 0x1p64 + 0x1p12),  // just above the tie
      // Beyond 64 bits: the dropped bits must still break ties (sticky).
      (two(200) + two(147), 0, 0x1p200), (two(200) + two(147) + 1, 0, 0x1p200 + 0x1p148),
      (two(200) + two(148) + two(147), 0, 0x1p200 + 0x1p149), (-(two(200) + two(147) + 1), 0, -(0x1p200 + 0x1p148)),
      (two(200) + two(147) + 1, -150, 0x1p50 + 0x1p-2),
      (two(1000), 23, 0x1p1023), (two(1000), -2000, 0x1p-1000),
    ]
    for (x, k, expected) in cases {
      #expect(x.nearestDouble(timesPowerOfTwo: k) == expected, "\(x) · 2^\(k)")
    }
  }

  @Test("nearestDouble(timesPowerOfTwo:): beyond the range, ±infinity or 0")
  func nearestDoubleRange() {
    let two = Self.two
    #expect(two(1024).nearestDouble() == .infinity)
    #expect((-two(1024)).nearestDouble() == -.infinity)
    #expect(BigInteger(1).nearestDouble(timesPowerOfTwo: 1024) == .infinity)
    #expect(BigInteger(-1).nearestDouble(timesPowerOfTwo: 5000) == -.infinity)
    #expect(two(100_000).nearestDouble() == .infinity)
    #expect((-two(100_000)).nearestDouble(timesPowerOfTwo: 10) == -.infinity)
    #expect(two(100_000).nearestDouble(timesPowerOfTwo: -99_990) == 0x1p10)
    // Halfway between the greatest finite Double and 2^1024: ties to even, so infinity.
    #expect(((two(54) - 1) << 970).nearestDouble() == .infinity)
    #expect(((two(54) - 2) << 970).nearestDouble() == .greatestFiniteMagnitude)
    #expect(BigInteger(1).nearestDouble(timesPowerOfTwo: -1076) == 0)  // below half the least subnormal
    #expect(BigInteger(1).nearestDouble(timesPowerOfTwo: -5000) == 0)
  }

  @Test("nearestDouble(timesPowerOfTwo:) against Double's own correctly rounded conversions")
  func nearestDoubleAgainstDouble() throws {
    var generator = SeededGenerator(seed: 0xD0B1E)
    for _ in 0..<1000 {
      // Up to 64 bits: Double(Int64) rounds correctly; a power of two in the normal range is exact.
      let small = Int64(bitPattern: generator.next()) >> (generator.next() % 64)
      let k = Int(generator.next() % 400) - 200
      #expect(BigInteger(small).nearestDouble(timesPowerOfTwo: k) == Double(sign: .plus, exponent: k, significand: Double(small)))
      // Wider: Double(String) rounds the decimal correctly.
      let big = BigInteger.signedRandom(bits: 600, using: &generator)
      let parsed = try #require(Double(big.toString()))
      #expect(big.nearestDouble() == parsed, "\(big)")
      #expect(big.nearestDouble(timesPowerOfTwo: -300) == Double(sign: .plus, exponent: -300, significand: parsed))
    }
  }

  @Test("nearestDouble(dividedBy:): thirds, exact quotients, signs")
  func nearestDoubleQuotients() throws {
    #expect(try BigInteger(1).nearestDouble(dividedBy: 3) == 1.0 / 3)
    #expect(try BigInteger(2).nearestDouble(dividedBy: 3) == 2.0 / 3)
    #expect(try BigInteger(-1).nearestDouble(dividedBy: 3) == -1.0 / 3)
    #expect(try BigInteger(1).nearestDouble(dividedBy: -3) == -1.0 / 3)
    #expect(try BigInteger(-10).nearestDouble(dividedBy: -4) == 2.5)
    #expect(try BigInteger(0).nearestDouble(dividedBy: 7) == 0)
    #expect(try (Self.two(3000) + 1).nearestDouble(dividedBy: Self.two(2990)) == 1024)
    #expect(try Self.two(2000).nearestDouble(dividedBy: 3) == .infinity)
    #expect(try BigInteger(1).nearestDouble(dividedBy: Self.two(2000)) == 0)
    // 10^40 / 7^20: both wide, neither a Double; compared with the decimal parsed correctly.
    let quotient = try BigInteger("10000000000000000000000000000000000000000").nearestDouble(dividedBy: BigInteger(7).power(20))
    #expect(quotient == 1.2532542894196849e+23)  // Python: float(Fraction(10**40, 7**20))
  }

  @Test("nearestDouble(dividedBy:) equals Double division where both operands are Doubles")
  func nearestDoubleAgainstDivision() throws {
    var generator = SeededGenerator(seed: 0xD1F)
    for _ in 0..<2000 {
      // Numerator and divisor exactly representable: IEEE division rounds their exact quotient once.
      let a = Int64(bitPattern: generator.next()) >> 11
      let b = Int64(bitPattern: generator.next()) >> (11 + generator.next() % 50)
      guard b != 0 else { continue }
      let (sa, sb) = (Int(generator.next() % 300), Int(generator.next() % 300))
      let expected = Double(sign: .plus, exponent: sa, significand: Double(a)) / Double(sign: .plus, exponent: sb, significand: Double(b))
      #expect(try (BigInteger(a) << sa).nearestDouble(dividedBy: BigInteger(b) << sb) == expected, "\(a)·2^\(sa) / \(b)·2^\(sb)")
    }
  }

  @Test("nearestDouble(dividedBy:): a remainder below the kept bits still breaks a tie")
  func quotientJustAboveTie() throws {
    // (2^53 + 1 + 1/b): just above the tie between 2^53 and 2^53 + 2, so 2^53 + 2.
    let b = Self.two(20) + 1
    let a = (Self.two(53) + 1) * b + 1
    // Just above the tie: the remainder's sticky bit rounds it up, not to the even 2^53.
    let (up, down) = (try a.nearestDouble(dividedBy: b), try (-a).nearestDouble(dividedBy: b))
    #expect(up == 0x1p53 + 2)
    #expect(down == -(0x1p53 + 2))
    #expect(try (a - 2).nearestDouble(dividedBy: b) == 0x1p53)  // just below the tie
  }

  @Test("nearestDouble(dividedBy:) throws divisionByZero")
  func divisionByZero() {
    #expect(throws: BigNumError.divisionByZero) { try BigInteger(1).nearestDouble(dividedBy: 0) }
    #expect(throws: BigNumError.divisionByZero) { try BigInteger(0).nearestDouble(dividedBy: 0) }
  }

  @Test("squareRootFloor(): perfect squares, their neighbours, negatives")
  func squareRootSmall() throws {
    for r in [0, 1, 2, 3, 7, 100, 65535, 65536, 3_037_000_499] as [Int] {
      let s = BigInteger(r).squared()
      #expect(try s.squareRootFloor() == BigInteger(r))
      if r > 0 {
        #expect(try (s + 1).squareRootFloor() == BigInteger(r))
        #expect(try (s - 1).squareRootFloor() == BigInteger(r - 1))
      }
      #expect(try (s + 2 * BigInteger(r)).squareRootFloor() == BigInteger(r))  // (r+1)² − 1
    }
    #expect(throws: BigNumError.negativeValue) { try BigInteger(-1).squareRootFloor() }
    #expect(throws: BigNumError.negativeValue) { try (-Self.two(200)).squareRootFloor() }
  }

  @Test("squareRootFloor() of large values against Newton's iteration")
  func squareRootLarge() throws {
    /// ⌊√n⌋ by Newton's method on integers, from above.
    func newton(_ n: BigInteger) throws -> BigInteger {
      if n < 2 { return n }
      var x = BigInteger(1) << ((n.bitWidth + 1) / 2)  // ≥ √n
      while true {
        let y = try (x + n / x) >> 1
        if !(y < x) { return x }
        x = y
      }
    }
    var generator = SeededGenerator(seed: 0x5087)
    for bits in [1, 2, 63, 64, 65, 127, 128, 129, 500, 1000, 4097] {
      let n = try BigInteger.random(bitWidth: bits, using: &generator)
      let root = try n.squareRootFloor()
      #expect(root == (try newton(n)), "\(bits) bits")
      #expect(root.squared() <= n && n < (root + 1).squared())
      let square = n.squared()
      #expect(try square.squareRootFloor() == n)
      if n.signum() > 0 { #expect(try (square - 1).squareRootFloor() == n - 1) }
    }
  }
}
