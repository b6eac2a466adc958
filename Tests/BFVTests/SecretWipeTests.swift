import Synchronization
import Testing

@testable import BFV
import PolyRing

/// What `BFV.SecretKey`'s release probe saw for one watched buffer.
private final class ReleaseWatch: Sendable {
  struct Seen: Sendable, Equatable {
    var released = false
    var zeroed = false
  }
  let address: Int
  let seen = Mutex(Seen())
  init(address: Int) { self.address = address }
}

@Suite("BFV secret key memory", .serialized)
struct SecretWipeTests {
  /// Builds a key with `make`, records where its s lives and that it is not
  /// zero, runs `use` on it, drops it; returns what the release probe saw
  /// for that buffer (`released` false: the buffer that held s was not the
  /// one the key wiped and freed: a copy was wiped, or none was).
  private func observeRelease(
    _ make: () throws -> BFV.SecretKey, use: (BFV.SecretKey) throws -> Void = { _ in }
  ) throws -> ReleaseWatch.Seen {
    var watch: ReleaseWatch?
    do {
      let key = try make()
      let (address, nonzero) = key.secret.data.withUnsafeBufferPointer { words in
        (Int(bitPattern: words.baseAddress), words.contains { $0 != 0 })
      }
      #expect(nonzero, "a ternary secret in NTT form is not all zero")
      let observer = ReleaseWatch(address: address)
      watch = observer
      BFV.SecretKey.releaseProbe.withLock {
        $0 = { words in
          guard Int(bitPattern: words.baseAddress) == observer.address else { return }
          let zeroed = words.allSatisfy { $0 == 0 }
          observer.seen.withLock { $0 = .init(released: true, zeroed: zeroed) }
        }
      }
      try use(key)
    }
    BFV.SecretKey.releaseProbe.withLock { $0 = nil }
    return watch?.seen.withLock { $0 } ?? .init()
  }

  @Test("a fresh key's s is zero in the buffer that held it when the key is released")
  func freshKey() throws {
    let seen = try observeRelease { BFV.SecretKey(parameters: Fixtures.tiny) }
    #expect(seen == .init(released: true, zeroed: true))
  }

  @Test("after serialising and deriving public, relinearisation and Galois keys, s is still wiped in place")
  func afterUse() throws {
    let seen = try observeRelease({ BFV.SecretKey(parameters: Fixtures.small) }) { key in
      _ = key.serialized()
      _ = key.publicKey()
      _ = key.relinearizationKey()
      _ = key.galoisKeys(steps: [1, 3])
      let encoder = BFV.Encoder(parameters: key.parameters)
      let ciphertext = try key.encrypt(encoder.encode([1, 2, 3] as [UInt64]))
      #expect(Array(try encoder.decode(key.decrypt(ciphertext)).prefix(3)) == [1, 2, 3])
    }
    #expect(seen == .init(released: true, zeroed: true))
  }

  @Test("a key read from its serialized form is wiped in place too")
  func deserializedKey() throws {
    let bytes = BFV.SecretKey(parameters: Fixtures.tiny).serialized()
    let seen = try observeRelease { try BFV.SecretKey(deserializing: bytes, parameters: Fixtures.tiny) }
    #expect(seen == .init(released: true, zeroed: true))
  }

  @Test("each encryption's generator (ChaCha20 key and keystream) is zero when the encryption returns")
  func encryptionGenerators() throws {
    let seen = Mutex<[Bool]>([])
    BFV.generatorProbe.withLock { $0 = { wiped in seen.withLock { $0.append(wiped) } } }
    defer { BFV.generatorProbe.withLock { $0 = nil } }
    let key = BFV.SecretKey(parameters: Fixtures.tiny)
    let encoder = BFV.Encoder(parameters: Fixtures.tiny)
    let plaintext = try encoder.encode([5, 6] as [UInt64])
    let fromPublic = try key.publicKey().encrypt(plaintext)
    let fromSecret = try key.encrypt(plaintext)
    for ciphertext in [fromPublic, fromSecret] {
      #expect(Array(try encoder.decode(key.decrypt(ciphertext)).prefix(2)) == [5, 6])
    }
    // Other suites may encrypt meanwhile (the probe is process-wide): every
    // report must say wiped, and these two encryptions made at least two.
    let reports = seen.withLock { $0 }
    #expect(reports.count >= 2 && reports.allSatisfy { $0 })
  }

  @Test("the check can fail: a second holder of s's buffer makes the wipe miss it")
  func detectsAMissedWipe() throws {
    var copy: Poly<Eval>?
    let seen = try observeRelease({ BFV.SecretKey(parameters: Fixtures.tiny) }) { key in copy = key.secret }
    // The wipe copied the shared buffer and zeroed the copy: the watched one
    // (still s, held by `copy`) was not what the key released.
    #expect(seen == .init(released: false, zeroed: false))
    #expect(copy?.data.contains { $0 != 0 } == true)
  }
}
