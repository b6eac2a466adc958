import PolyRing

// Key switching by RNS digits (relinearisation, rotations): one digit per
// prime of q, the residue [c]_{q_i} lifted to every prime, against key rows
// (−a_i·s + e_i + g_i·s', a_i) with g_i the CRT idempotent.
//
// Target prime by target prime: the L digits are brought to q_j and
// transformed into a scratch of L limbs (the digit of q_j itself is c's own
// limb j, already in evaluation form when the caller has it), then one pass
// sums the L products with b_i and with a_i in UInt128 and reduces once.
// L² − L transforms when c's evaluation form is given, L² otherwise; the
// scratch (L·N words) stays in cache across the L targets.

extension BFV.Parameters {
  /// (out0, out1) = (add0 + Σ_i d_i·b_i, add1 + Σ_i d_i·a_i) in evaluation
  /// form over q, where d_i is the digit [c]_{q_i} of c.
  /// - Parameters:
  ///   - coefficients: c in coefficient form (L limbs over q).
  ///   - evaluation: c in evaluation form, when the caller has it (saves L NTTs).
  ///   - add0, add1: polynomials (evaluation form) added to the results, or nil.
  ///   - out0, out1: the results, L limbs each; they may be `add0`, `add1`.
  func keySwitch(
    coefficients: UnsafePointer<UInt64>, evaluation: UnsafePointer<UInt64>?, key: BFV.KeySwitchingKey,
    adding add0: UnsafePointer<UInt64>?, _ add1: UnsafePointer<UInt64>?,
    into out0: UnsafeMutablePointer<UInt64>, _ out1: UnsafeMutablePointer<UInt64>
  ) {
    let n = degree
    let ring = self.ring
    let moduli = ring.moduli
    let l = moduli.count
    let size = ring.wordCount
    let unreduced = digitsNeedNoReduction
    key.b.withUnsafeBufferPointer { keyB in
      key.a.withUnsafeBufferPointer { keyA in
        let b = keyB.baseAddress.unsafelyUnwrapped
        let a = keyA.baseAddress.unsafelyUnwrapped
        withScratch(l * n) { scratch in
          withUnsafeTemporaryAllocation(of: UnsafePointer<UInt64>.self, capacity: 3 * l) { pointers in
            let digits = pointers.baseAddress.unsafelyUnwrapped
            let rows = digits + l
            for j in 0..<l {
              let modulus = moduli[j]
              let table = ring.nttTables[j]
              // Digit i mod q_j, transformed with q_j's table.
              for i in 0..<l {
                if i == j, let evaluation {
                  digits[i] = evaluation + j &* n
                  continue
                }
                let slot = scratch + i &* n
                let source = coefficients + i &* n
                if unreduced || i == j {
                  slot.update(from: source, count: n)  // below 4·q_j: the NTT's input range
                } else {
                  for m in 0..<n { slot[m] = modulus.reduce(source[m]) }
                }
                table.forward(limb: slot)
                digits[i] = UnsafePointer(slot)
              }
              // Σ_i d_i·b_i[j], Σ_i d_i·a_i[j]: L ≤ 16 products below 2^124
              // plus one residue stay below 2^128.
              let row = j &* n
              for i in 0..<l {
                rows[i] = b + (i &* size &+ row)
                rows[l &+ i] = a + (i &* size &+ row)
              }
              modulus.sumsOfProducts(
                digits, rows, terms: l, adding: add0.map { $0 + row }, add1.map { $0 + row },
                into: out0 + row, out1 + row, count: n)
            }
          }
        }
      }
    }
  }
}
