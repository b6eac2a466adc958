import Foundation
import StrictJSON

/// The last line of a BFV batch file: how many records and batch lines
/// precede it, so that a file cut at a line boundary is refused. It belongs
/// to the whole file; the lines themselves stay independent.
public struct BFVFileTrailer: Equatable, Sendable {
  /// The format of the file it ends (``BFVFileHeader/recordsFormat`` or ``BFVFileHeader/scoresFormat``).
  public var format: String
  /// The records of all batch lines.
  public var records: Int
  /// The batch lines (blank lines not counted).
  public var lines: Int

  public init(format: String, records: Int, lines: Int) {
    self.format = format
    self.records = records
    self.lines = lines
  }

  /// The trailer line (without newline).
  public var line: String { "{\"trailer\": \"\(format)\", \"records\": \(records), \"lines\": \(lines)}" }

  private struct Fields: Decodable {
    var trailer: String
    var records: Int
    var lines: Int
  }

  /// Parses the trailer of a file of `format`.
  /// - Throws: ``FormatError/malformed(file:reason:)``.
  public init(parsing line: String, format: String, file: String) throws(FormatError) {
    guard (try? StrictJSON.checkNoDuplicateKeys(line)) != nil,
      let fields = try? JSONDecoder().decode(Fields.self, from: Data(line.utf8)), fields.trailer == format,
      fields.records >= 0, fields.lines >= 0
    else {
      throw FormatError.malformed(
        file: file, reason: "the trailer must be {\"trailer\": \"\(format)\", \"records\": R, \"lines\": L}")
    }
    self.init(format: format, records: fields.records, lines: fields.lines)
  }
}
