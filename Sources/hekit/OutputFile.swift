import Foundation
import HEKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An error of the command line's own (files, arguments), with a message a
/// user can act on.
struct CLIError: Error, CustomStringConvertible, LocalizedError {
  let description: String
  init(_ description: String) { self.description = description }
  var errorDescription: String? { description }
}

/// A library error with what to do at the command line, where an option of
/// `hekit` is the answer; other errors unchanged.
func withCommandLineAdvice(_ error: any Error) -> any Error {
  switch error as? AnalyticsError {
  case .notRecords(let file):
    return CLIError("\(file) is not a batch file of encrypted records (hekit encrypt --input)")
  case .unnamedColumns(let file):
    return CLIError("\(file) names no columns: encrypt with a header line (hekit encrypt --header)")
  case .missingSquares(let column):
    return CLIError("a variance of '\(column)' needs its squares: encrypt with hekit encrypt --with-squares")
  case .notResult(let file):
    return CLIError("\(file) is not a result file of hekit analyze")
  default:
    break
  }
  switch error as? FormatError {
  case .doesNotFit(let need, let have, let key):
    return CLIError(
      "the quantised model's scores need \(need) bits of plaintext space but the parameters hold \(have)"
        + " (key \(key) fixes its moduli: generate keys with more --moduli or wider --modulus-bits, "
        + "or score with a larger --target-error)")
  case .outOfRange:
    return CLIError(error.localizedDescription + " (declare wider ranges with --ranges-from or --margin)")
  case .secretKeyRefused(let file):
    return CLIError("\(file) is a secret key: this command needs only the public key (the .pub file keygen wrote)")
  case .privateKeyRefused(let file):
    return CLIError("\(file) is a private key: this command needs only the public key (hekit extract writes it)")
  case .privateKeyRequired(let file):
    return CLIError("\(file) is a public key: this command needs the private key (NAME.key.json)")
  case .otherScheme(let file, let found):
    return CLIError("\(file) is a \(found) file: this command works with Paillier keys and ciphertexts only")
  case .unboundedCiphertext:
    return CLIError(error.localizedDescription + " (or accept it unchecked with --allow-unbounded)")
  default:
    return error
  }
}

/// Who may read a file the command writes.
enum OutputAccess {
  /// Mode 0644 less the umask: public keys, ciphertexts, models, reports.
  case shared
  /// Mode 0600 whatever the umask: secret keys, and decrypted results (as
  /// sensitive as the key that decrypted them).
  case owner

  /// The process's umask, read once at start-up (``readUmask()``).
  nonisolated(unsafe) static var umask: mode_t = 0o022

  /// Reads the umask (setting it back at once); call before any thread starts.
  static func readUmask() {
    #if canImport(Glibc)
      let current = Glibc.umask(0o022)
      _ = Glibc.umask(current)
    #else
      let current = Darwin.umask(0o022)
      _ = Darwin.umask(current)
    #endif
    umask = current
  }

  var mode: mode_t { self == .owner ? 0o600 : 0o644 & ~Self.umask }
}

/// A file written atomically: everything goes to a temporary file in the
/// destination's directory (created with the final mode, so a secret key is
/// never readable by others, even briefly), which is flushed to disk and
/// moved to the destination only by ``commit()``. A writer dropped without
/// committing removes its temporary file.
///
/// Without `force` the destination is created exclusively (link(2) of the
/// temporary file): of two commands writing the same new file, one wins and
/// the other fails with "already exists", whatever their timing (on a file
/// system without hard links, only when they do not commit at once). With
/// `force` the temporary file is renamed over the destination. Either way the
/// destination is never one of the command's inputs.
///
/// A signal that ends the command removes the temporary files of uncommitted
/// writers (``SignalCleanup``). A temporary file is named
/// `.NAME.hekit-tmp-PID-XXXXXX`; one whose process is gone (killed by
/// SIGKILL, or a crash) is removed by the next writer of the same destination
/// (only files of that name pattern, owned by the same user).
///
/// A destination that exists and is not a regular file (a terminal, a pipe,
/// `/dev/null`, `/dev/full`) is written directly: there is nothing to replace
/// atomically, and renaming over a device would destroy it. Write errors
/// (`/dev/full`: no space; a file size limit) are reported as for files.
final class OutputFile {
  let path: String
  /// The destination as given, for messages.
  let name: String
  let force: Bool
  private let temporaryPath: String?
  private var descriptor: Int32
  /// The temporary file's identity, to tell our destination from another's.
  private var identity: (dev_t, ino_t)?
  private var committed = false
  private var registration: Int?

