import Foundation

/// What every reader of a batch file (either scheme) checks of its end: the
/// file ends with a trailer whose counts match the records and record lines
/// read, and nothing but blank lines follows it, so a file cut at a line
/// boundary is refused however it was cut.
public struct BatchTrailerCheck {
  /// The file, for messages (`-` is standard input).
  public let file: String
  /// Whether the file must end with a trailer (false for version-1 Paillier files).
  public let required: Bool
  private let parse: (String) throws -> (records: Int, lines: Int)
  /// Records counted so far.
  public private(set) var records = 0
  /// Record lines counted so far.
  public private(set) var lines = 0
  private var trailer: (records: Int, lines: Int)?

  /// - Parameters:
  ///   - file: the file, for messages.
  ///   - required: whether the file's version has a trailer.
  ///   - parse: reads a trailer line (a JSON object; record lines are not).
  public init(file: String, required: Bool, parse: @escaping (String) throws -> (records: Int, lines: Int)) {
    self.file = file == "-" ? "standard input" : file
    self.required = required
    self.parse = parse
  }

  /// Whether `line` (not blank) is the trailer; reads it if so.
  /// - Throws: ``FormatError/malformedLine(file:line:reason:)`` for a line
  ///   after the trailer or a garbled trailer.
  public mutating func isTrailer(_ line: String, number: Int) throws(FormatError) -> Bool {
    guard trailer == nil else {
      throw .malformedLine(file: file, line: number, reason: "a line after the trailer (the file was joined or garbled)")
    }
    guard required, line.utf8.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) == UInt8(ascii: "{")
    else { return false }
    do {
      trailer = try parse(line)
    } catch {
      throw .malformedLine(file: file, line: number, reason: error.localizedDescription)
    }
    return true
  }

  /// Counts a record line holding `records` records.
  public mutating func count(records: Int) {
    self.records += records
    lines += 1
  }

  /// Checks the trailer against the counts, at the end of the file.
  /// - Throws: ``FormatError/truncated(file:detail:)`` for a missing trailer
  ///   or fewer records than it counts, ``FormatError/trailerMismatch(file:records:lines:trailerRecords:trailerLines:)`` for more.
  public func finish() throws(FormatError) {
    guard required else { return }
    guard let trailer else { throw .truncated(file: file, detail: "no trailer (HEKit writes one as the last line)") }
    guard trailer.records == records, trailer.lines == lines else {
      if records < trailer.records || lines < trailer.lines {
        throw .truncated(file: file, detail: "\(records) records of \(trailer.records)")
      }
      throw .trailerMismatch(
        file: file, records: records, lines: lines, trailerRecords: trailer.records, trailerLines: trailer.lines)
    }
  }
}
