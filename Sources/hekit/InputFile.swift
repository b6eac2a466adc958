import Foundation
import HEKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file the command reads, or stdin for "-": opened once with open(2),
/// checked with fstat(2), read with read(2). Every input goes through it, so
/// a regular file, a pipe, a FIFO, process substitution (`<(cat key)`) and
/// stdin all read alike, and each is opened and read exactly once (a pipe
/// cannot be read twice).
///
/// A directory is refused with a message naming it.
final class InputFile {
  let path: String
  /// The path, or "standard input" for "-".
  let name: String
  /// The size of a regular file; nil for a pipe, FIFO, terminal or device.
  let regularSize: Int64?
  private let descriptor: Int32

  init(path: String) throws {
    self.path = path
    name = path == "-" ? "standard input" : path
    var fd: Int32 = 0
    if path != "-" {
      repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
      guard fd >= 0 else { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
    }
    var status = stat()
    guard fstat(fd, &status) == 0 else {
      let reason = String(cString: strerror(errno))
      if path != "-" { close(fd) }
      throw CLIError("cannot read \(name): \(reason)")
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
      if path != "-" { close(fd) }
      throw CLIError("\(name) is a directory, not a file")
    }
    regularSize = status.st_mode & S_IFMT == S_IFREG ? Int64(status.st_size) : nil
    descriptor = fd
  }

  /// Up to `count` bytes (fewer from a pipe); empty at the end.
  func read(upTo count: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    while true {
      let got = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, count) }
      if got >= 0 {
        bytes.removeLast(count - got)
        return bytes
      }
      guard errno == EINTR else { throw CLIError("cannot read \(name): \(String(cString: strerror(errno)))") }
    }
  }

  /// Everything up to `limit` bytes (more only to tell that there is more).
  func readAll(upTo limit: Int) throws -> [UInt8] {
    var all: [UInt8] = []
    while all.count < limit {
      let chunk = try read(upTo: min(1 << 20, limit - all.count))
      if chunk.isEmpty { break }
      all += chunk
    }
    return all
  }

  deinit {
    if path != "-" { close(descriptor) }
  }
}

/// read(2), named apart from `InputFile.read(upTo:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.read(fd, buffer, count)
  #else
    Darwin.read(fd, buffer, count)
  #endif
}

/// Reads a whole document (a key, a model), or stdin for "-"; refuses one
/// larger than ``LineReader/maximumDocumentBytes`` after reading that much.
func readInput(_ path: String) throws -> Data {
  let input = try InputFile(path: path)
  let limit = LineReader.maximumDocumentBytes
  let bytes = try input.readAll(upTo: limit + 1)
  guard bytes.count <= limit else {
    throw CLIError("\(input.name) is larger than \(limit >> 20) MiB, more than any key or model: not one HEKit reads")
  }
  return Data(bytes)
}

/// A CSV file with a header line read whole into a ``Dataset`` (`hekit train`, `demo`).
func readDataset(_ path: String, features: [String]? = nil, target: String?) throws -> Dataset {
  let input = try InputFile(path: path)
  return try Dataset(chunks: { try input.read(upTo: 1 << 16) }, features: features, target: target)
}