  /// - Parameters:
  ///   - path: the destination.
  ///   - access: who may read it.
  ///   - force: whether an existing destination may be replaced.
  ///   - inputs: paths the command reads, which the destination must not be.
  init(path: String, access: OutputAccess = .shared, force: Bool, inputs: [String] = []) throws {
    let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    for input in inputs where input != "-" {
      let other = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
      if other.path == url.path { throw CLIError("refusing to write \(path): it is also an input") }
    }
    self.force = force
    name = path
    var status = stat()
    if stat(url.path, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
      // A device, pipe or terminal: write straight to it.
      guard status.st_mode & S_IFMT != S_IFDIR else { throw CLIError("\(path) is a directory, not a file") }
      let fd = open(url.path, O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
      self.path = url.path
      temporaryPath = nil
      descriptor = fd
      return
    }
    if lstat(url.path, &status) == 0 && !force {
      throw CLIError("\(path) already exists (use --force to replace it)")
    }
    self.path = url.path
    let directory = url.deletingLastPathComponent().path
    let prefix = ".\(url.lastPathComponent).hekit-tmp-"
    Self.removeStaleTemporaries(in: directory, prefix: prefix)
    // The name is registered for removal before the file exists, so that no
    // signal can come between its creation and its registration.
    var fd: Int32 = -1
    var temporaryPath = ""
    var slot: Int?
    for _ in 0..<100 {
      temporaryPath = "\(directory)/\(prefix)\(getpid())-\(Self.randomSuffix())"
      slot = SignalCleanup.register(temporaryPath)
      fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      if fd >= 0 { break }
      let error = errno
      if let slot { SignalCleanup.unregister(slot) }
      guard error == EEXIST else { throw CLIError("cannot create a file in \(directory): \(String(cString: strerror(error)))") }
    }
    guard fd >= 0 else { throw CLIError("cannot create a file in \(directory): no free temporary name") }
    self.temporaryPath = temporaryPath
    registration = slot
    descriptor = fd
    guard fchmod(fd, access.mode) == 0, fstat(fd, &status) == 0 else {
      throw CLIError("cannot set the mode of \(temporaryPath)")  // deinit removes it
    }
    identity = (status.st_dev, status.st_ino)
  }

  /// Appends `text`.
  func write(_ text: String) throws {
    try writeAll(descriptor, Array(text.utf8), name: name)
  }

  /// Flushes the data to disk and moves the temporary file to the destination.
  func commit() throws {
    try flush()
    try publish()
  }

  /// Commits a pair that must match (a public and a secret key): both or
  /// neither. Pair commits into one folder are serialised (flock(2) on the
  /// folder), so concurrent `--force` runs cannot interleave their files;
  /// without `force` the second file's refusal withdraws the first.
  static func commitPair(_ first: OutputFile, _ second: OutputFile) throws {
    try commitAll([first, second])
  }

  /// Commits files that belong together (a pair of keys, the shards of a
  /// split) into one folder: all or none, as ``commitPair(_:_:)``.
  static func commitAll(_ files: [OutputFile]) throws {
    guard let first = files.first else { return }
    for file in files { try file.flush() }
    let folder = open(URL(fileURLWithPath: first.path).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
    if folder >= 0 {
      while flock(folder, LOCK_EX) != 0 && errno == EINTR {}
    }
    defer { if folder >= 0 { close(folder) } }  // closing releases the lock
    for (index, file) in files.enumerated() {
      do {
        try file.publish()
      } catch {
        for done in files[..<index] { done.withdraw() }
        throw error
      }
    }
  }

  /// fsync(2) and close(2) of the data.
  private func flush() throws {
    guard descriptor >= 0 else { return }
    let fd = descriptor
    descriptor = -1
    if temporaryPath != nil && fsync(fd) != 0 {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw CLIError("cannot write \(name): \(reason)")
    }
    guard close(fd) == 0 else { throw CLIError("cannot write \(name): \(String(cString: strerror(errno)))") }
  }

  /// Moves the flushed temporary file to the destination.
  private func publish() throws {
    guard let temporaryPath else {
      committed = true
      return
    }
    if force {
      guard rename(temporaryPath, path) == 0 else {
        throw CLIError("cannot rename to \(name): \(String(cString: strerror(errno)))")
      }
    } else {
      // link(2) fails with EEXIST if the destination appeared since we looked.
      if link(temporaryPath, path) == 0 {
        unlink(temporaryPath)
      } else {
        let error = errno
        guard error != EEXIST else { throw CLIError("\(name) already exists (use --force to replace it)") }
        // A file system without hard links (FAT, some network ones): look,
        // then rename; exclusive only against writers that are not concurrent.
        guard [EPERM, ENOTSUP, EOPNOTSUPP, EMLINK, ENOSYS].contains(error) else {
          throw CLIError("cannot create \(name): \(String(cString: strerror(error)))")
        }
        var status = stat()
        guard lstat(path, &status) != 0 && errno == ENOENT else {
          throw CLIError("\(name) already exists (use --force to replace it)")
        }
        guard rename(temporaryPath, path) == 0 else {
          throw CLIError("cannot rename to \(name): \(String(cString: strerror(errno)))")
        }
      }
    }
    committed = true
    if let registration { SignalCleanup.unregister(registration) }
    registration = nil
  }

  /// Removes the committed destination if it is still this writer's file.
  private func withdraw() {
    var status = stat()
    guard committed, let identity, lstat(path, &status) == 0, status.st_dev == identity.0, status.st_ino == identity.1
    else { return }
    unlink(path)
  }

  /// Six random letters and digits.
  private static func randomSuffix() -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<6).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
  }

