import BFV
import Crypto
import Foundation
import Paillier
import StrictJSON

/// Where a shard sits in the batch file it was split from: the `shard` field
/// of a shard's header line,
///
///     "shard": "source=<32 hex> index=<i> count=<n> line=<k>"
///
/// `source`: the first 16 bytes of SHA-256 over the source file (header,
/// record lines and trailer, each with a newline); `index` in `0..<count`;
/// `line`: the 0-based index, among the source's record lines, of the
/// shard's first one. A scoring server copies the field from a records
/// header to its scores header, so scored shards join like the records.
public struct BatchShard: Equatable, Sendable {
  /// The name of the header field.
  public static let field = "shard"
  /// The source file's identity: 32 hex digits.
  public var source: String
  /// The shard's place, `0..<count`.
  public var index: Int
  /// The shards of the source.
  public var count: Int
  /// The index of the shard's first record line in the source.
  public var firstLine: Int

  public init(source: String, index: Int, count: Int, firstLine: Int) {
    self.source = source
    self.index = index
    self.count = count
    self.firstLine = firstLine
  }

  /// The field's value.
  public var text: String { "source=\(source) index=\(index) count=\(count) line=\(firstLine)" }

  /// Parses a field's value; nil when it is not one.
  public init?(text: String) {
    var fields: [String: String] = [:]
    for part in text.split(separator: " ") {
      let pair = part.split(separator: "=", maxSplits: 1)
      guard pair.count == 2, fields.updateValue(String(pair[1]), forKey: String(pair[0])) == nil else { return nil }
    }
    guard fields.count == 4, let source = fields["source"], source.count == 32, source.allSatisfy(\.isHexDigit),
      let index = fields["index"].flatMap({ Int($0) }), let count = fields["count"].flatMap({ Int($0) }),
      let line = fields["line"].flatMap({ Int($0) }), count >= 1, (0..<count).contains(index), line >= 0
    else { return nil }
    self.init(source: source, index: index, count: count, firstLine: line)
  }

  /// The JSON member a header line carries (`, "shard": "..."`).
  var member: String { ", \"\(Self.field)\": \"\(text)\"" }

  /// `header` (a JSON object on one line) with this shard's field last.
  func adding(to header: String) -> String {
    String(header.dropLast()) + member + "}"
  }

  /// Splits a header line into the header without its shard field and the shard.
  /// - Returns: the header unchanged and nil when it has no shard field.
  /// - Throws: ``FormatError/malformed(file:reason:)`` for a header that is
  ///   not a JSON object or a shard field that cannot be read.
  static func parse(header: String, file: String) throws(FormatError) -> (base: String, shard: BatchShard?) {
    let object: [String: Any]
    do {
      try StrictJSON.checkNoDuplicateKeys(header)
      guard let parsed = try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any],
        header.hasSuffix("}")
      else { throw FormatError.malformed(file: file, reason: "the header is not a JSON object") }
      object = parsed
    } catch let error as FormatError {
      throw error
    } catch {
      throw .malformed(file: file, reason: "the header is not a JSON object: \(error.localizedDescription)")
    }
    guard let value = object[field] else { return (header, nil) }
    guard let text = value as? String, let shard = BatchShard(text: text),
      let range = header.range(of: shard.member), header.ranges(of: shard.member).count == 1
    else {
      throw .malformed(file: file, reason: "the header's shard field must read \"source=HEX index=I count=N line=K\"")
    }
    var base = header
    base.removeSubrange(range)
    return (base, shard)
  }
}

/// Splits a batch file (records or scores, either scheme) into shards that
/// are batch files of their own, and joins shards back into one file, so
/// that a job queue, Spark's `RDD.pipe` or Hadoop streaming can hand each
/// worker a shard that `hekit score` scores alone.
///
/// A shard is the source's header with a ``BatchShard`` field, a run of the
/// source's record lines, and a trailer counting them. A BFV line's binding
/// names its header without the shard field (``BFVFileHeader/binding()``),
/// so lines keep their binding in a shard and after a join.
public enum BatchShards {
  /// What a split wrote.
  public struct Summary: Equatable, Sendable {
    /// The source's identity (``BatchShard/source``).
    public var source: String
    /// Per shard, in order: its record lines and records.
    public var shards: [(lines: Int, records: Int)]
    /// All records.
    public var records: Int { shards.reduce(0) { $0 + $1.records } }

    public static func == (a: Summary, b: Summary) -> Bool {
      a.source == b.source && a.shards.elementsEqual(b.shards) { $0 == $1 }
    }
  }

