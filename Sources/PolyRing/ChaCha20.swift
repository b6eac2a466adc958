import BigNum

/// The ChaCha20 block function of RFC 8439, §2.3: the pseudorandom function
/// that expands a 32-byte seed into PolyRing's deterministic samples.
///
/// Standard and byte-exact across machines (little-endian words, as the RFC
/// specifies), so a receiver holding the seed expands the same polynomial.
struct ChaCha20: Sendable {
  /// The key as eight little-endian words (a variable, so that a secret key can be wiped).
  var key: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
  /// The 96-bit nonce as three little-endian words.
  let nonce: (UInt32, UInt32, UInt32)

  init(key: [UInt8], nonce: [UInt8]) {
    assert(key.count == 32 && nonce.count == 12)
    func word(_ bytes: [UInt8], _ i: Int) -> UInt32 {
      UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16
        | UInt32(bytes[4 * i + 3]) << 24
    }
    self.key = (
      word(key, 0), word(key, 1), word(key, 2), word(key, 3),
      word(key, 4), word(key, 5), word(key, 6), word(key, 7)
    )
    self.nonce = (word(nonce, 0), word(nonce, 1), word(nonce, 2))
  }

  /// Writes the 16 output words of block `counter` (RFC 8439's serialized
  /// block, read as little-endian words).
  func block(counter: UInt32, into out: UnsafeMutablePointer<UInt32>) {
    let initial: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                  UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
      0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574,
      key.0, key.1, key.2, key.3, key.4, key.5, key.6, key.7,
      counter, nonce.0, nonce.1, nonce.2
    )
    var x = initial
    @inline(__always) func quarter(
      _ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32, _ d: inout UInt32
    ) {
      a &+= b; d ^= a; d = d.rotatedLeft(16)
      c &+= d; b ^= c; b = b.rotatedLeft(12)
      a &+= b; d ^= a; d = d.rotatedLeft(8)
      c &+= d; b ^= c; b = b.rotatedLeft(7)
    }
    for _ in 0..<10 {
      quarter(&x.0, &x.4, &x.8, &x.12)
      quarter(&x.1, &x.5, &x.9, &x.13)
      quarter(&x.2, &x.6, &x.10, &x.14)
      quarter(&x.3, &x.7, &x.11, &x.15)
      quarter(&x.0, &x.5, &x.10, &x.15)
      quarter(&x.1, &x.6, &x.11, &x.12)
      quarter(&x.2, &x.7, &x.8, &x.13)
      quarter(&x.3, &x.4, &x.9, &x.14)
    }
    out[0] = x.0 &+ initial.0; out[1] = x.1 &+ initial.1
    out[2] = x.2 &+ initial.2; out[3] = x.3 &+ initial.3
    out[4] = x.4 &+ initial.4; out[5] = x.5 &+ initial.5
    out[6] = x.6 &+ initial.6; out[7] = x.7 &+ initial.7
    out[8] = x.8 &+ initial.8; out[9] = x.9 &+ initial.9
    out[10] = x.10 &+ initial.10; out[11] = x.11 &+ initial.11
    out[12] = x.12 &+ initial.12; out[13] = x.13 &+ initial.13
    out[14] = x.14 &+ initial.14; out[15] = x.15 &+ initial.15
  }
}

extension UInt32 {
  @inline(__always) fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 {
    (self &<< count) | (self &>> (32 &- count))
  }
}

/// A deterministic generator: the ChaCha20 keystream (RFC 8439) under a
/// 32-byte seed as key, a zero nonce, block counter 0, 1, 2, …; each `next()`
/// takes the next 8 keystream bytes as a little-endian UInt64.
///
/// The same seed gives the same words on every machine, which is what lets a
/// receiver expand a seeded polynomial. Not for secret randomness unless the
/// seed itself is secret and fresh (use ``Sampler/randomSeed()``).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  /// The seed length in bytes.
  public static let seedByteCount = 32

  private var cipher: ChaCha20
  private var counter: UInt32 = 0
  private var buffer = [UInt32](repeating: 0, count: 16)
  private var position = 8  // in UInt64 words; 8 means "refill"

  /// A generator over `seed`.
  /// - Throws: ``PolyRingError/invalidSeedLength(_:)`` unless the seed is 32 bytes.
  public init(seed: [UInt8]) throws(PolyRingError) {
    guard seed.count == SeededGenerator.seedByteCount else {
      throw .invalidSeedLength(seed.count)
    }
    cipher = ChaCha20(key: seed, nonce: [UInt8](repeating: 0, count: 12))
  }

  private init(cipher: ChaCha20) { self.cipher = cipher }

  /// A generator keyed with 32 fresh bytes of the operating system's CSPRNG,
  /// written straight into its key words: no seed array exists to be copied
  /// or left in freed memory. For secret randomness (an encryption's u and
  /// errors); call ``wipe()`` when done with it.
  public static func random() -> SeededGenerator {
    let zeros = [UInt8](repeating: 0, count: seedByteCount)
    var generator = SeededGenerator(cipher: ChaCha20(key: zeros, nonce: [UInt8](repeating: 0, count: 12)))
    withUnsafeMutableBytes(of: &generator.cipher.key) { SecureRandom.fill($0) }
    return generator
  }

  /// Zeroes the key and the buffered keystream (for a generator of secret
  /// randomness, before it is dropped). The generator then produces the
  /// keystream of the all-zero key: do not draw from it again.
  public mutating func wipe() {
    withUnsafeMutableBytes(of: &cipher.key) { secureZero($0) }
    secureZero(&buffer)
    counter = 0
    position = 8
  }

  /// Whether the key and the buffered keystream are all zero (tests of ``wipe()``).
  package var isWiped: Bool {
    let key = withUnsafeBytes(of: cipher.key) { $0.allSatisfy { $0 == 0 } }
    return key && buffer.allSatisfy { $0 == 0 }
  }

  /// The next 64 keystream bits.
  public mutating func next() -> UInt64 {
    if position == 8 {
      let (cipher, counter) = (self.cipher, self.counter)
      buffer.withUnsafeMutableBufferPointer {
        cipher.block(counter: counter, into: $0.baseAddress.unsafelyUnwrapped)
      }
      // 2^32 blocks (256 GiB) per seed: far beyond any polynomial.
      self.counter = counter &+ 1
      position = 0
    }
    let word = UInt64(buffer[2 * position]) | UInt64(buffer[2 * position + 1]) << 32
    position += 1
    return word
  }
}
