import BigNum
import Testing

@Suite("Value semantics and concurrency")
struct ValueSemanticsTests {
  @Test("mutating a copy leaves the original unchanged (copy-on-write)")
  func copyOnWrite() throws {
    let original = try BigInteger("123456789012345678901234567890")
    var copy = original
    copy += 1
    #expect(original == (try BigInteger("123456789012345678901234567890")))
    #expect(copy == original + 1)
    var shifted = original
    shifted <<= 3
    var product = original
    product *= product  // aliasing: both sides are the same storage
    var difference = original
    difference -= difference
    #expect(shifted == original * 8 && product == original * original && difference == 0)
    #expect(original == (try BigInteger("123456789012345678901234567890")))
    var secretCopy = original
    secretCopy.markSecret()
    #expect(secretCopy.isSecret && !original.isSecret && secretCopy == original)
  }

  @Test("secret marking propagates to results")
  func secretPropagation() throws {
    let key = BigInteger(12345).secret()
    let public_ = BigInteger(678)
    #expect((key + public_).isSecret && (public_ * key).isSecret && (-key).isSecret)
    #expect(try (public_.power(key, modulus: 1009)).isSecret)
    #expect(try (public_.constantTimePower(key, modulus: 1009)).isSecret)
    #expect(try (key.quotientAndRemainder(dividingBy: 7)).remainder.isSecret)
    #expect(!(public_ + public_).isSecret)
    var accumulator = public_
    accumulator += key
    #expect(accumulator.isSecret)
    #expect(String(reflecting: key) == "BigInteger(<secret, 14 bits>)")
  }

  @Test("many tasks sharing values compute the same as serial code")
  func concurrentUse() async throws {
    let modulus = try BigInteger.randomPrime(bitWidth: 512) * BigInteger.randomPrime(bitWidth: 512)
    let bases = try (0..<64).map { _ in try BigInteger.random(below: modulus) }
    let exponent = try BigInteger.random(bitWidth: 1024)
    let serial = try bases.map { try $0.power(exponent, modulus: modulus) }
    let parallel = try await withThrowingTaskGroup(of: (Int, BigInteger, BigInteger).self) { group in
      for (i, base) in bases.enumerated() {
        group.addTask {
          // Shared base, modulus and exponent are read concurrently; each task
          // also mutates its own copy of a shared value.
          var local = base
          local += modulus
          return (i, try base.power(exponent, modulus: modulus), try local.constantTimePower(exponent, modulus: modulus))
        }
      }
      var results = [BigInteger](repeating: 0, count: bases.count)
      for try await (i, variable, constant) in group {
        #expect(variable == constant)
        results[i] = variable
      }
      return results
    }
    #expect(parallel == serial)
    let randoms = await withTaskGroup(of: BigInteger.self) { group in
      for _ in 0..<32 { group.addTask { (try? BigInteger.random(bitWidth: 256)) ?? 0 } }
      var all = Set<BigInteger>()
      for await r in group { all.insert(r) }
      return all
    }
    #expect(randoms.count == 32)  // no two tasks were handed the same bytes
  }
}
