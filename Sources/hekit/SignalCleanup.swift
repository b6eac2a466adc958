#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Removes the temporary files of uncommitted writers when a signal ends the
/// process, then lets that signal end it (so the parent sees the signal, as
/// without HEKit's handler).
///
/// ``install()`` runs once at start-up, before any command. It handles every
/// signal whose default action ends the process and that a user or the
/// system sends to a command: SIGINT, SIGTERM, SIGHUP, SIGQUIT (which Swift's
/// crash reporter would otherwise catch, letting the command run on), SIGPIPE
/// (a reader of stdout gone), SIGXFSZ and SIGXCPU (a resource limit),
/// SIGALRM, SIGUSR1 and SIGUSR2. A signal the parent ignores (`nohup`, `trap
/// "" INT`) stays ignored. SIGKILL cannot be caught: the temporary files it
/// leaves are named after their process and removed by a later run (see
/// ``OutputFile``).
///
/// The handler reads a fixed table of C strings and calls unlink(2),
/// sigaction(2) and raise(3), which are async-signal-safe; registering and
/// unregistering happen under a lock and never free a path the handler may read.
enum SignalCleanup {
  static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2]
  static let capacity = 64
  static let slotBytes = 4096
  nonisolated(unsafe) static let storage = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * slotBytes)
  nonisolated(unsafe) static let used: UnsafeMutablePointer<sig_atomic_t> = {
    let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: capacity)
    flags.initialize(repeating: 0, count: capacity)
    return flags
  }()
  nonisolated(unsafe) static var lock = pthread_mutex_t()

  /// Installs the handler for every signal of ``signals`` not inherited as
  /// ignored, and unblocks those (a blocked mask is inherited across exec,
  /// and a blocked signal would wait until the command ends).
  static func install() {
    // Both tables exist before any handler can run (no lazy set-up inside one).
    _ = storage
    _ = used
    var set = sigset_t()
    sigemptyset(&set)
    for number in signals {
      var old = sigaction()
      guard sigaction(number, nil, &old) == 0, !isIgnored(old) else { continue }
      var action = sigaction()
      #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
      #else
        action.__sigaction_u.__sa_handler = handler
      #endif
      sigemptyset(&action.sa_mask)
      for other in signals { sigaddset(&action.sa_mask, other) }
      action.sa_flags = 0
      sigaction(number, &action, nil)
      sigaddset(&set, number)
    }
    sigprocmask(SIG_UNBLOCK, &set, nil)
  }

  private static func isIgnored(_ action: sigaction) -> Bool {
    #if canImport(Glibc)
      let current = action.__sigaction_handler.sa_handler
    #else
      let current = action.__sigaction_u.__sa_handler
    #endif
    guard let current else { return false }
    return unsafeBitCast(current, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// Remembers `path` until ``unregister(_:)``; returns its slot (nil when
  /// the table is full or the path too long: a later run removes the file).
  static func register(_ path: String) -> Int? {
    let bytes = Array(path.utf8)
    guard bytes.count < slotBytes else { return nil }
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    guard let slot = (0..<capacity).first(where: { used[$0] == 0 }) else { return nil }
    let base = storage + slot * slotBytes
    for (i, byte) in bytes.enumerated() { base[i] = CChar(bitPattern: byte) }
    base[bytes.count] = 0
    used[slot] = 1
    return slot
  }

  static func unregister(_ slot: Int) {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    used[slot] = 0
  }

  static let handler: @convention(c) (Int32) -> Void = { number in
    for slot in 0..<SignalCleanup.capacity where SignalCleanup.used[slot] != 0 {
      unlink(SignalCleanup.storage + slot * SignalCleanup.slotBytes)
    }
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = SIG_DFL
    #else
      action.__sigaction_u.__sa_handler = SIG_DFL
    #endif
    sigemptyset(&action.sa_mask)
    sigaction(number, &action, nil)
    // Delivered when the handler returns (the signal is blocked until then): the default action ends the process.
    raise(number)
  }
}
