import BigNum
import Paillier

/// The line-oriented Paillier batch files (``Paillier/Paillier/Batch``: a
/// header line, one record of ciphertexts per line, a trailer), read and
/// written a chunk of records at a time over all cores.
public enum PaillierBatchFile {
  /// Records per chunk: enough to keep every core busy, few enough to bound memory.
  public static let chunkSize = 64

  /// The header of a batch file, checked against the key.
  /// - Parameters:
  ///   - line: the header line.
  ///   - file: the batch file, for messages.
  ///   - publicKey: the key it must be under.
  ///   - keyFile: the key's file, for messages.
  /// - Throws: ``FormatError/otherPublicKey(file:keyFile:)`` for another
  ///   key; ``FormatError/malformed(file:reason:)`` for a bad header.
  public static func header(
    _ line: some StringProtocol, file: String, publicKey: Paillier.PublicKey, keyFile: String
  ) throws(FormatError) -> Paillier.Batch.Header {
    do {
      return try Paillier.Batch.validateHeader(line, for: publicKey)
    } catch .keyMismatch {
      throw .otherPublicKey(file: file, keyFile: keyFile)
    } catch {
      throw .malformed(file: file, reason: error.localizedDescription)
    }
  }

  /// Runs `body` on every record after the header, ``chunkSize`` records at
  /// a time over all cores, and hands each chunk's results, in order, to
  /// `consume`. The trailer is checked (a version-1 file has none).
  /// - Parameters:
  ///   - nextLine: the file's lines after the header, nil at the end.
  ///   - file: the file, for messages.
  ///   - header: its header.
  ///   - publicKey: the key of its ciphertexts.
  ///   - progress: told the records of each chunk once consumed.
  ///   - body: the result of one record.
  ///   - consume: receives each chunk's results in order.
  /// - Returns: the number of records.
  /// - Throws: ``FormatError`` naming the file and line of a bad record, a
  ///   missing or extra line; errors of `body` (with the line), `nextLine`, `consume`.
  @discardableResult
  public static func forEachRecordChunk<R: Sendable>(
    lines nextLine: () throws -> String?, file: String, header: Paillier.Batch.Header, publicKey: Paillier.PublicKey,
    progress: (Int) -> Void = { _ in }, _ body: @escaping @Sendable ([Paillier.Ciphertext]) throws -> R,
    consume: ([R]) throws -> Void
  ) throws -> Int {
    let name = file == "-" ? "standard input" : file
    var rows: [(Int, String)] = []
    var number = 1
    var end = BatchTrailerCheck(file: file, required: header.hasTrailer) { line in
      let trailer = try Paillier.Batch.Trailer(parsing: line)
      return (trailer.records, trailer.lines)
    }
    func flush() throws {
      let chunk = rows
      let results = try parallelMap(chunk.count) { index -> R in
        let (line, text) = chunk[index]
        do {
          return try body(Paillier.Batch.parseRecord(text, publicKey: publicKey))
        } catch {
          throw FormatError.malformedLine(file: name, line: line, reason: error.localizedDescription)
        }
      }
      try consume(results)
      progress(chunk.count)
      rows.removeAll(keepingCapacity: true)
    }
    while let line = try nextLine() {
      number += 1
      if line.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
      if try end.isTrailer(line, number: number) { continue }
      end.count(records: 1)
      rows.append((number, line))
      if rows.count == chunkSize { try flush() }
    }
    try flush()
    guard end.records > 0 else {
      throw FormatError.malformed(
        file: name, reason: "no record after the header: the file is truncated (HEKit never writes one without records)")
    }
    try end.finish()
    return end.records
  }

  /// Writes one output line per record (the result of `body`), then a
  /// version-2 trailer when `trailer` is set; see ``forEachRecordChunk(lines:file:header:publicKey:progress:_:consume:)``.
  /// - Returns: the number of records.
  @discardableResult
  public static func transformRecords(
    lines nextLine: () throws -> String?, file: String, header: Paillier.Batch.Header, publicKey: Paillier.PublicKey,
    trailer: Bool = false, to write: (String) throws -> Void, progress: (Int) -> Void = { _ in },
    _ body: @escaping @Sendable ([Paillier.Ciphertext]) throws -> String
  ) throws -> Int {
    let records = try forEachRecordChunk(
      lines: nextLine, file: file, header: header, publicKey: publicKey, progress: progress, body
    ) { lines in
      for line in lines { try write(line + "\n") }
    }
    if trailer { try write(Paillier.Batch.Trailer(records: records, lines: records).line + "\n") }
    return records
  }
}
