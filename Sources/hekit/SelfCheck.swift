import HEKit

import Foundation

/// The checks `hekit demo` runs: each computes one identity two independent
/// ways with fresh random inputs and compares.
enum SelfCheck {
  struct Report {
    var passed = 0
    var failed = 0
  }

  static func run(bits: Int, log: (String) -> Void) throws -> Report {
    var report = Report()
    func check(_ name: String, _ body: () throws -> Bool) rethrows {
      let clock = ContinuousClock()
      var ok = false
      let elapsed = try clock.measure { ok = try body() }
      let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
      log("  \(ok ? "ok  " : "FAIL") \(name)  (\(String(format: "%.1f", ms)) ms)")
      if ok { report.passed += 1 } else { report.failed += 1 }
    }

    var p = BigInteger()
    var q = BigInteger()
    try check("two random \(bits / 2)-bit primes from the OS CSPRNG, distinct, exact width") {
      var generator = SecureRandom()
      p = try BigInteger.randomSecretPrime(bitWidth: bits / 2, using: &generator)
      q = try BigInteger.randomSecretPrime(bitWidth: bits / 2, using: &generator)
      return p != q && p.bitWidth == bits / 2 && q.bitWidth == bits / 2
    }
    let n = p * q
    let phi = (p - 1) * (q - 1)
    let m = try BigInteger.random(below: n)

    try check("Fermat: a^(p-1) = 1 mod p for a random a") {
      let a = try BigInteger.random(below: p - 2) + 2
      return try a.constantTimePower(p - 1, modulus: p) == 1
    }
    try check("RSA round trip: (m^e)^d = m mod n, e = 65537, d = e^-1 mod phi(n)") {
      guard let d = BigInteger(65537).inverse(modulo: phi) else { return phi.isMultiple(of: 65537) }
      let c = try m.power(65537, modulus: n)
      return try c.constantTimePower(d, modulus: n) == m
    }
    try check("CRT: m^d mod n equals the recombined m^d mod p and m^d mod q") {
      let d = try BigInteger.random(below: n)
      let direct = try m.constantTimePower(d, modulus: n)
      let mp = try m.constantTimePower(d, modulus: p)
      let mq = try m.constantTimePower(d, modulus: q)
      guard let qInverse = q.inverse(modulo: p) else { return false }
      let h = try ((mp - mq) * qInverse).modulo(p)
      return mq + h * q == direct
    }
    try check("constant-time and variable-time powers agree mod n^2") {
      let n2 = n.squared()
      let base = try BigInteger.random(below: n2)
      let exponent = try BigInteger.random(bitWidth: bits)
      return try base.power(exponent, modulus: n2) == base.constantTimePower(exponent, modulus: n2)
    }
    try check("Paillier identity: (1 + n)^m = 1 + m*n mod n^2") {
      let n2 = n.squared()
      return try (n + 1).power(m, modulus: n2) == (m * n + 1).modulo(n2)
    }
    try check("gcd(a, b) * lcm(a, b) = a * b for random a, b") {
      let a = try BigInteger.random(bitWidth: bits)
      let b = try BigInteger.random(bitWidth: bits)
      return a.greatestCommonDivisor(with: b) * a.leastCommonMultiple(with: b) == a * b
    }
    try check("floor and truncating division agree with q*d + r for signed operands") {
      let a = -(try BigInteger.random(bitWidth: bits))
      let truncated = try a.quotientAndRemainder(dividingBy: p)
      let floored = try a.flooredQuotientAndRemainder(dividingBy: p)
      return truncated.quotient * p + truncated.remainder == a
        && floored.quotient * p + floored.remainder == a
        && floored.remainder.signum() >= 0 && truncated.remainder.signum() <= 0
    }
    try check("encodings round trip: decimal, hex, big-endian bytes, base64url, JSON") {
      let json = try JSONEncoder().encode([n])
      return try BigInteger(n.description) == n && BigInteger(n.hexString, radix: 16) == n
        && BigInteger(bigEndianBytes: n.bigEndianBytes()) == n
        && BigInteger(base64URL: n.base64URLString()) == n
        && JSONDecoder().decode([BigInteger].self, from: json) == [n]
    }
    return report
  }
}
