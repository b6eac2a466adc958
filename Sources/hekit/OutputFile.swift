import Foundation

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

/// A file written atomically: everything goes to a temporary file in the
/// destination's directory (created with the final mode, so a secret key is
/// never readable by others, even briefly), which is flushed to disk and
/// renamed over the destination only by ``commit()``. A writer dropped
/// without committing removes its temporary file.
///
/// Refuses to replace an existing file unless `force`, and never writes over
/// one of the command's inputs. An interrupt (SIGINT, SIGTERM, SIGHUP) removes
/// the temporary files of uncommitted writers before the process ends, so
/// nothing partial is left behind.
///
/// A destination that exists and is not a regular file (a terminal, a pipe,
/// `/dev/null`, `/dev/full`) is written directly: there is nothing to replace
/// atomically, and renaming over a device would destroy it. Write errors
/// (`/dev/full`: no space) are reported as for files.
final class OutputFile {
  let path: String
  private let temporaryPath: String?
  private var descriptor: Int32
  private var committed = false
  private var registration: Int?

  /// - Parameters:
  ///   - path: the destination.
  ///   - mode: the permission bits (0o600 for secret keys).
  ///   - force: whether an existing destination may be replaced.
  ///   - inputs: paths the command reads, which the destination must not be.
  init(path: String, mode: mode_t = 0o644, force: Bool, inputs: [String] = []) throws {
    let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    for input in inputs where input != "-" {
      let other = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
      if other.path == url.path { throw CLIError("refusing to write \(path): it is also an input") }
    }
    var status = stat()
    if stat(url.path, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
      // A device, pipe or terminal: write straight to it.
      guard status.st_mode & S_IFMT != S_IFDIR else { throw CLIError("\(path) is a directory") }
      let fd = open(url.path, O_WRONLY)
      guard fd >= 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
      self.path = url.path
      temporaryPath = nil
      descriptor = fd
      return
    }
    if FileManager.default.fileExists(atPath: url.path) && !force {
      throw CLIError("\(path) already exists (use --force to replace it)")
    }
    self.path = url.path
    let directory = url.deletingLastPathComponent().path
    var template = Array("\(directory)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw CLIError("cannot create a file in \(directory): \(String(cString: strerror(errno)))") }
    let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    self.temporaryPath = temporaryPath
    registration = InterruptCleanup.register(temporaryPath)
    descriptor = fd
    guard fchmod(fd, mode) == 0 else {
      throw CLIError("cannot set the mode of \(temporaryPath)")  // deinit removes it
    }
  }

  /// Appends `text`.
  func write(_ text: String) throws {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      offset += written
    }
    bytes.removeAll()
  }

  /// Flushes the data to disk and renames the temporary file over the destination.
  func commit() throws {
    guard let temporaryPath else {
      let closed = close(descriptor)
      descriptor = -1
      guard closed == 0 else { throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))") }
      committed = true
      return
    }
    guard fsync(descriptor) == 0, close(descriptor) == 0 else {
      throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    descriptor = -1
    guard rename(temporaryPath, path) == 0 else {
      throw CLIError("cannot rename to \(path): \(String(cString: strerror(errno)))")
    }
    committed = true
    if let registration { InterruptCleanup.unregister(registration) }
  }

  deinit {
    if !committed {
      if descriptor >= 0 { close(descriptor) }
      if let temporaryPath { unlink(temporaryPath) }
    }
    if let registration { InterruptCleanup.unregister(registration) }
  }
}

/// The temporary files of uncommitted writers, removed by a signal handler
/// when SIGINT, SIGTERM or SIGHUP ends the process. The handler only reads a
/// fixed table of C strings and calls unlink(2) and raise(2), which are
/// async-signal-safe; registering and unregistering happen under a lock.
enum InterruptCleanup {
  static let capacity = 64
  nonisolated(unsafe) static let paths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
  nonisolated(unsafe) static var lock = pthread_mutex_t()
  nonisolated(unsafe) static var installed = false

