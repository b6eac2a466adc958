import Foundation

/// A BFV file held as text: its header and the lines after it, for the
/// readers that take a `lines` function (key files, the scoring server, the
/// decryptor). The `hekit` command line streams files instead; this is for
/// files small enough to hold, and for tests.
public struct BFVFileText: Sendable {
  /// The header (the first non-blank line).
  public let header: BFVFileHeader
  /// The header line and every line after it, without newlines.
  let lines: [Substring]
  /// The index of the header line in `lines`.
  let headerIndex: Int

  /// - Parameters:
  ///   - text: the whole file.
  ///   - file: its name, for messages.
  ///   - format: the format it must have; nil for any.
  /// - Throws: ``FormatError`` for an empty file or a bad header.
  public init(_ text: String, file: String, expected format: String? = nil) throws(FormatError) {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let index = lines.firstIndex(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) else {
      throw .malformed(file: file, reason: "the file is empty")
    }
    headerIndex = index
    header = try BFVFileHeader.parse(String(lines[index]), file: file, expected: format)
  }

  /// The file at `url`, read whole.
  /// - Throws: the file system's error; as ``init(_:file:expected:)``.
  public init(contentsOf url: URL, expected format: String? = nil) throws {
    try self.init(String(decoding: Data(contentsOf: url), as: UTF8.self), file: url.path, expected: format)
  }

  /// The lines after the header, one per call, then nil (a final empty line,
  /// after the last newline, is not returned).
  public func linesAfterHeader() -> () -> String? {
    var next = headerIndex + 1
    let end = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
    return { [lines] in
      guard next < end else { return nil }
      defer { next += 1 }
      return String(lines[next])
    }
  }

  /// The header line and the lines after it, one per call, then nil.
  func linesFromHeader() -> () -> String? {
    var first = true
    let rest = linesAfterHeader()
    return { [lines, headerIndex] in
      if first {
        first = false
        return String(lines[headerIndex])
      }
      return rest()
    }
  }
}

extension BFVKeyFile {
  /// The key file at `url` (see ``read(lines:file:refusingSecret:requiringSecret:expectedKey:)``).
  /// - Throws: the file system's error; ``FormatError`` naming the file, line and fault.
  public init(contentsOf url: URL, refusingSecret: Bool = false, requiringSecret: Bool = false) throws {
    let text = try BFVFileText(contentsOf: url)
    self = try BFVKeyFile.read(
      lines: text.linesFromHeader(), file: url.path, refusingSecret: refusingSecret, requiringSecret: requiringSecret)
  }
}
