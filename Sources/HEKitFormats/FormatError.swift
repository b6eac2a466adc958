import Foundation
import Paillier

/// What can be wrong with a file of HEKit (a key file, a batch file of either
/// scheme) or its use, with the file and what to do.
public enum FormatError: Error, LocalizedError, Equatable, Sendable {
  /// The file is not the kind expected, or cannot be read as one.
  case malformed(file: String, reason: String)
  /// A batch line that cannot be read (line numbers count the header as 1).
  case malformedLine(file: String, line: Int, reason: String)
  /// A batch file that ends before its trailer says it should, or without one.
  case truncated(file: String, detail: String)
  /// A batch file with more records or lines than its trailer counts (lines added, files joined).
  case trailerMismatch(file: String, records: Int, lines: Int, trailerRecords: Int, trailerLines: Int)
  /// A file made under another key than the one given.
  case keyMismatch(file: String, found: String, expected: String)
  /// A Paillier batch file encrypted under another public key than the one in `keyFile`.
  case otherPublicKey(file: String, keyFile: String)
  /// A secret key file where only public material may go.
  case secretKeyRefused(file: String)
  /// A Paillier private key where only the public key may go.
  case privateKeyRefused(file: String)
  /// A Paillier public key where the private key is needed.
  case privateKeyRequired(file: String)
  /// A file of the other scheme (`found`: its scheme) than the one at hand.
  case otherScheme(file: String, found: String)
  /// A Paillier ciphertext without HEKit's magnitude bound where an operation must check its window.
  case unboundedCiphertext(file: String)
  /// A file of another scheme or kind than the command needs.
  case wrongKind(file: String, found: String, needed: String)
  /// The model's scores need more plaintext bits than the key's moduli hold
  /// (with what to do at the command line).
  case doesNotFit(needBits: Int, haveBits: Int, key: String)
  /// A CSV value outside the range the batch header declares.
  case outOfRange(line: Int, column: String, value: Double, range: ClosedRange<Double>)
  /// A file given as a shard whose header has no shard field (``BatchShard``).
  case notAShard(file: String)
  /// A shard split from another file (`source`) than the first shard's (`expected`).
  case shardOfOtherFile(file: String, source: String, expected: String)
  /// Shard `index` given more than once.
  case shardDuplicated(index: Int, files: [String])
  /// Shard `index` of `count` not given.
  case shardMissing(index: Int, count: Int)
  /// Every shard given, out of order; `files` in their order.
  case shardsReordered(files: [String])
  /// A shard that does not fit the others (its header or its place).
  case shardMismatch(file: String, reason: String)

  /// The message for a person: the file, the fault, and what to do.
  public var errorDescription: String? {
    switch self {
    case .malformed(let file, let reason):
      return "\(file): \(reason)"
    case .malformedLine(let file, let line, let reason):
      return "\(file), line \(line): \(reason)"
    case .truncated(let file, let detail):
      return "\(file) is truncated: \(detail)"
    case .trailerMismatch(let file, let records, let lines, let trailerRecords, let trailerLines):
      return "\(file) holds \(records) records in \(lines) lines where its trailer says \(trailerRecords) in "
        + "\(trailerLines) (lines were added or files joined)"
    case .keyMismatch(let file, let found, let expected):
      return "\(file) was made under BFV key \(found), not under the given key \(expected)"
    case .otherPublicKey(let file, let keyFile):
      return "\(file) was encrypted under a different public key than the one in \(keyFile)"
    case .secretKeyRefused(let file):
      return "\(file) is a secret key: only the public key may be used here"
    case .privateKeyRefused(let file):
      return "\(file) is a private key: only the public key may be used here"
    case .privateKeyRequired(let file):
      return "\(file) is a public key: the private key is needed here"
    case .otherScheme(let file, let found):
      return "\(file) is a \(found) file, not a Paillier key or ciphertext"
    case .unboundedCiphertext(let file):
      return "\(file): " + PaillierError.unknownBound.localizedDescription
    case .wrongKind(let file, let found, let needed):
      return "\(file) is \(found), not \(needed)"
    case .doesNotFit(let need, let have, let key):
      return "the quantised model's scores need \(need) bits of plaintext space but the parameters hold \(have)"
        + " (key \(key) fixes its plaintext moduli: keys with more or wider moduli, or a larger error target)"
    case .outOfRange(let line, let column, let value, let range):
      return "CSV line \(line), column '\(column)': \(value) is outside the declared range "
        + "\(range.lowerBound)...\(range.upperBound)"
    case .notAShard(let file):
      return "\(file) is not a shard (its header has no shard field): give the files hekit split wrote"
    case .shardOfOtherFile(let file, let source, let expected):
      return "\(file) is a shard of another file (source \(source)) than the first shard's (source \(expected))"
    case .shardDuplicated(let index, let files):
      return "shard \(index) is given more than once: \(files.joined(separator: ", "))"
    case .shardMissing(let index, let count):
      return "shard \(index) is missing (the split made shards 0 to \(count - 1)): give every shard, in order"
    case .shardsReordered(let files):
      return "the shards are out of order; give them in this order: \(files.joined(separator: " "))"
    case .shardMismatch(let file, let reason):
      return "\(file) does not fit the other shards: \(reason)"
    }
  }
}
