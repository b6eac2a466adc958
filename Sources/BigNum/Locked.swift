#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value guarded by a POSIX mutex, for HEKit's own modules.
///
/// HEKit uses this rather than `Synchronization.Mutex` because
/// ThreadSanitizer understands pthread locks, while the toolchain's prebuilt
/// `Mutex` locks through futexes it cannot see: with `Mutex`, every access
/// under the lock is reported as a race, and real races would drown in them.
package final class Locked<Value: ~Copyable>: @unchecked Sendable {  // all access goes through the mutex
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  package init(_ value: consuming Value) {
    self.value = value
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value.
  package func withLock<Result: ~Copyable, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
