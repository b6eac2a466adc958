#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How many threads HEKit's batch work uses: Paillier batches, BFV batch
/// scoring, the command line's record chunks (everything that goes through
/// HEKit's one parallel loop).
///
/// By default batch work runs on every core. A lower ``threadLimit`` leaves
/// cores to other work, and can be faster on a machine that other processes
/// keep busy; `hekit bench --tune` measures each thread count on the machine
/// at hand and records the fastest in a tuning profile (see `TuningProfile`
/// in the hekit CLI), which the command line applies at startup.
///
/// ```swift
/// Parallelism.threadLimit = 1      // batch work on the calling thread only
/// let ciphertexts = try publicKey.encrypt(batch: values)
/// Parallelism.threadLimit = nil    // back to every core
/// ```
///
/// The setting is process-wide and safe to change from any thread; a batch
/// already running keeps the thread count it started with.
public enum Parallelism {
  private static let limit = Locked<Int?>(nil)

  /// The cores this process may run on (online processors).
  public static var availableCores: Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }

  /// The most threads one batch may use; `nil` (the default) means every
  /// core. Values below 1 count as 1; values above ``availableCores`` as
  /// ``availableCores`` (more threads than cores cannot run at once).
  public static var threadLimit: Int? {
    get { limit.withLock { $0 } }
    set { limit.withLock { $0 = newValue.map { max(1, $0) } } }
  }

  /// The threads a batch uses now: ``threadLimit`` capped at ``availableCores``.
  public static var threadCount: Int {
    min(threadLimit ?? Int.max, availableCores)
  }
}
