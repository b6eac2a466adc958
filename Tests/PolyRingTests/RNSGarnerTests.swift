import BigNum
import Testing

@testable import PolyRing

/// Centred CRT composition by Garner's mixed radix (words, then as wide as
/// the value is) against the big-integer composition, and the search for
/// batching primes of one width.
@Suite("RNS: Garner's centred composition, NTT-friendly primes")
struct RNSGarnerTests {
  static let int128Range = BigInteger(Int128.min)...BigInteger(Int128.max)

  /// `count` distinct NTT-friendly primes of `bits` bits.
  static func basis(_ count: Int, bits: Int) throws -> RNSBasis {
    try RNSBasis(Modulus.nttFriendlyPrimes(bitWidths: Array(repeating: bits, count: count), degree: 1024))
  }

  /// Both centred compositions of `residues` checked against `centered(compose(_:))`.
  static func check(_ basis: RNSBasis, _ residues: [UInt64], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let expected = basis.centered(try basis.compose(residues))
    #expect(basis.centered(residues: residues) == expected, sourceLocation: sourceLocation)
    let small = basis.centeredInt128(residues)
    if Self.int128Range.contains(expected) {
      #expect(small.map { BigInteger($0) } == expected, sourceLocation: sourceLocation)
    } else {
      #expect(small == nil, "\(expected) does not fit an Int128", sourceLocation: sourceLocation)
    }
  }

  @Test("random residues over 1 to 6 primes of 30 and 60 bits", arguments: [30, 60], 1...6)
  func randomResidues(bits: Int, count: Int) throws {
    let basis = try Self.basis(count, bits: bits)
    var generator = testGenerator(UInt8(bits + count))
    for _ in 0..<100 {
      try Self.check(basis, basis.moduli.map { UInt64.random(in: 0..<$0.value, using: &generator) })
    }
  }

  @Test("small signed values of every width round-trip through the residues", arguments: [30, 60], 1...6)
  func signedValues(bits: Int, count: Int) throws {
    let basis = try Self.basis(count, bits: bits)
    let half = basis.product >> 1
    var generator = testGenerator(UInt8(100 + bits + count))
    for width in stride(from: 0, through: 130, by: 5) {
      let magnitude = try BigInteger.random(bitWidth: width, using: &generator)
      for x in [magnitude, -magnitude] where x.magnitude <= half {
        let residues = basis.decompose(x)
        #expect(basis.centered(residues: residues) == x)
        #expect(basis.centeredInt128(residues).map { BigInteger($0) } == (Self.int128Range.contains(x) ? x : nil))
        try Self.check(basis, residues)
      }
    }
  }

  @Test("the ends: ±(Q−1)/2, 0, ±1, and Int128's own ends", arguments: [30, 60], 1...6)
  func boundaries(bits: Int, count: Int) throws {
    let basis = try Self.basis(count, bits: bits)
    let half = (basis.product - 1) >> 1  // Q is odd: centred values are −(Q−1)/2 ... (Q−1)/2
    for x in [half, -half, BigInteger(0), BigInteger(1), BigInteger(-1)] {
      #expect(basis.centered(residues: basis.decompose(x)) == x, "\(x)")
      try Self.check(basis, basis.decompose(x))
    }
    #expect(basis.centered(residues: basis.decompose(half + 1)) == -half)  // wraps to the other end
    for x in [BigInteger(Int128.max), BigInteger(Int128.min), BigInteger(Int128.max) + 1, BigInteger(Int128.min) - 1]
    where x.magnitude <= half {
      #expect(basis.centeredInt128(basis.decompose(x)).map { BigInteger($0) } == (Self.int128Range.contains(x) ? x : nil))
    }
  }

