import BigNum
import PolyRing

// Word loops shared by encryption, decryption, products and key switching:
// they work on limb-major buffers (limb i of a ring at offset i·N) that the
// callers own, so that a whole operation runs without intermediate
// polynomials. Every loop takes its pointers once; residues stay in [0, q_i)
// unless a comment says otherwise.

/// A scratch buffer of words, freed when the call that made it returns.
@inline(__always)
func withScratch<R, E: Error>(
  _ count: Int, _ body: (UnsafeMutablePointer<UInt64>) throws(E) -> R
) throws(E) -> R {
  let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
  defer { buffer.deallocate() }
  return try body(buffer)
}

/// Overwrites `byteCount` bytes with zeros before the memory is released
/// (secret randomness, phases), through BigNum's ``secureZero(_:)``.
@inline(__always)
func wipe(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
  secureZero(UnsafeMutableRawBufferPointer(start: pointer, count: byteCount))
}

/// An array of `count` words filled by `body` (no zeroing first).
@inline(__always)
func makeWords(_ count: Int, _ body: (UnsafeMutablePointer<UInt64>) -> Void) -> [UInt64] {
  [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
    body(buffer.baseAddress.unsafelyUnwrapped)
    initialized = count
  }
}

extension Poly {
  /// The residues as a read-only pointer for the duration of `body`.
  @inline(__always)
  func withWords<R>(_ body: (UnsafePointer<UInt64>) -> R) -> R {
    data.withUnsafeBufferPointer { body($0.baseAddress.unsafelyUnwrapped) }
  }
}

extension BFV.Parameters {
  /// out[i·N + j] = v_j mod q_i for small signed values v_j (|v_j| < q_i),
  /// plus Δ_i·m_j when a plaintext m is given (Δ = ⌊q_l/t⌋ of the level).
  func lift(
    _ values: UnsafePointer<Int64>, adding plaintext: [UInt64]?, into out: UnsafeMutablePointer<UInt64>,
    ring: PolyContext
  ) {
    let n = degree
    let moduli = ring.moduli
    let deltas = level(moduli.count).delta
    for (i, modulus) in moduli.enumerated() {
      let q = modulus.value
      let row = out + i &* n
      // v mod q without a branch: v, plus q when v is negative.
      for j in 0..<n {
        let v = values[j]
        row[j] = UInt64(bitPattern: v) &+ (q & UInt64(bitPattern: v &>> 63))
      }
      if let plaintext {
        let delta = deltas[i]
        plaintext.withUnsafeBufferPointer { m in
          for j in 0..<n {
            row[j] = modulus.add(row[j], modulus.multiply(m[j], by: delta))
          }
        }
      }
    }
  }

  /// out = a·b + c pointwise over the first `limbs` primes of q (a·b + c <
  /// q² + q: one single-word Barrett reduction).
  func multiplyAdd(
    _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ c: UnsafePointer<UInt64>,
    into out: UnsafeMutablePointer<UInt64>, ring: PolyContext
  ) {
    let n = degree
    for (i, modulus) in ring.moduli.enumerated() {
      let base = i &* n
      for j in base..<(base &+ n) {
        let product = UInt128(a[j]) &* UInt128(b[j]) &+ UInt128(c[j])
        out[j] = modulus.reduceBelowSquare(product)
      }
    }
  }
}
