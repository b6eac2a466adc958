import BigNum
import HEKitFormats
import Paillier
import Tabular

/// The data owner's side of Paillier batch scoring: a records batch file,
/// one ciphertext per selected cell (python-paillier's exact encoding of the
/// decimal text), optionally followed by the squares of the values (for
/// variances in encrypted analytics).
public struct PaillierRecordEncryptor: Sendable {
  /// The public key.
  public let publicKey: Paillier.PublicKey
  /// How encryption randomness is drawn.
  public let mode: Paillier.EncryptionMode
  /// The column names written to the header; nil for none.
  public let columns: [String]?
  /// Whether each record also carries the squares of its values.
  public let withSquares: Bool

  /// - Parameters:
  ///   - publicKey: the key to encrypt under.
  ///   - columns: the names of the columns (written to the header); nil for none.
  ///   - withSquares: also encrypt each value's square (named `NAME^2`).
  ///   - mode: how encryption randomness is drawn.
  public init(
    publicKey: Paillier.PublicKey, columns: [String]?, withSquares: Bool = false, mode: Paillier.EncryptionMode = .djn
  ) {
    self.publicKey = publicKey
    self.columns = columns
    self.withSquares = withSquares
    self.mode = mode
  }

  /// The batch file's header line (without newline).
  public var headerLine: String {
    let names = columns.map { $0 + (withSquares ? $0.map { "\($0)^2" } : []) }
    return Paillier.Batch.header(for: publicKey, .init(columns: names))
  }

  /// The record line of one row of cells (decimal text, one per column).
  /// - Parameters:
  ///   - cells: the values as text.
  ///   - line: the row's line in its CSV file, for messages.
  /// - Throws: ``Tabular/TabularError`` naming the line and column of a cell
  ///   that is not a finite decimal number; `PaillierError` from encoding.
  /// - Complexity: one encryption per cell (two with squares).
  public func encryptRecord(_ cells: [String], line: Int) throws -> String {
    var ciphertexts: [Paillier.Ciphertext] = []
    var squares: [Paillier.Ciphertext] = []
    for (j, cell) in cells.enumerated() {
      // Refuse what is not a finite decimal number, naming line and column.
      _ = try ColumnSelection.number(cell, line: line, column: columns?[j] ?? "column \(j + 1)")
      let encoded = try Paillier.EncodedNumber(decimal: cell, publicKey: publicKey)
      ciphertexts.append(try publicKey.encrypt(encoded, mode: mode))
      if withSquares {
        let square = try Paillier.EncodedNumber(
          mantissa: encoded.mantissa().squared(), exponent: 2 * encoded.exponent, publicKey: publicKey)
        squares.append(try publicKey.encrypt(square, mode: mode))
      }
    }
    return Paillier.Batch.record(ciphertexts + squares)
  }

  /// Writes a whole records batch file through `write`: the header line, a
  /// record line per row that `nextRows` returns (until it returns none,
  /// ``PaillierBatchFile/chunkSize`` rows at a time over all cores), the trailer.
  /// - Returns: the number of records.
  /// - Throws: as ``encryptRecord(_:line:)``; ``Tabular/TabularError/emptyInput(what:)`` for no rows.
  @discardableResult
  public func encryptFile(
    rows nextRows: () throws -> [(line: Int, cells: [String])], to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    try write(headerLine + "\n")
    var records = 0
    while case let rows = try nextRows(), !rows.isEmpty {
      let lines = try parallelMap(rows.count) { try encryptRecord(rows[$0].cells, line: rows[$0].line) }
      for line in lines { try write(line + "\n") }
      progress(lines.count)
      records += lines.count
    }
    guard records > 0 else { throw TabularError.emptyInput(what: "no data rows") }
    try write(Paillier.Batch.Trailer(records: records, lines: records).line + "\n")
    return records
  }
}

/// The scoring server's side of a Paillier records batch file: one
/// re-randomised encrypted score per record, written as a scores batch file.
/// Public key and model only.
public struct PaillierScoringServer: Sendable {
  /// The scorer.
  public let scorer: EncryptedLinearModel
  /// The public key of the records.
  public let publicKey: Paillier.PublicKey
  /// The records file's header.
  public let records: Paillier.Batch.Header
  let mapping: [Int]

