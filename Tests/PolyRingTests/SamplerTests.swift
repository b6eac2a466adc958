import Foundation
import Crypto
import Testing
import _CryptoExtras

@testable import PolyRing

@Suite struct SamplerTests {
  struct ChaChaVectors: Decodable {
    let rfc8439Block: String
    let seed: String
    let firstWords: [String]
    let uniformModulus: String
    let uniformDegree: Int
    let uniformFirstLimb: [String]
  }

  static func vectors() throws -> ChaChaVectors {
    try JSONDecoder().decode(ChaChaVectors.self, from: Data(contentsOf: vectorURL("chacha.json")))
  }

  static func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return out
  }

  /// RFC 8439 §2.3.2: key 00..1f, nonce 00 00 00 09 00 00 00 4a 00 00 00 00, counter 1.
  @Test func chachaBlockMatchesRFC8439() throws {
    let vectors = try SamplerTests.vectors()
    let nonce = try Insecure.ChaCha20CTR.Nonce(data: SamplerTests.bytes("000000090000004a00000000"))
    let block = SeededGenerator.keystream(key: SymmetricKey(data: Array(0..<32) as [UInt8]), nonce: nonce, counter: 1, count: 64)
    #expect(block == SamplerTests.bytes(vectors.rfc8439Block))
  }

  @Test func seededStreamAndUniformMatchKnownAnswers() throws {
    let vectors = try SamplerTests.vectors()
    var generator = try SeededGenerator(seed: SamplerTests.bytes(vectors.seed))
    let words = (0..<vectors.firstWords.count).map { _ in generator.next() }
    #expect(words == vectors.firstWords.compactMap { UInt64($0) })
    let q = try #require(UInt64(vectors.uniformModulus))
    let context = try PolyContext(degree: vectors.uniformDegree, moduli: [q])
    let a: Poly<Coeff> = try Sampler.uniform(in: context, seed: SamplerTests.bytes(vectors.seed))
    #expect(Array(a.limb(0)) == vectors.uniformFirstLimb.compactMap { UInt64($0) })
    // The same seed gives the same polynomial in either form.
    let e: Poly<Eval> = try Sampler.uniform(in: context, seed: SamplerTests.bytes(vectors.seed))
    #expect(e.data == a.data)
    #expect(throws: PolyRingError.invalidSeedLength(31)) {
      try SeededGenerator(seed: [UInt8](repeating: 0, count: 31))
    }
  }

  @Test("wipe() zeroes a generator's key and buffered keystream; random() generators differ")
  func generatorWipe() throws {
    var generator = SeededGenerator.random()
    let other = SeededGenerator.random()
    #expect(!generator.isWiped && !other.isWiped, "a random key is not all zero")
    var copy = other
    var second = other
    #expect(copy.next() == second.next())  // a copy continues the same stream
    #expect(generator.next() != copy.next())
    generator.wipe()
    #expect(generator.isWiped)
    // A generator that has drawn (a full keystream buffer) is wiped too, and
    // wiping does not touch the copy it was made from.
    second.wipe()
    #expect(second.isWiped && !copy.isWiped)
    var seeded = try SeededGenerator(seed: Array(0..<32))
    _ = seeded.next()
    #expect(!seeded.isWiped)
    seeded.wipe()
    #expect(seeded.isWiped)
  }

  @Test func freshSeedsDiffer() {
    let first = Sampler.randomSeed()
    let second = Sampler.randomSeed()
    #expect(first.count == 32 && first != second)
  }

  @Test func ternaryAndErrorDistributions() throws {
    let degree = 16384
    let context = try PolyContext(
      degree: degree, moduli: Modulus.nttFriendlyPrimes(bitWidths: [60, 40], degree: degree))
    var generator = testGenerator(50)
    func signed(_ p: Poly<Coeff>) -> [Int64] {
      let q0 = context.moduli[0].value
      let q1 = context.moduli[1].value
      return (0..<degree).map { j in
        let r = p.limb(0)[j]
        let value = r > q0 / 2 ? -Int64(q0 - r) : Int64(r)
        // Every limb carries the same small value.
        let r1 = p.limb(1)[j]
        #expect((value < 0 ? q1 - UInt64(-value) : UInt64(value)) == r1)
        return value
      }
    }
    let ternary = signed(Sampler.ternary(in: context, using: &generator))
    #expect(ternary.allSatisfy { (-1...1).contains($0) })
    for v: Int64 in [-1, 0, 1] {
      let share = Double(ternary.filter { $0 == v }.count) / Double(degree)
      #expect(abs(share - 1.0 / 3) < 0.03)
    }
    let errors = signed(Sampler.error(in: context, using: &generator))
    #expect(errors.allSatisfy { (-21...21).contains($0) })
    let mean = Double(errors.reduce(0, +)) / Double(degree)
    let variance = errors.map { pow(Double($0) - mean, 2) }.reduce(0, +) / Double(degree)
    #expect(abs(mean) < 0.15)
    #expect(abs(variance.squareRoot() - Sampler.errorStandardDeviation) < 0.1)
    // The CSPRNG variants run and stay in range.
    #expect(signed(Sampler.error(in: context)).allSatisfy { (-21...21).contains($0) })
    #expect(signed(Sampler.ternary(in: context)).allSatisfy { (-1...1).contains($0) })
  }
}
