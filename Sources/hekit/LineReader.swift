import Foundation

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
  private let input: InputFile
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
    input = try InputFile(path: path)
    totalBytes = input.regularSize
  }

  /// The next line without its newline (and without a trailing "\r"), or nil at the end.
  /// - Throws: ``LineTooLongError`` for a line longer than ``maximumLineBytes``;
  ///   ``CLIError`` when the input cannot be read.
  func next() throws -> String? {
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
      let chunk = try readChunk()
      bytesFetched += Int64(chunk.count)
      if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
    }
  }

  /// The first line that is not blank (spaces and tabs), or nil for a blank file.
  func firstNonBlank() throws -> String? {
    while let line = try next() {
      if !line.isBlank { return line }
    }
    return nil
  }

  /// The largest document (a key, a ciphertext, a model) read whole by ``document(startingWith:separator:)``.
  static let maximumDocumentBytes = 64 << 20

  /// `first` and every remaining line, joined by `separator`: a document read
  /// whole. Nil once it grows beyond ``maximumDocumentBytes``.
  func document(startingWith first: String, separator: String) throws -> String? {
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

  private func readChunk() throws -> [UInt8] { try input.read(upTo: 1 << 20) }

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