  /// - Parameters:
  ///   - model: the plaintext model.
  ///   - publicKey: the records' public key.
  ///   - records: the records file's header (checked against the key by the caller).
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` when
  ///   the records lack a feature of the model.
  public init(model: LinearModel, publicKey: Paillier.PublicKey, records: Paillier.Batch.Header) throws {
    scorer = EncryptedLinearModel(model)
    self.publicKey = publicKey
    self.records = records
    mapping = try scorer.featureIndices(columns: records.columns)
  }

  /// The scores file's header line (without newline): the model's kind and threshold.
  public var headerLine: String {
    var annotations = ["model-kind": scorer.model.kind.rawValue, "model-threshold": String(scorer.model.threshold)]
    annotations[BatchShard.field] = records.annotations[BatchShard.field]  // a scored shard joins like its records
    return Paillier.Batch.header(for: publicKey, .init(columns: ["score"], annotations: annotations))
  }

  /// The score line of one record, re-randomised.
  /// - Throws: ``Tabular/TabularError/featureMismatch(expected:found:)`` for
  ///   a record of another width; ``Paillier/PaillierError/unknownBound`` for
  ///   ciphertexts without a bound (the overflow check needs one).
  public func score(_ record: [Paillier.Ciphertext]) throws -> String {
    if records.columns == nil, record.count != scorer.model.features.count {
      throw TabularError.featureMismatch(
        expected: scorer.model.features, found: (0..<record.count).map { "column \($0 + 1)" })
    }
    // Without a bound the window cannot be checked (files of hekit before bounds, or hand-made ones).
    guard record.allSatisfy({ $0.magnitudeBound != nil }) else { throw PaillierError.unknownBound }
    return Paillier.Batch.record([try scorer.score(record, mapping: mapping).rerandomized()])
  }

  /// Scores a records batch file: reads its lines after the header through
  /// `nextLine`, writes the scores batch file (header, a line per record,
  /// trailer) through `write`.
  /// - Returns: the number of records.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line.
  /// - Complexity: one multi-exponentiation per record, over all cores.
  @discardableResult
  public func scoreFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    try write(headerLine + "\n")
    let server = self
    return try PaillierBatchFile.transformRecords(
      lines: nextLine, file: file, header: records, publicKey: publicKey, trailer: true, to: write, progress: progress
    ) { try server.score($0) }
  }
}

/// The key holder's side of a Paillier batch file: CSV rows of the values
/// (records) or of logit, probability and label (scores).
public struct PaillierBatchDecryptor: Sendable {
  let privateKey: Paillier.PrivateKey
  /// The file's header.
  public let header: Paillier.Batch.Header
  /// The columns of a scores file; nil for records.
  public let scores: ScoreColumns?

  /// - Parameters:
  ///   - privateKey: the private key of the file's public key.
  ///   - header: the file's header (checked against the key by the caller).
  public init(privateKey: Paillier.PrivateKey, header: Paillier.Batch.Header) {
    self.privateKey = privateKey
    self.header = header
    scores = ScoreColumns(header)
  }

  /// The CSV header line (without newline); nil for records without names.
  public var csvHeader: String? {
    (scores?.names ?? header.columns).map { $0.map(CSVParser.field).joined(separator: ",") }
  }

  /// The CSV row of one record.
  /// - Throws: `PaillierError` from decryption or decoding;
  ///   ``ScoringError/layoutMismatch(reason:)`` for a score record of several values.
  public func decrypt(_ record: [Paillier.Ciphertext]) throws -> String {
    if let scores {
      guard record.count == 1 else {
        throw ScoringError.layoutMismatch(reason: "a score record holds \(record.count) values, not 1")
      }
      return scores.row(for: try privateKey.decryptEncoded(record[0]).doubleValue())
    }
    return try record.map { try privateKey.decryptEncoded($0).decimalString() }.joined(separator: ",")
  }

  /// Decrypts a batch file: reads its lines after the header through
  /// `nextLine`, writes CSV (the header line, if any, then a row per record).
  /// - Returns: the number of records.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line.
  @discardableResult
  public func decryptFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void,
    progress: (Int) -> Void = { _ in }
  ) throws -> Int {
    if let csvHeader { try write(csvHeader + "\n") }
    let decryptor = self
    return try PaillierBatchFile.transformRecords(
      lines: nextLine, file: file, header: header, publicKey: privateKey.publicKey, to: write, progress: progress
    ) { try decryptor.decrypt($0) }
  }
}
