/// A streaming CSV parser (RFC 4180): fields separated by commas, optionally
/// in double quotes (a doubled quote inside stands for one), records ended by
/// LF or CRLF. Bytes go in by chunks of any size; complete records come out,
/// so a file of any length is read in constant memory. A UTF-8 byte-order
/// mark at the very start of the input is dropped (spreadsheet exports write
/// one; it would otherwise become part of the first column's name).
///
/// ```swift
/// var parser = CSVParser()
/// try parser.consume(chunk) { record, line in print(line, record) }
/// try parser.finish { record, line in print(line, record) }
/// ```
public struct CSVParser: Sendable {
  private enum State: Sendable { case fieldStart, unquoted, quoted, quoteInQuoted }

  private var state = State.fieldStart
  private var field: [UInt8] = []
  private var record: [String] = []
  private var line = 1
  private var recordLine = 1
  private var sawCarriageReturn = false
  /// The first bytes of the input while they may still be a byte-order mark (nil once decided).
  private var leading: [UInt8]? = []
  /// Bytes consumed so far (a byte-order mark included).
  private var offset: Int64 = 0

  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// The largest field accepted, so hostile input cannot grow memory without bound.
  public static let maximumFieldBytes = 1 << 20
  /// The most fields in one record (columns), for the same reason: a line of
  /// commas would otherwise grow a record without bound.
  public static let maximumFields = 1 << 16

  public init() {}

  /// Feeds bytes; calls `emit` with each complete record and the line it started on.
  /// - Throws: ``TabularError/malformedCSV(line:reason:)``.
  public mutating func consume(
    _ bytes: some Sequence<UInt8>, emit: ([String], Int) throws -> Void
  ) throws {
    try consume(bytes) { record, line, _ in try emit(record, line) }
  }

  /// Feeds bytes; calls `emit` with each complete record, the line it
  /// started on and the input's byte offset just past it (for progress).
  /// - Throws: ``TabularError/malformedCSV(line:reason:)``.
  public mutating func consume(
    _ bytes: some Sequence<UInt8>, emit: ([String], Int, Int64) throws -> Void
  ) throws {
    for byte in bytes {
      if var prefix = leading {
        prefix.append(byte)
        if prefix == Self.byteOrderMark {
          offset += 3
          leading = nil
        } else if Self.byteOrderMark.starts(with: prefix) {
          leading = prefix
        } else {
          leading = nil
          for early in prefix { try process(early, emit: emit) }
        }
        continue
      }
      try process(byte, emit: emit)
    }
  }

  private mutating func process(_ byte: UInt8, emit: ([String], Int, Int64) throws -> Void) throws {
    offset += 1
    if sawCarriageReturn {
      sawCarriageReturn = false
      if byte == UInt8(ascii: "\n") { return }  // CRLF already ended the record
    }
    switch state {
    case .quoted:
      if byte == UInt8(ascii: "\"") {
        state = .quoteInQuoted
      } else {
        if byte == UInt8(ascii: "\n") { line += 1 }
        try append(byte)
      }
    case .quoteInQuoted:
      if byte == UInt8(ascii: "\"") {
        try append(byte)
        state = .quoted
      } else {
        state = .unquoted
        try separatorOrByte(byte, emit: emit, inQuotes: true)
      }
    case .fieldStart:
      if byte == UInt8(ascii: "\"") {
        state = .quoted
      } else {
        state = .unquoted
        try separatorOrByte(byte, emit: emit, inQuotes: false)
      }
    case .unquoted:
      try separatorOrByte(byte, emit: emit, inQuotes: false)
    }
  }

  /// Ends the input: emits a last record that had no final newline.
  /// - Throws: ``TabularError/malformedCSV(line:reason:)`` for an unterminated quote.
  public mutating func finish(emit: ([String], Int) throws -> Void) throws {
    try finish { record, line, _ in try emit(record, line) }
  }

  /// Ends the input as ``finish(emit:)``, giving each record's end offset too.
  /// - Throws: ``TabularError/malformedCSV(line:reason:)`` for an unterminated quote.
  public mutating func finish(emit: ([String], Int, Int64) throws -> Void) throws {
    if let prefix = leading {
      leading = nil
      for early in prefix { try process(early, emit: emit) }
    }
    if state == .quoted {
      throw TabularError.malformedCSV(line: recordLine, reason: "a quoted field is never closed")
    }
    if state != .fieldStart || !field.isEmpty || !record.isEmpty {
      try endField()
            try endRecord(emit: emit)
    }
  }

  private mutating func separatorOrByte(
    _ byte: UInt8, emit: ([String], Int, Int64) throws -> Void, inQuotes closedQuote: Bool
  ) throws {
    switch byte {
    case UInt8(ascii: ","):
      try endField()
    case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
      sawCarriageReturn = byte == UInt8(ascii: "\r")
      try endField()
            try endRecord(emit: emit)
      line += 1
      recordLine = line
    case UInt8(ascii: "\""):
      throw TabularError.malformedCSV(line: line, reason: "a double quote inside an unquoted field")
    default:
      if closedQuote {
        throw TabularError.malformedCSV(line: line, reason: "text after a closing double quote")
      }
      try append(byte)
    }
  }

  private mutating func append(_ byte: UInt8) throws {
    guard field.count < CSVParser.maximumFieldBytes else {
      throw TabularError.malformedCSV(line: line, reason: "a field longer than 1 MiB")
    }
    field.append(byte)
  }

  private mutating func endField() throws {
    guard record.count < CSVParser.maximumFields else {
      throw TabularError.malformedCSV(line: recordLine, reason: "more than \(CSVParser.maximumFields) fields in one record")
    }
    record.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
    state = .fieldStart
  }

  private mutating func endRecord(emit: ([String], Int, Int64) throws -> Void) throws {
    let finished = record
    record.removeAll(keepingCapacity: true)
    state = .fieldStart
    // A blank line is no record.
    if finished.count == 1 && finished[0].isEmpty { return }
    try emit(finished, recordLine, offset)
  }
}

extension CSVParser {
  /// `text` as one CSV field: quoted (inner quotes doubled) when it holds a
  /// comma, quote or line break.
  public static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
