import BigNum

// Safe primes p = 2p' + 1 (p' prime too), for threshold keys: in Z*_{n²} with
// n = pq the squares then form a group of order n·p'·q' with no small
// factors, which the proofs of threshold decryption need.

extension Paillier {
  /// The offsets (in steps of 2) one sieve window covers.
  static let safePrimeSieveWindow = 1 << 14

  /// A random safe prime `p = 2p' + 1` of exactly `bitWidth` bits with its
  /// two top bits set (so the product of two has exactly `2 · bitWidth` bits),
  /// marked secret.
  ///
  /// Draws a random odd `p'` of `bitWidth − 1` bits and searches upwards from
  /// it: a sieve over the odd primes below 10,000 strikes out every `p'` for
  /// which `p'` or `2p' + 1` has a small factor, then base-2 Fermat tests
  /// screen the survivors, and a candidate is accepted only when both `p'` and
  /// `p` pass BigNum's Baillie–PSW and Miller–Rabin test
  /// (``BigInteger/isProbablePrime(rounds:)``). The search starts
  /// afresh from a new random `p'` when a window of 2^14 steps holds none.
  /// The sieve's residues are wiped before they are freed.
  ///
  /// - Parameter bitWidth: from 32 to ``maximumKeyBits``/2.
  /// - Throws: ``PaillierError/unsupportedKeySize(bits:)`` outside that range.
  /// - Complexity: the expected number of candidates grows with the square
  ///   of `bitWidth` (both `p'` and `2p' + 1` must be prime), each screened by
  ///   one power modulo a `bitWidth`-bit number; the slow part of dealing a
  ///   threshold key.
  public static func randomSafePrime(bitWidth: Int) throws(PaillierError) -> BigInteger {
    guard bitWidth >= 32, bitWidth <= maximumKeyBits / 2 else { throw .unsupportedKeySize(bits: bitWidth * 2) }
    var generator = SecureRandom()
    let oddPrimes = smallPrimes.dropFirst()  // 3, 5, 7, ..., 9973
    // p' has bitWidth − 1 bits, its two top bits set; so has p = 2p' + 1 at bitWidth.
    let top = BigInteger(3) << (bitWidth - 3)
    let limit = BigInteger(1) << (bitWidth - 1)
    var residues = [Int](repeating: 0, count: oddPrimes.count)
    var struck = [Bool](repeating: false, count: safePrimeSieveWindow)
    defer {
      secureZero(&residues)
      secureZero(&struck)
    }
    while true {
      let low = try PaillierError.wrap("safe prime") { () throws(BigNumError) in
        try BigInteger.randomSecret(bitWidth: bitWidth - 3, using: &generator)
      }
      var start = top + low
      if !start.isOdd { start += 1 }
      for (slot, r) in oddPrimes.enumerated() {
        residues[slot] = ((try? start % BigInteger(r)) ?? 0).intValue ?? 0
      }
      for k in 0..<struck.count { struck[k] = false }
      // Candidate k is p' = start + 2k. Strike k when r | p' (p' ≡ 0) or
      // r | 2p' + 1 (p' ≡ (r − 1)/2), both mod r; 2⁻¹ ≡ (r + 1)/2 mod r.
      for (slot, r) in oddPrimes.enumerated() {
        let halfInverse = (r + 1) / 2
        for target in [0, (r - 1) / 2] {
          let first = ((target - residues[slot] + r) % r) * halfInverse % r
          for k in stride(from: first, to: struck.count, by: r) { struck[k] = true }
        }
      }
      for k in 0..<struck.count where !struck[k] {
        let pPrime = start + BigInteger(2 * k)
        guard pPrime < limit else { break }
        let p = pPrime * 2 + 1
        guard fermatBaseTwo(pPrime), fermatBaseTwo(p) else { continue }
        guard pPrime.isProbablePrime(using: &generator), p.isProbablePrime(using: &generator) else { continue }
        return p
      }
    }
  }

  /// Whether `2^(x−1) ≡ 1 (mod x)`: a cheap screen before the full test.
  static func fermatBaseTwo(_ x: BigInteger) -> Bool {
    (try? BigInteger(2).power(x - 1, modulus: x)) == 1
  }

  /// Whether `p` is a safe prime: odd, with `p` and `(p − 1)/2` both probable primes.
  static func isSafePrime(_ p: BigInteger) -> Bool {
    guard p > 5, p.isOdd else { return false }
    return ((p - 1) >> 1).isProbablePrime() && p.isProbablePrime()
  }
}
