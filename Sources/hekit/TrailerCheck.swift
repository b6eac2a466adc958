import Foundation
import HEKit

/// Warns on standard error that a version-1 Paillier batch file (no trailer)
/// cannot be checked for truncation.
func warnIfVersion1(_ path: String, _ header: Paillier.Batch.Header) {
  guard !header.hasTrailer else { return }
  FileHandle.standardError.write(Data((
    "warning: \(path == "-" ? "standard input" : path) is a version-1 batch file, which has no trailer: a copy cut at "
      + "a line boundary cannot be told from a whole one (this hekit writes version 2)\n").utf8))
}

extension BatchTrailerCheck {
  /// A Paillier batch file's check; warns on standard error that a version-1
  /// file (no trailer) cannot be checked for truncation.
  init(paillier path: String, header: Paillier.Batch.Header) {
    self.init(file: path, required: header.hasTrailer) { line in
      let trailer = try Paillier.Batch.Trailer(parsing: line)
      return (trailer.records, trailer.lines)
    }
    warnIfVersion1(path, header)
  }
}
