import _CNTL
import Foundation

@testable import PolyRing

/// Where the known-answer vectors live, found from this file's path.
func vectorURL(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Vectors/PolyRing/\(name)")
}

/// A reproducible generator for test inputs.
func testGenerator(_ label: UInt8) -> SeededGenerator {
  var seed = [UInt8](repeating: 0, count: 32)
  seed[0] = label
  return try! SeededGenerator(seed: seed)  // 32 bytes: cannot fail
}

/// Random residues below q.
func randomResidues(_ count: Int, _ q: UInt64, using generator: inout SeededGenerator) -> [UInt64]
{
  (0..<count).map { _ in UInt64.random(in: 0..<q, using: &generator) }
}

/// Schoolbook product mod (X^N + 1, q), the oracle for small N.
func schoolbookProduct(_ a: [UInt64], _ b: [UInt64], _ q: UInt64) -> [UInt64] {
  let n = a.count
  var c = [UInt64](repeating: 0, count: n)
  for i in 0..<n {
    for j in 0..<n {
      let p = UInt64((UInt128(a[i]) * UInt128(b[j])) % UInt128(q))
      let k = i + j
      if k < n {
        c[k] = UInt64((UInt128(c[k]) + UInt128(p)) % UInt128(q))
      } else {
        c[k - n] = UInt64((UInt128(c[k - n]) + UInt128(q - p)) % UInt128(q))
      }
    }
  }
  return c
}

/// NTL's negacyclic product (zz_pX up to 60 bits, ZZ_pX above).
func ntlProduct(_ a: [UInt64], _ b: [UInt64], _ q: UInt64) -> [UInt64]? {
  var c = [UInt64](repeating: 0, count: a.count)
  let status = cntl_negacyclic_multiply(a.count, q, a, b, &c)
  return status == 0 ? c : nil
}

/// PolyRing's product of two single-limb polynomials via the NTT.
func nttProduct(_ a: [UInt64], _ b: [UInt64], _ context: PolyContext) throws -> [UInt64] {
  let pa = try Poly<Coeff>(context: context, limbs: [a]).forwardNTT()
  let pb = try Poly<Coeff>(context: context, limbs: [b]).forwardNTT()
  return Array(try (pa * pb).inverseNTT().limb(0))
}
