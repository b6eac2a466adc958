import BigNum
import Foundation
import Testing

/// Algebraic laws over many random inputs (seeded, so a failure reproduces).
@Suite("Algebraic properties")
struct PropertyTests {
  static let seeds: [UInt64] = [1, 2, 3, 0xDEAD_BEEF]

  @Test("ring laws: commutativity, associativity, distributivity, identities", arguments: seeds)
  func ringLaws(seed: UInt64) {
    var g = SeededGenerator(seed: seed)
    for _ in 0..<200 {
      let a = BigInteger.signedRandom(bits: 700, using: &g)
      let b = BigInteger.signedRandom(bits: 700, using: &g)
      let c = BigInteger.signedRandom(bits: 300, using: &g)
      #expect(a + b == b + a && a * b == b * a)
      #expect((a + b) + c == a + (b + c) && (a * b) * c == a * (b * c))
      #expect(a * (b + c) == a * b + a * c, "seed \(seed)")
      #expect(a - a == 0 && a + 0 == a && a * 1 == a && -(-a) == a)
      #expect((a - b) + b == a)
      #expect(a.squared() == a * a)
      var d = a
      d += b
      d -= c
      d *= c
      #expect(d == (a + b - c) * c)
    }
  }

  @Test("division identities for both roundings", arguments: seeds)
  func divisionLaws(seed: UInt64) throws {
    var g = SeededGenerator(seed: seed)
    for _ in 0..<200 {
      let a = BigInteger.signedRandom(bits: 900, using: &g)
      var b = BigInteger.signedRandom(bits: 400, using: &g)
      if b.isZero { b = 1 }
      let t = try a.quotientAndRemainder(dividingBy: b)
      let f = try a.flooredQuotientAndRemainder(dividingBy: b)
      #expect(t.quotient * b + t.remainder == a && f.quotient * b + f.remainder == a)
      #expect(t.remainder.magnitude < b.magnitude && f.remainder.magnitude < b.magnitude)
      #expect(t.remainder.isZero || t.remainder.signum() == a.signum())
      #expect(f.remainder.isZero || f.remainder.signum() == b.signum())
      let m = try a.modulo(b)
      #expect(m.signum() >= 0 && m < b.magnitude && (a - m).isMultiple(of: b))
      #expect(try a / b == t.quotient && a % b == t.remainder)
      let shift = Int(g.next() % 200)
      #expect(a << shift == a * (BigInteger(1) << shift))
      #expect(a >> shift == (try a.flooredQuotientAndRemainder(dividingBy: BigInteger(1) << shift)).quotient)
    }
  }

  @Test("modular laws: (a*b) mod m, a * inverse(a) = 1, power rules, gcd * lcm", arguments: seeds)
  func modularLaws(seed: UInt64) throws {
    var g = SeededGenerator(seed: seed)
    for _ in 0..<60 {
      var m = try BigInteger.random(bitWidth: 512, using: &g) + 2
      let a = BigInteger.signedRandom(bits: 600, using: &g)
      let b = BigInteger.signedRandom(bits: 600, using: &g)
      #expect(try (a * b).modulo(m) == (try a.modulo(m) * b.modulo(m)).modulo(m))
      #expect(try (a + b).modulo(m) == (try a.modulo(m) + b.modulo(m)).modulo(m))
      if let inverse = a.inverse(modulo: m) {
        #expect(try (a * inverse).modulo(m) == 1)
        #expect(a.greatestCommonDivisor(with: m) == 1)
      } else {
        #expect(a.greatestCommonDivisor(with: m) != 1)
      }
      let e1 = try BigInteger.random(bitWidth: 300, using: &g)
      let e2 = try BigInteger.random(bitWidth: 300, using: &g)
      // a^(e1+e2) = a^e1 * a^e2 and (a^e1)^e2 = a^(e1*e2)
      #expect(try a.power(e1 + e2, modulus: m) == (try a.power(e1, modulus: m) * a.power(e2, modulus: m)).modulo(m))
      #expect(try a.power(e1, modulus: m).power(e2, modulus: m) == a.power(e1 * e2, modulus: m))
      var inPlace = a
      try inPlace.formPower(e1, modulus: m)
      #expect(try inPlace == a.power(e1, modulus: m))
      if !m.isOdd { m += 1 }
      #expect(try a.power(e1, modulus: m) == a.constantTimePower(e1, modulus: m))
      if !a.isZero && !b.isZero {
        #expect(a.greatestCommonDivisor(with: b) * a.leastCommonMultiple(with: b) == (a * b).magnitude)
      }
    }
  }

  @Test("every encoding round trips", arguments: seeds)
  func encodingRoundTrips(seed: UInt64) throws {
    var g = SeededGenerator(seed: seed)
    for _ in 0..<300 {
      let a = BigInteger.signedRandom(bits: 2000, using: &g)
      #expect(try BigInteger(a.description) == a)
      for radix in [2, 7, 16, 36] {
        #expect(try BigInteger(a.toString(radix: radix), radix: radix) == a)
      }
      let json = try JSONEncoder().encode([a])
      #expect(try JSONDecoder().decode([BigInteger].self, from: json) == [a])
      let n = a.magnitude
      #expect(BigInteger(bigEndianBytes: try n.bigEndianBytes()) == n)
      #expect(try BigInteger(base64URL: n.base64URLString()) == n)
      #expect(BigInteger(exactly: a) == a)
      if let small = a.intValue { #expect(BigInteger(small) == a) }
    }
  }

  @Test("hashing agrees with equality")
  func hashing() throws {
    var g = SeededGenerator(seed: 9)
    var set = Set<BigInteger>()
    for _ in 0..<500 { set.insert(BigInteger.signedRandom(bits: 100, using: &g)) }
    let copy = Set(try set.map { try BigInteger($0.description) })
    #expect(copy == set)
    #expect(Set([BigInteger(5), BigInteger(-5), BigInteger(5)]).count == 2)
  }
}

extension BigInteger {
  fileprivate init?(exactly value: BigInteger) { self = value }
}
