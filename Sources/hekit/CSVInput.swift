import Foundation
import HEKit

/// CSV records from a file or stdin, read in 64 KiB chunks through
/// ``CSVParser`` (quoted fields, CRLF), handed out a batch at a time so a file
/// of any length is processed in constant memory.
final class CSVInput: InputPosition {
  private let input: InputFile
  /// Bytes up to the end of the last record handed out (not those read
  /// ahead), so that progress follows the records.
  private(set) var bytesRead: Int64 = 0
  let totalBytes: Int64?
  private var parser = CSVParser()
  private var pending: [(record: [String], line: Int, end: Int64)] = []
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
      if chunk.isEmpty {
        finished = true
        try parser.finish { pending.append(($0, $1, $2)) }
      } else {
        try parser.consume(chunk) { pending.append(($0, $1, $2)) }
      }
    }
    let batch = pending.prefix(count)
    if let last = batch.last { bytesRead = last.end }
    if finished && batch.count == pending.count, let totalBytes { bytesRead = totalBytes }
    defer { pending.removeFirst(batch.count) }
    return batch.map { ($0.record, $0.line) }
  }
}

/// Reads the model JSON at `path`; a refusal names the file.
func readModel(_ path: String) throws -> LinearModel {
  let data = try readInput(path)
  do {
    return try LinearModel(json: data)
  } catch {
    throw CLIError("\(path == "-" ? "standard input" : path): \(error.localizedDescription)")
  }
}
