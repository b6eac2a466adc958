import BigNum
import Foundation
import Testing
import _TestSupport

@Suite("Known answers")
struct KnownAnswerTests {
  @Test("small hand-checked arithmetic")
  func handChecked() throws {
    let a: BigInteger = 1234
    let b: BigInteger = -56
    #expect(a + b == 1178)
    #expect(a - b == 1290)
    #expect(a * b == -69104)
    #expect(-a == -1234)
    #expect(b.magnitude == 56)
    #expect(BigInteger(1) << 100 == (try BigInteger("1267650600228229401496703205376")))
    #expect((BigInteger(1) << 100) >> 99 == 2)
    #expect(BigInteger(-7) >> 1 == -4)  // arithmetic shift rounds down, as Int
    #expect(BigInteger(5) << -1 == 2)
    #expect(BigInteger(255).bitWidth == 8)
    #expect(BigInteger(256).bitWidth == 9)
    #expect(BigInteger(0).bitWidth == 0)
    #expect(BigInteger(-1).bitWidth == 1)
    #expect(BigInteger(5).bit(0) && !BigInteger(5).bit(1) && BigInteger(5).bit(2))
    #expect(BigInteger(-2).bit(70))  // two's complement: infinitely many ones
    #expect(BigInteger(40).trailingZeroBitCount == 3)
    #expect(try BigInteger(2).power(10) == 1024)
  }

  @Test("division: truncating / and %, floor, modulo", arguments: [
    (7, 2, 3, 1, 3, 1, 1), (-7, 2, -3, -1, -4, 1, 1), (7, -2, -3, 1, -4, -1, 1), (-7, -2, 3, -1, 3, -1, 1),
    (6, 3, 2, 0, 2, 0, 0),
  ])
  func division(_ c: (Int, Int, Int, Int, Int, Int, Int)) throws {
    let (n, d, tq, tr, fq, fr, mod) = c
    let a = BigInteger(n)
    let b = BigInteger(d)
    #expect(try a / b == BigInteger(tq))
    #expect(try a % b == BigInteger(tr))
    #expect(n / d == tq && n % d == tr)  // same as Swift's Int
    let floored = try a.flooredQuotientAndRemainder(dividingBy: b)
    #expect(floored.quotient == BigInteger(fq) && floored.remainder == BigInteger(fr))
    let truncated = try a.quotientAndRemainder(dividingBy: b)
    #expect(truncated.quotient == BigInteger(tq) && truncated.remainder == BigInteger(tr))
    #expect(try a.modulo(b) == BigInteger(mod))
  }

  @Test("modular arithmetic by hand: RSA with p = 61, q = 53")
  func toyRSA() throws {
    let n: BigInteger = 3233
    let e: BigInteger = 17
    let phi: BigInteger = 3120
    let d = try #require(e.inverse(modulo: phi))
    #expect(d == 2753)
    let c = try BigInteger(65).power(e, modulus: n)
    #expect(c == 2790)
    #expect(try c.power(d, modulus: n) == 65)
    #expect(try c.constantTimePower(d, modulus: n) == 65)
    #expect(try BigInteger(65).power(-1, modulus: n) == BigInteger(65).inverse(modulo: n))
    #expect(BigInteger(6).inverse(modulo: 9) == nil)
    #expect(BigInteger(12).greatestCommonDivisor(with: -18) == 6)
    #expect(BigInteger(4).leastCommonMultiple(with: 6) == 12)
    #expect(try BigInteger(3).constantTimePower(0, modulus: 7) == 1)
    #expect(try BigInteger(-2).constantTimePower(3, modulus: 7) == 6)  // (-8) mod 7
    #expect(try BigInteger(10).constantTimePower(5, modulus: 1) == 0)
  }

  @Test("primes")
  func primes() throws {
    #expect(BigInteger(2).isProbablePrime())
    #expect(BigInteger(97).isProbablePrime())
    #expect(!BigInteger(91).isProbablePrime())
    #expect(!BigInteger(1).isProbablePrime())
    #expect(!BigInteger(0).isProbablePrime())
    // 2^127 - 1 and 2^521 - 1 are Mersenne primes; 2^128 + 1 is not prime.
    #expect(((BigInteger(1) << 127) - 1).isProbablePrime())
    #expect(((BigInteger(1) << 521) - 1).isProbablePrime())
    #expect(!((BigInteger(1) << 128) + 1).isProbablePrime())
    // A Carmichael number fools Fermat, not Baillie-PSW + Miller-Rabin.
    #expect(!BigInteger(561).isProbablePrime())
    #expect(!(try BigInteger("3825123056546413051")).isProbablePrime())  // strong pseudoprime to bases 2..23
    #expect(BigInteger(89).nextPrime() == 97)
    #expect(BigInteger(-5).nextPrime() == 2)
  }

