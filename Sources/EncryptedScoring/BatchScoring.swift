/// The scoring server's side of batch scoring, for either scheme
/// (``BFVScoringServer``, ``PaillierScoringServer``): a records batch file in,
/// a scores batch file out, with public material only.
public protocol EncryptedBatchScorer: Sendable {
  /// Scores a records batch file: reads its lines after the header through
  /// `nextLine`, writes the scores batch file (header, lines, trailer) through `write`.
  /// - Parameters:
  ///   - nextLine: the records file's lines after its header, nil at the end.
  ///   - file: the records file, for messages.
  ///   - write: receives the scores file's text in order.
  ///   - progress: told the records of each part once written.
  /// - Returns: the number of records scored.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line; errors of `nextLine` and `write`.
  @discardableResult
  func scoreFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void, progress: (Int) -> Void
  ) throws -> Int
}

/// The key holder's side of a batch file, for either scheme
/// (``BFVBatchDecryptor``, ``PaillierBatchDecryptor``): CSV rows of the
/// decrypted scores or records.
public protocol EncryptedBatchDecryptor: Sendable {
  /// The CSV header line (without newline); nil for records without names.
  var csvHeader: String? { get }

  /// Decrypts a batch file: reads its lines after the header through
  /// `nextLine`, writes CSV (the header line, if any, then a row per record).
  /// - Returns: the number of records.
  /// - Throws: ``HEKitFormats/FormatError`` naming the file and line; errors of `nextLine` and `write`.
  @discardableResult
  func decryptFile(
    lines nextLine: () throws -> String?, file: String, to write: (String) throws -> Void, progress: (Int) -> Void
  ) throws -> Int
}

extension BFVScoringServer: EncryptedBatchScorer {}
extension PaillierScoringServer: EncryptedBatchScorer {}
extension BFVBatchDecryptor: EncryptedBatchDecryptor {}
extension PaillierBatchDecryptor: EncryptedBatchDecryptor {}