  /// Splits a batch file into `shards` shards of about equal numbers of record lines.
  ///
  /// The file is read twice (the first pass hashes it, counts its lines and
  /// checks its trailer); the second pass must read the same text.
  /// - Parameters:
  ///   - file: the source, for messages.
  ///   - shards: how many shards, from 1 to the source's record lines.
  ///   - open: returns a function giving the source's lines (without
  ///     newlines), nil at the end; called once per pass.
  ///   - write: receives a shard's index and its text, shard after shard, in order.
  /// - Returns: the source's identity and each shard's counts.
  /// - Throws: ``FormatError`` for a file that is not a whole batch file, a
  ///   shard already, or has fewer record lines than `shards`; errors of `open` and `write`.
  /// - Complexity: two reads of the file; memory for one line and one count per record line.
  @discardableResult
  public static func split(
    file: String, shards: Int, open: () throws -> () throws -> String?, write: (Int, String) throws -> Void
  ) throws -> Summary {
    let name = file == "-" ? "standard input" : file
    // Pass 1: identity, counts and the trailer.
    var next = try open()
    guard let header = try firstNonBlank(next) else { throw FormatError.malformed(file: name, reason: "the file is empty") }
    let kind = try Kind(header: header, file: name)
    guard kind.shard == nil else {
      throw FormatError.malformed(file: name, reason: "the file is a shard already: join its shards first")
    }
    var hash = SHA256()
    hash.update(data: Array((header + "\n").utf8))
    var counts: [Int] = []
    var trailer = ""
    try kind.forEachLine(next, file: name) { line, records in
      if let records {
        counts.append(records)
      } else {
        trailer = line
      }
      hash.update(data: Array((line + "\n").utf8))
    }
    let source = hex(Array(hash.finalize().prefix(16)))
    guard (1...max(counts.count, 1)).contains(shards) else {
      throw FormatError.malformed(
        file: name, reason: "\(shards) shards of \(counts.count) record lines: at most one shard per record line")
    }
    // Pass 2: the shards.
    next = try open()
    guard let again = try firstNonBlank(next), again == header else { throw changed(name) }
    var check = SHA256()
    check.update(data: Array((header + "\n").utf8))
    var summary = Summary(source: source, shards: [])
    var line = 0
    var shard = -1
    var end = 0
    func close() throws {
      guard shard >= 0 else { return }
      try write(shard, kind.trailer(records: summary.shards[shard].records, lines: summary.shards[shard].lines) + "\n")
    }
    var ended = false
    try kind.forEachLine(next, file: name, parse: false) { text, records in
      check.update(data: Array((text + "\n").utf8))
      guard records != nil else {
        ended = text == trailer
        return
      }
      guard line < counts.count else { throw changed(name) }
      if line == end {
        try close()
        shard += 1
        end = (shard + 1) * counts.count / shards
        summary.shards.append((0, 0))
        let place = BatchShard(source: source, index: shard, count: shards, firstLine: line)
        try write(shard, place.adding(to: header) + "\n")
      }
      try write(shard, text + "\n")
      summary.shards[shard].lines += 1
      summary.shards[shard].records += counts[line]
      line += 1
    }
    guard ended, line == counts.count, hex(Array(check.finalize().prefix(16))) == source else { throw changed(name) }
    try close()
    return summary
  }