  @Test("encodings by hand")
  func encodings() throws {
    #expect(try BigInteger(65537).base64URLString() == "AQAB")
    #expect(try BigInteger(base64URL: "AQAB") == 65537)
    #expect(try BigInteger(base64URL: "AQ==") == 1)  // correct padding is tolerated
    #expect(try BigInteger(0).bigEndianBytes() == [])
    #expect(try BigInteger(258).bigEndianBytes() == [1, 2])
    #expect(try BigInteger(258).bigEndianBytes(minimumCount: 4) == [0, 0, 1, 2])
    #expect(try BigInteger(258).bigEndianBytes(count: 2) == [1, 2])
    #expect(BigInteger(bigEndianBytes: [0, 0, 1, 2]) == 258)
    #expect(BigInteger(-255).hexString == "-ff")
    #expect(try BigInteger("-0xFF", radix: 16) == -255)
    #expect(try BigInteger("+42") == 42)
    #expect(try BigInteger("z", radix: 36) == 35)
    #expect(BigInteger(-12345).description == "-12345")
    #expect(BigInteger(12345).toString(radix: 2) == "11000000111001")
    #expect(BigInteger(UInt128.max) == (BigInteger(1) << 128) - 1)
    #expect(BigInteger(Int128.min) == -(BigInteger(1) << 127))
    #expect(BigInteger(Int.min).intValue == Int.min)
    #expect((BigInteger(Int.max) + 1).intValue == nil)
    #expect(BigInteger(UInt.max).uintValue == UInt.max)
    #expect(BigInteger(-1).uintValue == nil)
    #expect(BigInteger(1 << 52).doubleValue == 4_503_599_627_370_496.0)
    #expect((BigInteger(1) << 2000).doubleValue == .infinity)
    let json = try JSONEncoder().encode(["n": BigInteger(-98_765_432_109_876_543)])
    #expect(String(decoding: json, as: UTF8.self) == #"{"n":"-98765432109876543"}"#)
    #expect(try JSONDecoder().decode([String: BigInteger].self, from: json)["n"] == BigInteger(-98_765_432_109_876_543))
  }

  // MARK: Vectors computed independently (Python's integers) in Tests/Vectors/BigNum

  struct Vectors: Decodable {
    struct ModPow: Decodable { let bits: Int; let base, exponent, modulus, result: String }
    struct Inverse: Decodable { let value, modulus, inverse: String }
    struct Division: Decodable { let dividend, divisor, tquot, trem, fquot, frem: String }
    struct GCD: Decodable { let a, b, gcd, lcm: String }
    struct Encoding: Decodable { let decimal, hex, base64url, bytes: String }
    struct NextPrime: Decodable { let start, next: String }
    let modpow: [ModPow]
    let inverse: [Inverse]
    let division: [Division]
    let gcd: [GCD]
    let encoding: [Encoding]
    let nextprime: [NextPrime]
  }

  static let vectors: Vectors = {
    do {
      return try JSONDecoder().decode(Vectors.self, from: vector("BigNum/bignum_vectors.json"))
    } catch {
      Issue.record("cannot load Tests/Vectors/BigNum/bignum_vectors.json: \(error)")
      return Vectors(modpow: [], inverse: [], division: [], gcd: [], encoding: [], nextprime: [])
    }
  }()

  @Test("modular powers up to 4096-bit moduli match the vectors")
  func modpowVectors() throws {
    #expect(Self.vectors.modpow.count == 12)
    #expect(Self.vectors.modpow.contains { $0.bits == 4096 })
    for v in Self.vectors.modpow {
      let base = try BigInteger(v.base, radix: 16)
      let exponent = try BigInteger(v.exponent, radix: 16)
      let modulus = try BigInteger(v.modulus, radix: 16)
      let expected = try BigInteger(v.result, radix: 16)
      #expect(try base.power(exponent, modulus: modulus) == expected, "\(v.bits)-bit modulus")
      if modulus.isOdd {
        #expect(try base.constantTimePower(exponent, modulus: modulus) == expected, "\(v.bits)-bit, constant time")
      }
    }
  }

  @Test("inverses, division, gcd/lcm, encodings and next primes match the vectors")
  func otherVectors() throws {
    let v = Self.vectors
    #expect(!v.inverse.isEmpty && !v.division.isEmpty && !v.gcd.isEmpty && !v.encoding.isEmpty)
    for x in v.inverse {
      let inverse = try BigInteger(x.value, radix: 16).inverse(modulo: BigInteger(x.modulus, radix: 16))
      #expect(inverse == (try BigInteger(x.inverse, radix: 16)))
    }
    for x in v.division {
      let (a, b) = (try BigInteger(x.dividend), try BigInteger(x.divisor))
      #expect(try (a / b) == BigInteger(x.tquot))
      #expect(try (a % b) == BigInteger(x.trem))
      let floored = try a.flooredQuotientAndRemainder(dividingBy: b)
      #expect(try floored.quotient == BigInteger(x.fquot))
      #expect(try floored.remainder == BigInteger(x.frem))
    }
    for x in v.gcd {
      let (a, b) = (try BigInteger(x.a), try BigInteger(x.b))
      #expect(a.greatestCommonDivisor(with: b) == (try BigInteger(x.gcd)))
      #expect(a.leastCommonMultiple(with: b) == (try BigInteger(x.lcm)))
    }
    for x in v.encoding {
      let n = try BigInteger(x.decimal)
      #expect(n.hexString == x.hex)
      #expect(try n.base64URLString() == x.base64url)
      let bytes = try n.bigEndianBytes()
      #expect(bytes.map { String(format: "%02x", $0) }.joined() == x.bytes)
      #expect(try BigInteger(base64URL: x.base64url) == n)
    }
    for x in v.nextprime {
      #expect(try BigInteger(x.start).nextPrime() == BigInteger(x.next))
    }
  }
}