  /// Removes `prefix` + `PID-XXXXXX` files in `directory` whose process is
  /// gone: a regular file owned by this user, of another process than this one.
  static func removeStaleTemporaries(in directory: String, prefix: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    for name in names where name.hasPrefix(prefix) {
      let rest = name.dropFirst(prefix.count)
      guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, pid != getpid(),
        kill(pid, 0) != 0 && errno == ESRCH
      else { continue }
      let file = directory + "/" + name
      var status = stat()
      guard lstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid() else { continue }
      unlink(file)
    }
  }

  deinit {
    if !committed {
      if descriptor >= 0 { close(descriptor) }
      if let temporaryPath { unlink(temporaryPath) }
    }
    if let registration { SignalCleanup.unregister(registration) }
  }
}

/// Writes all of `bytes` to `fd` (write(2), retried on EINTR and short writes).
func writeAll(_ fd: Int32, _ bytes: [UInt8], name: String) throws {
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes { buffer in
      systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
    }
    if written < 0 {
      let error = errno
      if error == EINTR { continue }
      let reason = String(cString: strerror(error)) + (error == EFBIG ? " (over the file size limit, ulimit -f)" : "")
      throw CLIError("cannot write \(name): \(reason)")
    }
    offset += written
  }
}

/// write(2), named apart from `OutputFile.write(_:)`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
  #else
    Darwin.write(fd, buffer, count)
  #endif
}

/// Where a command's result goes: an atomically written file, or stdout.
final class Output {
  private let file: OutputFile?
  private var heldHeader: String?

  init(path: String?, access: OutputAccess = .shared, force: Bool, inputs: [String]) throws {
    if let path, path != "-" {
      file = try OutputFile(path: path, access: access, force: force, inputs: inputs)
    } else {
      file = nil
    }
  }

  /// Holds `text` (a header) back until the first ``write(_:)`` or
  /// ``finish()``, so that input found to hold no records before either
  /// leaves nothing on standard output.
  func writeHeader(_ text: String) { heldHeader = text }

  /// A writer for the library's file writers: their first text (the header
  /// line) is held back as by ``writeHeader(_:)``, the rest written.
  func writerHoldingHeader() -> (String) throws -> Void {
    var first = true
    return { [self] text in
      if first {
        first = false
        writeHeader(text)
      } else {
        try write(text)
      }
    }
  }

  func write(_ text: String) throws {
    if let header = heldHeader {
      heldHeader = nil
      try write(header)
    }
    if let file {
      try file.write(text)
    } else {
      fflush(nil)  // after anything print() buffered
      try writeAll(STDOUT_FILENO, Array(text.utf8), name: "standard output")
    }
  }

  func finish() throws {
    if let header = heldHeader {
      heldHeader = nil
      try write(header)
    }
    try file?.commit()
  }
}
