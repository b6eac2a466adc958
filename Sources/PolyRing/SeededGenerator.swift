import BigNum
import Crypto
import Foundation
import _CryptoExtras

/// A deterministic generator: the ChaCha20 keystream (RFC 8439, swift-crypto's
/// `Insecure.ChaCha20CTR`) under a 32-byte seed as key, a zero nonce, block
/// counter 0, 1, 2, …; each `next()` takes the next 8 keystream bytes as a
/// little-endian UInt64.
///
/// The same seed gives the same words on every machine, which is what lets a
/// receiver expand a seeded polynomial. Not for secret randomness unless the
/// seed itself is secret and fresh (``random()``).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  /// The seed length in bytes.
  public static let seedByteCount = 32

  /// The keystream drawn per refill: 1 KiB at first, doubling to 16 KiB, so a
  /// few draws cost little and a polynomial's many draws few calls.
  static let firstRefillBytes = 1 << 10
  static let largestRefillBytes = 16 << 10
  private static let zeros = [UInt8](repeating: 0, count: largestRefillBytes)
  private static let nonce: Insecure.ChaCha20CTR.Nonce = {
    do { return try .init(data: [UInt8](repeating: 0, count: 12)) } catch {
      preconditionFailure("a 12-byte ChaCha20 nonce is valid: \(error)")
    }
  }()

  private var key: SymmetricKey
  /// The next keystream block.
  private var counter: UInt32 = 0
  /// Buffered keystream words; `position` is the next one to hand out.
  private var buffer: [UInt64] = []
  private var position = 0
  private var refillBytes = firstRefillBytes

  /// A generator over `seed`.
  /// - Throws: ``PolyRingError/invalidSeedLength(_:)`` unless the seed is 32 bytes.
  public init(seed: [UInt8]) throws(PolyRingError) {
    guard seed.count == SeededGenerator.seedByteCount else { throw .invalidSeedLength(seed.count) }
    key = SymmetricKey(data: seed)
  }

  private init(key: SymmetricKey) { self.key = key }

  /// A generator keyed with 32 fresh bytes of the operating system's CSPRNG
  /// (the bytes are zeroed once the key holds them; the key's own memory is
  /// zeroed when it is released). For secret randomness (an encryption's u
  /// and errors); call ``wipe()`` when done with it.
  public static func random() -> SeededGenerator {
    var bytes = [UInt8](repeating: 0, count: seedByteCount)
    defer { secureZero(&bytes) }
    bytes.withUnsafeMutableBytes { SecureRandom.fill($0) }
    return SeededGenerator(key: SymmetricKey(data: bytes))
  }

  /// Zeroes the buffered keystream and drops the key (whose memory
  /// swift-crypto zeroes when released) for the all-zero key. Do not draw
  /// from the generator again.
  public mutating func wipe() {
    key = SymmetricKey(data: [UInt8](repeating: 0, count: Self.seedByteCount))
    secureZero(&buffer)
    counter = 0
    position = buffer.count
  }

  /// Whether the key and the buffered keystream are all zero (tests of ``wipe()``).
  package var isWiped: Bool {
    key.withUnsafeBytes { $0.allSatisfy { $0 == 0 } } && buffer.allSatisfy { $0 == 0 }
  }

  /// The next 64 keystream bits.
  public mutating func next() -> UInt64 {
    if position == buffer.count { refill() }
    defer { position += 1 }
    return buffer[position]
  }

  /// The keystream bytes of blocks `counter ..< counter + count / 64` under
  /// `key` and `nonce` (RFC 8439's ChaCha20 applied to zeros).
  package static func keystream(
    key: SymmetricKey, nonce: Insecure.ChaCha20CTR.Nonce, counter: UInt32, count: Int
  ) -> [UInt8] {
    var data = encrypt(zeros: count, key: key, nonce: nonce, counter: counter)
    defer { data.withUnsafeMutableBytes { secureZero($0) } }
    return [UInt8](data)
  }

  private static func encrypt(
    zeros count: Int, key: SymmetricKey, nonce: Insecure.ChaCha20CTR.Nonce, counter: UInt32
  ) -> Data {
    do {
      return try Insecure.ChaCha20CTR.encrypt(
        zeros.prefix(count), using: key, counter: .init(offset: counter), nonce: nonce)
    } catch {
      preconditionFailure("ChaCha20 with a 32-byte key and a 12-byte nonce does not fail: \(error)")
    }
  }

  private mutating func refill() {
    let bytes = refillBytes
    var stream = Self.encrypt(zeros: bytes, key: key, nonce: Self.nonce, counter: counter)
    // 2^32 blocks (256 GiB) per seed: far beyond any polynomial.
    counter &+= UInt32(bytes / 64)
    secureZero(&buffer)
    buffer = [UInt64](repeating: 0, count: bytes / 8)
    stream.withUnsafeMutableBytes { raw in
      for i in buffer.indices {
        buffer[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
      }
      secureZero(raw)
    }
    position = 0
    refillBytes = min(2 * refillBytes, Self.largestRefillBytes)
  }
}