  @Test("centeredInt128 reduces residues of q_i or more")
  func unreducedResidues() throws {
    let basis = try Self.basis(3, bits: 60)
    var generator = testGenerator(7)
    for _ in 0..<50 {
      let x = BigInteger(Int64.random(in: .min ... .max, using: &generator))
      let residues = basis.decompose(x)
      let shifted = zip(residues, basis.moduli).map { $0 + $1.value }  // below 2^61: no overflow
      #expect(basis.centeredInt128(shifted).map { BigInteger($0) } == x)
    }
  }

  /// The primes ≡ 1 mod 2N of exactly `bits` bits, largest first, by walking
  /// every candidate with BigNum's primality test.
  static func reference(bits: Int, degree: Int, count: Int, excluding excluded: Set<UInt64>) -> [UInt64] {
    let step = UInt64(2 * degree)
    var candidate = ((UInt64(1) << bits) - 1) / step * step + 1
    if candidate >= UInt64(1) << bits { candidate -= step }
    var primes: [UInt64] = []
    while primes.count < count && candidate > UInt64(1) << (bits - 1) {
      if !excluded.contains(candidate) && BigInteger(candidate).isProbablePrime(rounds: 32) { primes.append(candidate) }
      candidate -= step
    }
    return primes
  }

  @Test(
    "nttFriendlyPrimes(bitWidth:degree:atMost:excluding:): 1 mod 2N, prime, that width, descending, complete",
    arguments: [(17, 4096), (20, 4096), (30, 8192), (40, 1024), (60, 4096), (62, 32768)])
  func batchingPrimes(bits: Int, degree: Int) throws {
    let primes = Modulus.nttFriendlyPrimes(bitWidth: bits, degree: degree, atMost: 6)
    #expect(!primes.isEmpty)
    for p in primes {
      #expect(p % UInt64(2 * degree) == 1, "\(p)")
      #expect(BigInteger(p).isProbablePrime(rounds: 32), "\(p)")
      #expect(UInt64.bitWidth - p.leadingZeroBitCount == bits, "\(p)")
    }
    #expect(zip(primes, primes.dropFirst()).allSatisfy { $0 > $1 })
    #expect(primes == Self.reference(bits: bits, degree: degree, count: 6, excluding: []))
    // Excluded primes are skipped, and the list goes on below them.
    let excluded: Set<UInt64> = [primes[0], primes[primes.count / 2]]
    let rest = Modulus.nttFriendlyPrimes(bitWidth: bits, degree: degree, atMost: 6, excluding: excluded)
    #expect(rest.allSatisfy { !excluded.contains($0) })
    #expect(rest == Self.reference(bits: bits, degree: degree, count: 6, excluding: excluded))
    #expect(Array(rest.prefix(primes.count - 2)) == primes.filter { !excluded.contains($0) })
    // The same primes as the list of widths takes, in the same order.
    let taken = min(3, primes.count)  // 17 bits at N = 4096: only 114689 and 65537
    let fromWidths = try Modulus.nttFriendlyPrimes(bitWidths: Array(repeating: bits, count: taken), degree: degree)
    #expect(fromWidths.map(\.value) == Array(primes.prefix(taken)))
  }

  @Test("nttFriendlyPrimes(bitWidth:…): none where there are none, none for bad input")
  func batchingPrimesEdges() {
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 14, degree: 4096, atMost: 5) == [])  // only 8193 = 3·2731
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 13, degree: 4096, atMost: 5) == [])  // 2N above 2^13
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 20, degree: 4096, atMost: 0) == [])
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 20, degree: 3000, atMost: 5) == [])  // N not a power of two
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 63, degree: 4096, atMost: 5) == [])  // above 62 bits
    #expect(Modulus.nttFriendlyPrimes(bitWidth: 1, degree: 1, atMost: 5) == [])
    // Few enough that the search runs out: exactly those of the reference.
    let few = Modulus.nttFriendlyPrimes(bitWidth: 16, degree: 4096, atMost: 100)
    #expect(few == Self.reference(bits: 16, degree: 4096, count: 100, excluding: []))
    #expect(few.count < 100)
  }
}
