import BigNum
import Foundation
import Testing

@Suite("Randomness and primes")
struct RandomTests {
  @Test("random(bitWidth:) stays in range and uses every bit")
  func bitWidths() throws {
    for bits in [0, 1, 7, 64, 65, 1000] {
      var widest = 0
      var odd = 0
      for _ in 0..<64 {
        let r = try BigInteger.random(bitWidth: bits)
        #expect(r.signum() >= 0 && r.bitWidth <= bits)
        widest = max(widest, r.bitWidth)
        if r.isOdd { odd += 1 }
      }
      // Each miss below has probability 2^-64 (top bit) or about 1e-9 (low bit).
      #expect(widest == bits, "the top bit is reached at \(bits) bits")
      if bits > 0 { #expect((8...56).contains(odd), "\(odd) of 64 draws odd") }
    }
  }

  @Test("random(below:) is uniform over a small range (chi-square)")
  func uniformBelow() throws {
    var counts = [Int](repeating: 0, count: 10)
    let draws = 20_000
    for _ in 0..<draws { counts[try BigInteger.random(below: 10).intValue!] += 1 }
    let expected = Double(draws) / 10
    let chiSquare = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
    #expect(chiSquare < 35, "chi-square \(chiSquare) with 9 degrees of freedom (p < 1e-4 above 33.7)")
    let bound = (BigInteger(1) << 300) + 12345
    for _ in 0..<200 {
      let r = try BigInteger.random(below: bound)
      #expect(r.signum() >= 0 && r < bound)
    }
  }

  @Test("a seeded generator gives reproducible draws; the CSPRNG does not repeat")
  func generators() throws {
    var g1 = SeededGenerator(seed: 42)
    var g2 = SeededGenerator(seed: 42)
    #expect(try BigInteger.random(bitWidth: 500, using: &g1) == BigInteger.random(bitWidth: 500, using: &g2))
    #expect(try BigInteger.randomPrime(bitWidth: 128, using: &g1) == BigInteger.randomPrime(bitWidth: 128, using: &g2))
    #expect(try BigInteger.random(bitWidth: 256) != BigInteger.random(bitWidth: 256))
  }

  @Test("SecureRandom refills its buffer once per 4 KiB, not once per word")
  func buffering() throws {
    var generator = SecureRandom()
    // Drain whatever is buffered so the count below starts at a block boundary.
    var scratch = [UInt8](repeating: 0, count: 4096)
    scratch.withUnsafeMutableBytes { SecureRandom.fill($0) }
    let before = SecureRandom.refillCount
    for _ in 0..<512 { _ = generator.next() }  // exactly 4096 bytes
    let words = SecureRandom.refillCount - before
    // Other suites draw concurrently (key generation, every BFV encryption's
    // seed) and can only add refills: unbuffered, 512 words would take 512
    // calls; buffered, 1 plus what the others drew meanwhile. The bound of 4
    // failed once when other suites generated keys at the same time.
    #expect(words >= 1 && words <= 64, "512 words took \(words) system calls")
    let big = try BigInteger.random(bitWidth: 4096 * 8 * 4)  // 16 KiB in one draw
    #expect(big.bitWidth > 4096 * 8 * 4 - 64)
  }

  @Test("random primes have exactly the width asked for", arguments: [2, 3, 16, 64, 65, 256, 1024])
  func primeWidths(bits: Int) throws {
    let p = try BigInteger.randomPrime(bitWidth: bits)
    #expect(p.bitWidth == bits)
    #expect(p.isProbablePrime())
    if bits > 2 { #expect(p.isOdd) }
    if let small = p.intValue, small < 1 << 20 {
      #expect((2..<small).allSatisfy { small % $0 != 0 })
    }
  }
}
