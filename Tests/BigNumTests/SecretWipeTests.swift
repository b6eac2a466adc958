import CGMP
import Foundation
import Synchronization
import Testing

@testable import BigNum

/// Watches GMP's frees: installs allocation functions that behave exactly like
/// GMP's defaults (malloc/realloc/free) but, for one watched block, record
/// whether it was all zero when GMP freed it.
private enum FreeWatch {
  static let watched = Atomic<Int>(0)
  static let sawZeroed = Atomic<Int>(-1)  // -1 unseen, 0 non-zero, 1 zeroed
  static let installed: Void = {
    __gmp_set_memory_functions(
      { size in malloc(size) },
      { pointer, _, newSize in realloc(pointer, newSize) },
      { pointer, size in
        if let pointer, Int(bitPattern: pointer) == FreeWatch.watched.load(ordering: .relaxed) {
          let bytes = UnsafeRawBufferPointer(start: pointer, count: size)
          FreeWatch.sawZeroed.store(bytes.allSatisfy { $0 == 0 } ? 1 : 0, ordering: .relaxed)
        }
        free(pointer)
      })
  }()
}

@Suite("Secret memory", .serialized)
struct SecretWipeTests {
  /// Creates a value, records its limb address, drops it; returns what the
  /// free hook saw.
  private func observeRelease(secret: Bool) throws -> Int {
    _ = FreeWatch.installed
    FreeWatch.sawZeroed.store(-1, ordering: .relaxed)
    do {
      var value = try BigInteger.random(bitWidth: 2048) + 1
      if secret { value.markSecret() }
      value.withPointer { z in
        FreeWatch.watched.store(Int(bitPattern: z.pointee._mp_d), ordering: .relaxed)
      }
    }
    let seen = FreeWatch.sawZeroed.load(ordering: .relaxed)
    FreeWatch.watched.store(0, ordering: .relaxed)
    return seen
  }

  @Test("a secret integer's limbs are zero when GMP frees them; a public one's are not")
  func wipedOnRelease() throws {
    #expect(try observeRelease(secret: true) == 1)
    #expect(try observeRelease(secret: false) == 0)
  }

  @Test("secureZero zeroes an array in its own buffer and leaves a copy's bytes alone")
  func secureZeroArrays() {
    var secret: [UInt8] = Array(1...32)
    let copy = secret
    let address = secret.withUnsafeBytes { Int(bitPattern: $0.baseAddress) }
    var words: [UInt64] = [1, .max, 3]
    secureZero(&words)
    #expect(words == [0, 0, 0])
    secureZero(&secret)
    #expect(secret == [UInt8](repeating: 0, count: 32))
    // The buffer was shared with `copy`: copy-on-write gave `secret` a new one.
    #expect(secret.withUnsafeBytes { Int(bitPattern: $0.baseAddress) } != address)
    #expect(copy == Array(1...32))
    var empty: [UInt8] = []
    secureZero(&empty)
    #expect(empty.isEmpty)
  }
}
