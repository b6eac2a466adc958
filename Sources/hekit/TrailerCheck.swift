import Foundation
import HEKit

/// What a reader of a batch file (either scheme) checks of its end: the file
/// ends with a trailer whose counts match the records and record lines read,
/// and nothing but blank lines follows it. A file cut at a line boundary
/// therefore fails with "FILE is truncated: ..." however it was cut.
struct TrailerCheck {
  let path: String
  /// Whether the file must end with a trailer (false for version-1 Paillier files).
  let required: Bool
  private let parse: (String) throws -> (records: Int, lines: Int)
  private(set) var records = 0
  private(set) var lines = 0
  private var trailer: (records: Int, lines: Int)?

  /// - Parameters:
  ///   - path: the file, for messages.
  ///   - required: whether the file's version has a trailer.
  ///   - parse: reads a trailer line (a JSON object; records are not).
  init(path: String, required: Bool, parse: @escaping (String) throws -> (records: Int, lines: Int)) {
    self.path = path
    self.required = required
    self.parse = parse
  }

  /// A Paillier batch file's check; warns on standard error that a version-1
  /// file (no trailer) cannot be checked for truncation.
  init(paillier path: String, header: Paillier.Batch.Header) {
    self.init(path: path, required: header.hasTrailer) { line in
      let trailer = try Paillier.Batch.Trailer(parsing: line)
      return (trailer.records, trailer.lines)
    }
    if !header.hasTrailer {
      FileHandle.standardError.write(Data((
        "warning: \(name) is a version-1 batch file, which has no trailer: a copy cut at a line boundary "
          + "cannot be told from a whole one (this hekit writes version 2)\n").utf8))
    }
  }

  var name: String { path == "-" ? "standard input" : path }

  /// Whether `line` (not blank) is the trailer; reads it if so.
  /// - Throws: for a line after the trailer, or a garbled trailer.
  mutating func isTrailer(_ line: String, number: Int) throws -> Bool {
    guard trailer == nil else {
      throw CLIError("\(name), line \(number): a line after the trailer (the file was joined or garbled)")
    }
    guard required, line.utf8.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: "{")
    else { return false }
    do {
      trailer = try parse(line)
    } catch {
      throw CLIError("\(name), line \(number): \(error.localizedDescription)")
    }
    return true
  }

  /// Counts a record line holding `records` records.
  mutating func count(records: Int) {
    self.records += records
    lines += 1
  }

  /// Checks the trailer against the counts, at the end of the file.
  func finish() throws {
    guard required else { return }
    guard let trailer else {
      throw CLIError("\(name) is truncated: no trailer (hekit writes one as the last line)")
    }
    guard trailer.records == records, trailer.lines == lines else {
      if records < trailer.records || lines < trailer.lines {
        throw CLIError("\(name) is truncated: \(records) records of \(trailer.records)")
      }
      throw CLIError(
        "\(name) holds \(records) records in \(lines) lines where its trailer says \(trailer.records) in "
          + "\(trailer.lines) (lines were added or files joined)")
    }
  }
}