  /// Remembers `path` until ``unregister(_:)``; returns its slot (nil when full).
  static func register(_ path: String) -> Int? {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    if !installed {
      paths.initialize(repeating: nil, count: capacity)
      // Unblocked too: a parent's blocked mask is inherited across exec, and a
      // blocked interrupt would wait until the command ends.
      var set = sigset_t()
      sigemptyset(&set)
      for number in [SIGINT, SIGTERM, SIGHUP] {
        _ = signal(number, handler)
        sigaddset(&set, number)
      }
      sigprocmask(SIG_UNBLOCK, &set, nil)
      installed = true
    }
    guard let slot = (0..<capacity).first(where: { paths[$0] == nil }) else { return nil }
    paths[slot] = strdup(path)
    return slot
  }

  static func unregister(_ slot: Int) {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    let path = paths[slot]
    paths[slot] = nil
    free(path)
  }

  static let handler: @convention(c) (Int32) -> Void = { number in
    for slot in 0..<InterruptCleanup.capacity {
      if let path = InterruptCleanup.paths[slot] { unlink(path) }
    }
    _ = signal(number, SIG_DFL)
    raise(number)
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

  init(path: String?, mode: mode_t = 0o644, force: Bool, inputs: [String]) throws {
    if let path, path != "-" {
      file = try OutputFile(path: path, mode: mode, force: force, inputs: inputs)
    } else {
      file = nil
    }
  }

  /// Holds `text` (a header) back until the first ``write(_:)`` or
  /// ``finish()``, so that input found to hold no records before either
  /// leaves nothing on standard output.
  func writeHeader(_ text: String) { heldHeader = text }

  func write(_ text: String) throws {
    if let header = heldHeader {
      heldHeader = nil
      try write(header)
    }
    if let file { try file.write(text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
  }

  func finish() throws {
    if let header = heldHeader {
      heldHeader = nil
      try write(header)
    }
    try file?.commit()
  }
}

/// Reads a whole document (a key, a model), or stdin for "-"; refuses one
/// larger than ``LineReader/maximumDocumentBytes`` after reading that much.
func readInput(_ path: String) throws -> Data {
  let name = path == "-" ? "standard input" : path
  let limit = LineReader.maximumDocumentBytes
  let data: Data
  do {
    data = try openInput(path).read(upToCount: limit + 1) ?? Data()
  } catch let error as CLIError {
    throw error
  } catch {
    throw CLIError("cannot read \(name): \(error.localizedDescription)")
  }
  guard data.count <= limit else {
    throw CLIError("\(name) is larger than \(limit >> 20) MiB, more than any key or model: not one HEKit reads")
  }
  return data
}

/// A file opened for reading, or stdin for "-".
func openInput(_ path: String) throws -> FileHandle {
  if path == "-" { return FileHandle.standardInput }
  guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot read \(path)") }
  return handle
}

/// A line longer than its reader accepts: a hostile or corrupt file (or one
/// that is not line-oriented), refused before it fills memory.
struct LineTooLongError: Error, LocalizedError, Equatable {
  let file: String
  /// The line's number (1 for the first).
  let line: Int
  /// The limit in bytes.
  let limit: Int
  var errorDescription: String? {
    "\(file), line \(line): longer than \(limit) bytes, more than any HEKit file holds "
      + "(the file is corrupt, or not one HEKit wrote)"
  }
}

/// Reads lines one at a time from a file or stdin, in memory proportional to
/// the longest line (a BFV batch line is megabytes): each byte is searched
/// for the newline once (`memchr`), and consumed lines are dropped in bulk.
/// A line longer than ``maximumLineBytes`` is refused with
/// ``LineTooLongError`` once that many bytes are buffered, so a file without
/// newlines cannot grow memory without bound.
final class LineReader: InputPosition {
  /// The default limit: above any CSV row, Paillier record or key HEKit
  /// writes. Readers of BFV batch files set the bound their header implies.
  static let defaultMaximumLineBytes = 64 << 20

  let path: String
  private let handle: FileHandle
  /// Bytes fetched from the input, read ahead of the lines returned.
  private var bytesFetched: Int64 = 0
  /// Bytes of the lines returned so far (not those read ahead), so that
  /// progress follows the lines.
  var bytesRead: Int64 { bytesFetched - Int64(buffer.count - start) }
  let totalBytes: Int64?
  /// The longest line accepted, in bytes (without its newline).
  var maximumLineBytes: Int
  /// Lines returned so far.
  private(set) var lineNumber = 0
  private var buffer: [UInt8] = []
  /// Bytes before `start` are consumed; `buffer[start..<start + scanned]` holds no newline.
  private var start = 0
  private var scanned = 0
  private var finished = false

  init(path: String, maximumLineBytes: Int = LineReader.defaultMaximumLineBytes) throws {
    self.path = path
    self.maximumLineBytes = maximumLineBytes
    handle = try openInput(path)
    totalBytes = regularFileSize(handle)
  }

  /// The next line without its newline (and without a trailing "\r"), or nil at the end.
  /// - Throws: ``LineTooLongError`` for a line longer than ``maximumLineBytes``.
  func next() throws(LineTooLongError) -> String? {
    while true {
      let from = start + scanned
      let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
        guard from < bytes.count, let base = bytes.baseAddress,
          let found = memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      }
      if let newline {
        var end = newline
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        try checkLength(end - start)
        let line = String(decoding: buffer[start..<end], as: UTF8.self)
        start = newline + 1
        scanned = 0
        lineNumber += 1
        return line
      }
      scanned = buffer.count - start
      if finished {
        guard start < buffer.count else { return nil }
        var end = buffer.count
        if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        try checkLength(end - start)
        defer {
          buffer.removeAll()
          start = 0
          scanned = 0
        }
        lineNumber += 1
        return String(decoding: buffer[start..<end], as: UTF8.self)
      }
      // One more byte than the limit may be a "\r" before the newline.
      try checkLength(scanned - 1)
      if start > 0 {
        buffer.removeFirst(start)
        start = 0
      }
      let chunk = handle.readData(ofLength: 1 << 20)
      bytesFetched += Int64(chunk.count)
      if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
    }
  }

  /// The first line that is not blank (spaces and tabs), or nil for a blank file.
  func firstNonBlank() throws(LineTooLongError) -> String? {
    while let line = try next() {
      if !line.isBlank { return line }
    }
    return nil
  }

  /// The largest document (a key, a ciphertext, a model) read whole by ``document(startingWith:separator:)``.
  static let maximumDocumentBytes = 64 << 20

  /// `first` and every remaining line, joined by `separator`: a document read
  /// whole. Nil once it grows beyond ``maximumDocumentBytes``.
  func document(startingWith first: String, separator: String) throws(LineTooLongError) -> String? {
    var text = first
    while let more = try next() {
      text += separator + more
      guard text.utf8.count <= Self.maximumDocumentBytes else { return nil }
    }
    return text
  }

  /// The lines as a function for readers that take one (``BFVKeyFile``):
  /// `first` if given, else the first non-blank line, then every next line.
  func lines(first: String? = nil) -> () throws -> String? {
    var pending = first
    var started = false
    return {
      defer { started = true }
      if let line = pending {
        pending = nil
        return line
      }
      return started ? try self.next() : try self.firstNonBlank()
    }
  }

  private func checkLength(_ length: Int) throws(LineTooLongError) {
    guard length <= maximumLineBytes else {
      throw LineTooLongError(file: path == "-" ? "standard input" : path, line: lineNumber + 1, limit: maximumLineBytes)
    }
  }
}

extension String {
  /// Whether the line holds only spaces and tabs (stops at the first other
  /// byte: batch lines are megabytes).
  var isBlank: Bool { utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
}
