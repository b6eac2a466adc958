import BFV
import BigNum
import Foundation
import HEKitFormats
import Tabular

/// The data owner's side of BFV batch scoring, without the model: a records
/// batch file. Columns are quantised at exponents picked from their declared
/// ranges and encrypted one ciphertext per (plaintext modulus, column), with
/// records in slots; the header names the key, the columns and the ranges.
public struct BFVRecordEncryptor: Sendable {
  /// The key set (public, or secret for seeded secret-key encryption).
  public let keys: BFVKeyFile
  /// The records header as written (public).
  public let header: BFVFileHeader
  let names: [String]
  let exponents: [Int]
  let ranges: [ClosedRange<Double>]
  /// The header's binding, carried by every line.
  let binding: [UInt8]
  /// The plaintext moduli's CRT, which encodes each column's residues.
  let plaintext: BFV.PlaintextCRT

  /// Records per batch line: N.
  public var recordsPerBatch: Int { keys.parameters[0].slotCount }

  /// - Parameters:
  ///   - keys: a public key set (public-key encryption) or a secret one
  ///     (seeded secret-key encryption: half the size).
  ///   - columns: the column names written to the header (nil for none).
  ///   - ranges: the declared range of every column.
  ///   - precisionBits: bits of each encoded value (see
  ///     ``FixedPointLinearModel/featureExponents(for:precisionBits:)``).
  /// - Throws: ``HEKitFormats/FormatError`` for ranges a header cannot hold.
  public init(keys: BFVKeyFile, columns: [String]?, ranges declared: [ClosedRange<Double>], precisionBits: Int) throws {
    var header = BFVFileHeader(format: BFVFileHeader.recordsFormat, key: keys.header.key, spec: keys.spec)
    header.encryption = keys.isSecret ? "secret-key" : "public-key"
    header.precisionBits = precisionBits
    header.columns = columns
    header.exponents = FixedPointLinearModel.featureExponents(for: declared, precisionBits: precisionBits)
    header.ranges = declared.map { [$0.lowerBound, $0.upperBound] }
    // Work from the header as a reader will see it, so both sides use the same numbers.
    let written = try BFVFileHeader.parse(try header.line(), file: "the records header")
    self.keys = keys
    self.header = written
    self.names = columns ?? (1...declared.count).map { "column \($0)" }
    self.exponents = written.exponents ?? []
    self.ranges = try written.checkedRanges(file: "the records header")
    self.binding = try written.binding()
    plaintext = try BFV.PlaintextCRT(parameters: keys.parameters)
  }

  /// The batch line of up to N records (rows of values in column order).
  /// - Throws: as ``encryptLine(_:to:)``.
  public func encryptLine(_ rows: [(line: Int, values: [Double])]) throws -> String {
    var text = ""
    try encryptLine(rows) { text += $0 }
    return text
  }

  /// Writes the batch line of up to N records (rows of values in column
  /// order) through `write`, a few ciphertexts at a time, so that memory
  /// stays bounded by the records' values and one group of ciphertexts
  /// whatever the number of columns. The newline is the caller's.
  /// - Throws: ``FormatError/outOfRange(line:column:value:range:)`` naming
  ///   the first value outside its declared range (before anything is
  ///   written); BFV errors; errors of `write`.
  /// - Complexity: K·d encryptions over all cores.
  public func encryptLine(_ rows: [(line: Int, values: [Double])], to write: (String) throws -> Void) throws {
    guard !rows.isEmpty, rows.count <= recordsPerBatch, rows.allSatisfy({ $0.values.count == ranges.count }) else {
      throw ScoringError.layoutMismatch(
        reason: "a batch line holds 1 to \(recordsPerBatch) records of \(ranges.count) values each")
    }
    let d = ranges.count
    // Column-major fixed-point values, range-checked.
    var columns = [[Int64]](repeating: [], count: d)
    for j in 0..<d { columns[j].reserveCapacity(rows.count) }
    for row in rows {
      for j in 0..<d {
        let x = row.values[j]
        guard ranges[j].contains(x) else {
          throw FormatError.outOfRange(line: row.line, column: names[j], value: x, range: ranges[j])
        }
        columns[j].append(Int64(Double(sign: .plus, exponent: exponents[j], significand: x).rounded()))
      }
    }
    let (keys, frozen, plaintext) = (keys, columns, plaintext)
    let k = keys.parameters.count
    var writer = BFVBatchLine.Writer(.records, count: rows.count, binding: binding, moduli: k, values: d)
    try write(writer.start())
    // A group of ciphertexts at a time, over all cores, in modulus-major order.
    let group = 4 * max(1, Parallelism.threadCount)
    for start in stride(from: 0, to: k * d, by: group) {
      let blobs = try BigNum.parallelMap(min(group, k * d - start)) { offset -> [UInt8] in
        let (i, j) = (start + offset).quotientAndRemainder(dividingBy: d)
        let encoded = try plaintext.encode(frozen[j], modulus: i)
        let ciphertext = keys.isSecret ? try keys.secretKeys[i].encrypt(encoded) : try keys.publicKeys[i].encrypt(encoded)
        return ciphertext.serialized()
      }
      for blob in blobs { try write(writer.append(blob)) }
    }
    try write(writer.finish())
  }

  /// Writes a whole records batch file through `write`: the header line, one
  /// line per batch of up to N records that `nextBatch` returns (until it
  /// returns none), and the trailer.
  /// - Parameters:
  ///   - nextBatch: the next rows (line number for messages, values in column
  ///     order), at most ``recordsPerBatch``; empty at the end.
  ///   - write: receives the file's text in order.
  ///   - progress: told the records of each batch once it is written.
  /// - Returns: the number of records.
  /// - Throws: as ``encryptLine(_:to:)``; ``Tabular/TabularError/emptyInput(what:)`` for no records.
  @discardableResult
  public func encryptFile(
    batches nextBatch: () throws -> [(line: Int, values: [Double])], to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    var batch = try nextBatch()
    guard !batch.isEmpty else { throw TabularError.emptyInput(what: "no records to encrypt") }
    try write(header.line() + "\n")
    var (records, lines) = (0, 0)
    while !batch.isEmpty {
      try encryptLine(batch, to: write)
      try write("\n")
      progress(batch.count)
      records += batch.count
      lines += 1
      batch = try nextBatch()
    }
    try write(BFVFileTrailer(format: BFVFileHeader.recordsFormat, records: records, lines: lines).line + "\n")
    return records
  }

  /// Writes a whole records batch file of `records` (rows of values in
  /// column order) through `write`; see ``encryptFile(batches:to:progress:)``.
  @discardableResult
  public func encryptFile(_ records: [[Double]], to write: (String) throws -> Void) throws -> Int {
    var start = 0
    return try encryptFile(
      batches: {
        let end = min(start + recordsPerBatch, records.count)
        defer { start = end }
        return (start..<end).map { (line: $0 + 2, values: records[$0]) }
      }, to: write)
  }
}
