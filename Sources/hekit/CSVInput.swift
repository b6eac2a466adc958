import Foundation
import HEKit

/// CSV records from a file or stdin, read in 64 KiB chunks through
/// ``CSVParser`` (quoted fields, CRLF), handed out a batch at a time so a file
/// of any length is processed in constant memory.
final class CSVInput: InputPosition {
  private let input: InputFile
  private(set) var bytesRead: Int64 = 0
  let totalBytes: Int64?
  private var parser = CSVParser()
  private var pending: [(record: [String], line: Int)] = []
  private var finished = false

  init(path: String) throws {
    input = try InputFile(path: path)
    totalBytes = input.regularSize
  }

  /// Whether the input is a regular file (which can be opened and read again).
  var isRegularFile: Bool { totalBytes != nil }

  /// Up to `count` more records with their line numbers; empty at the end.
  func next(_ count: Int) throws -> [(record: [String], line: Int)] {
    while pending.count < count && !finished {
      let chunk = try input.read(upTo: 1 << 16)
      bytesRead += Int64(chunk.count)
      if chunk.isEmpty {
        finished = true
        try parser.finish { pending.append(($0, $1)) }
      } else {
        try parser.consume(chunk) { pending.append(($0, $1)) }
      }
    }
    let batch = Array(pending.prefix(count))
    pending.removeFirst(batch.count)
    return batch
  }
}