  /// Joins shards (of one split, given in order) into one batch file: the
  /// source's header without the shard field, every shard's record lines, a
  /// trailer counting them all. Joining the shards of a split gives back the
  /// source, byte for byte; joining scored shards gives the scores of the source.
  ///
  /// Every shard's header is read and checked before anything is written.
  /// - Parameters:
  ///   - shards: each shard's file name (for messages) and lines, in order.
  ///   - write: receives the joined file's text in order.
  /// - Returns: the records and record lines written.
  /// - Throws: ``FormatError/notAShard(file:)``, ``FormatError/shardOfOtherFile(file:source:expected:)``,
  ///   ``FormatError/shardDuplicated(index:files:)``, ``FormatError/shardMissing(index:count:)``,
  ///   ``FormatError/shardsReordered(files:)``, ``FormatError/shardMismatch(file:reason:)``;
  ///   the errors of a reader of a shard (a bad line, a missing trailer).
  @discardableResult
  public static func join(
    shards: [(file: String, lines: () throws -> String?)], to write: (String) throws -> Void
  ) throws -> (records: Int, lines: Int) {
    guard let first = shards.first else { throw FormatError.malformed(file: "the shards", reason: "no shard given") }
    var kinds: [Kind] = []
    for (file, next) in shards {
      guard let header = try firstNonBlank(next) else { throw FormatError.malformed(file: file, reason: "the file is empty") }
      let kind = try Kind(header: header, file: file)
      guard let shard = kind.shard else { throw FormatError.notAShard(file: file) }
      if let head = kinds.first {
        guard shard.source == head.shard!.source else {
          throw FormatError.shardOfOtherFile(file: file, source: shard.source, expected: head.shard!.source)
        }
        guard shard.count == head.shard!.count, kind.base == head.base else {
          throw FormatError.shardMismatch(
            file: file, reason: "its header differs from \(first.file)'s (another count of shards, key, model or format)")
        }
      }
      kinds.append(kind)
    }
    let count = kinds[0].shard!.count
    var files: [Int: [String]] = [:]
    for (kind, shard) in zip(kinds, shards) { files[kind.shard!.index, default: []].append(shard.file) }
    if let (index, names) = files.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
      throw FormatError.shardDuplicated(index: index, files: names)
    }
    if let missing = (0..<count).first(where: { files[$0] == nil }) {
      throw FormatError.shardMissing(index: missing, count: count)
    }
    guard kinds.enumerated().allSatisfy({ $0.element.shard!.index == $0.offset }) else {
      throw FormatError.shardsReordered(files: (0..<count).map { files[$0]![0] })
    }
    try write(kinds[0].base + "\n")
    var records = 0
    var lines = 0
    for (kind, (file, next)) in zip(kinds, shards) {
      guard kind.shard!.firstLine == lines else {
        throw FormatError.shardMismatch(
          file: file, reason: "it starts at record line \(kind.shard!.firstLine) but the shards before it hold \(lines)")
      }
      try kind.forEachLine(next, file: file) { text, count in
        guard let count else { return }
        try write(text + "\n")
        records += count
        lines += 1
      }
    }
    try write(kinds[0].trailer(records: records, lines: lines) + "\n")
    return (records, lines)
  }

  static func firstNonBlank(_ next: () throws -> String?) throws -> String? {
    while let line = try next() {
      if !isBlank(line) { return line }
    }
    return nil
  }

  static func isBlank(_ line: String) -> Bool {
    line.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
  }

  static func changed(_ file: String) -> FormatError {
    .malformed(file: file, reason: "the file changed while it was split")
  }

  static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
  }

  /// What the shards need of a batch file of either scheme: its header
  /// without the shard field, the shard, how to count a line's records and
  /// write a trailer.
  struct Kind {
    let base: String
    let shard: BatchShard?
    /// BFV: the binding and content of the lines; nil for Paillier.
    let bfv: (binding: [UInt8], content: BFVBatchLine.Content, format: String)?

    init(header: String, file: String) throws {
      (base, shard) = try BatchShard.parse(header: header, file: file)
      if BFVFileHeader.isBFV(base) {
        let parsed = try BFVFileHeader.parse(base, file: file)
        let content: BFVBatchLine.Content
        switch parsed.format {
        case BFVFileHeader.recordsFormat: content = .records
        case BFVFileHeader.scoresFormat: content = .scores
        default:
          throw FormatError.wrongKind(
            file: file, found: BFVFileHeader.describe(parsed.format), needed: "a batch file of records or scores")
        }
        bfv = (try parsed.binding(), content, parsed.format)
      } else if Paillier.Batch.isHeader(base) {
        do {
          _ = try Paillier.Batch.modulus(ofHeader: base)
        } catch {
          throw FormatError.malformed(file: file, reason: error.localizedDescription)
        }
        let object = try? JSONSerialization.jsonObject(with: Data(base.utf8)) as? [String: Any]
        guard (object?["version"] as? NSNumber)?.intValue ?? 0 >= 2 else {
          throw FormatError.malformed(file: file, reason: "a version-1 batch file has no trailer and cannot be split")
        }
        bfv = nil
      } else {
        throw FormatError.wrongKind(file: file, found: "not a HEKit batch file", needed: "a batch file of records or scores")
      }
    }

    /// The trailer line of a file of `records` records in `lines` record lines.
    func trailer(records: Int, lines: Int) -> String {
      if let bfv { return BFVFileTrailer(format: bfv.format, records: records, lines: lines).line }
      return Paillier.Batch.Trailer(records: records, lines: lines).line
    }

    /// Calls `body` with each record line after the header and its records
    /// (checked against the header when `parse`), then with the trailer and
    /// nil; checks the trailer's counts.
    func forEachLine(
      _ next: () throws -> String?, file: String, parse: Bool = true, _ body: (String, Int?) throws -> Void
    ) throws {
      let name = file == "-" ? "standard input" : file
      var end = BatchTrailerCheck(file: file, required: true) { [bfv] line in
        if let bfv {
          let trailer = try BFVFileTrailer(parsing: line, format: bfv.format, file: file)
          return (trailer.records, trailer.lines)
        }
        let trailer = try Paillier.Batch.Trailer(parsing: line)
        return (trailer.records, trailer.lines)
      }
      var number = 1
      var trailerLine: String?
      while let text = try next() {
        number += 1
        if isBlank(text) { continue }
        if try end.isTrailer(text, number: number) {
          trailerLine = text
          continue
        }
        var records = 1
        if let bfv, parse {
          do throws(BFVBatchLine.LineError) {
            let line = try BFVBatchLine(text)
            guard line.binding == bfv.binding else {
              throw BFVBatchLine.LineError("the line belongs to another file: it was written under another header")
            }
            guard line.content == bfv.content else {
              throw BFVBatchLine.LineError("a line of \(line.content) in a file of \(bfv.content)")
            }
            records = line.count
          } catch {
            throw FormatError.malformedLine(file: name, line: number, reason: error.reason)
          }
        }
        end.count(records: records)
        try body(text, records)
      }
      guard end.lines > 0 else {
        throw FormatError.malformed(file: name, reason: "no record after the header: the file is truncated")
      }
      if parse { try end.finish() }
      if let trailerLine { try body(trailerLine, nil) }
    }
  }
}
