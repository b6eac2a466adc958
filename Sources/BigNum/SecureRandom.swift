internal import CGMP
import Synchronization  // Atomic, for the fork generation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The operating system's CSPRNG, buffered: one system call fills a 4 KiB block
/// that serves many draws.
///
/// On Linux the block comes from `getrandom(2)`, on Apple platforms from
/// `arc4random_buf`. Bytes handed out are zeroed in the buffer at once, and a
/// child process created by `fork` discards what its parent had buffered, so
/// two processes never share random bytes. Safe to use from any thread; all
/// instances share one buffer.
///
/// This is the default generator of every BigNum function that draws random
/// numbers; GMP's own generators are never used.
public struct SecureRandom: RandomNumberGenerator, Sendable {
  /// Unused: a stored byte gives `inout` accesses to a generator a real
  /// address. An empty struct's address is a placeholder that
  /// ThreadSanitizer's access instrumentation dereferences and crashes on.
  private var unused: UInt8 = 0

  public init() {}

  public mutating func next() -> UInt64 {
    var word: UInt64 = 0
    withUnsafeMutableBytes(of: &word) { SecureRandom.fill($0) }
    return word
  }

  /// Fills `buffer` with random bytes.
  public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
    // The destination is the caller's memory; the lock only guards the pool.
    nonisolated(unsafe) let destination = buffer
    pool.withLock { $0.fill(destination) }
  }

  /// How many system calls have refilled the buffer since the process started
  /// (for tests that check the buffering).
  public static var refillCount: Int { pool.withLock { $0.refills } }

  static let blockSize = 4096
  private static let pool = Locked(Pool())
}

/// Incremented in a forked child (see `pthread_atfork`), so the child refills.
private let forkGeneration = Atomic<Int>(0)

private let registerForkHandler: Void = {
  #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
    pthread_atfork(nil, nil) { forkGeneration.add(1, ordering: .relaxed) }
  #endif
}()

private struct Pool: ~Copyable {  // only touched under the lock
  var block = UnsafeMutableRawBufferPointer.allocate(byteCount: SecureRandom.blockSize, alignment: 16)
  var position = SecureRandom.blockSize  // empty until the first draw
  var generation = -1
  var refills = 0

  mutating func fill(_ destination: UnsafeMutableRawBufferPointer) {
    _ = registerForkHandler
    let current = forkGeneration.load(ordering: .relaxed)
    if current != generation {
      // First use, or a forked child holding its parent's bytes: discard them.
      cgmp_secure_zero(block.baseAddress, block.count)
      position = block.count
      generation = current
    }
    var written = 0
    while written < destination.count {
      if position == block.count {
        SecureRandom.systemFill(block)
        refills += 1
        position = 0
      }
      let count = min(destination.count - written, block.count - position)
      let source = UnsafeMutableRawBufferPointer(rebasing: block[position..<(position + count)])
      UnsafeMutableRawBufferPointer(rebasing: destination[written..<(written + count)])
        .copyMemory(from: UnsafeRawBufferPointer(source))
      cgmp_secure_zero(source.baseAddress, count)
      position += count
      written += count
    }
  }

  deinit { block.deallocate() }
}

extension SecureRandom {
  /// Fills `buffer` straight from the operating system, looping over short
  /// reads and interrupted calls.
  static func systemFill(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress else { return }
    #if canImport(Darwin)
      arc4random_buf(base, buffer.count)
    #else
      var done = 0
      while done < buffer.count {
        let got = getrandom(base + done, buffer.count - done, 0)
        if got > 0 {
          done += got
        } else if got < 0 && errno != EINTR {
          // getrandom(2) exists since Linux 3.17; without it, fall back to the
          // standard library's generator (itself the OS CSPRNG).
          var fallback = SystemRandomNumberGenerator()
          while done < buffer.count {
            buffer[done] = UInt8(truncatingIfNeeded: fallback.next())
            done += 1
          }
        }
      }
    #endif
  }
}
