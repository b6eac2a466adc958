extension BFVBatchLine {
  /// Runs `body` on every batch line of a BFV batch file of `format` (the
  /// lines after its header), writing each result as a line; with `trailer`,
  /// the output (a batch file of that format, one line per input line) gets
  /// its own trailer last. The input must end with its trailer and its counts
  /// must match (``BatchTrailerCheck``).
  /// - Parameters:
  ///   - nextLine: the file's lines after the header, without newlines; nil at the end.
  ///   - file: the file, for messages.
  ///   - format: the input's format (``BFVFileHeader/recordsFormat`` or ``BFVFileHeader/scoresFormat``).
  ///   - trailer: the output's format, for its trailer; nil to write none.
  ///   - write: receives the output text in order.
  ///   - progress: told the records of each line once its result is written.
  ///   - body: the result of one line (without its newline).
  /// - Returns: the number of records.
  /// - Throws: ``FormatError`` naming the file and line; errors of `nextLine` and `write`.
  public static func transform(
    lines nextLine: () throws -> String?, file: String, format: String, trailer: String? = nil,
    to write: (String) throws -> Void, progress: (Int) -> Void = { _ in },
    _ body: (BFVBatchLine) throws(LineError) -> String
  ) throws -> Int {
    let name = file == "-" ? "standard input" : file
    var number = 1
    var end = BatchTrailerCheck(file: file, required: true) { line in
      let trailer = try BFVFileTrailer(parsing: line, format: format, file: file)
      return (trailer.records, trailer.lines)
    }
    while let text = try nextLine() {
      number += 1
      if text.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
      if try end.isTrailer(text, number: number) { continue }
      let result: String
      let records: Int
      do throws(LineError) {
        let line = try BFVBatchLine(text)
        records = line.count
        result = try body(line)
      } catch {
        throw FormatError.malformedLine(file: name, line: number, reason: error.reason)
      }
      try write(result + "\n")
      end.count(records: records)
      progress(records)
    }
    guard end.records > 0 else {
      throw FormatError.malformed(
        file: name, reason: "no batch after the header: the file is truncated (HEKit never writes one without records)")
    }
    try end.finish()
    if let trailer { try write(BFVFileTrailer(format: trailer, records: end.records, lines: end.lines).line + "\n") }
    return end.records
  }
}
