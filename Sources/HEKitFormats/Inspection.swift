import BigNum
import Crypto
import Foundation
import Paillier

/// What a HEKit file is: its kind, scheme and named values in the order a
/// report shows them, found by reading and checking the whole file (every
/// batch line decoded, every BFV key and ciphertext read under its
/// parameters). No secret value is ever among the values.
public struct Inspection: Sendable, Equatable {
  /// The kinds of file HEKit knows; the raw value is a short identifier for scripts.
  public enum Kind: String, Sendable, CaseIterable {
    case paillierPublicKey = "paillier-public-key"
    case paillierPrivateKey = "paillier-private-key"
    /// A single pheutil ciphertext `{"v", "e"}`.
    case paillierCiphertext = "paillier-ciphertext"
    case paillierRecords = "paillier-records"
    case paillierScores = "paillier-scores"
    /// A result file of `hekit analyze` (encrypted statistics).
    case paillierAnalysis = "paillier-analysis"
    case bfvPublicKey = "bfv-public-key"
    case bfvSecretKey = "bfv-secret-key"
    case bfvRecords = "bfv-records"
    case bfvScores = "bfv-scores"
    /// HEKit model JSON (plaintext, no scheme).
    case model
  }

  /// The encryption scheme of a file.
  public enum Scheme: String, Sendable {
    case paillier, bfv
  }

  /// A named value.
  public struct Field: Sendable, Equatable {
    /// The name, camelCase (`keyIdentity`, `resultPrimes`).
    public var name: String
    /// The value.
    public var value: Value

    /// A value named `name`.
    public init(_ name: String, _ value: Value) {
      self.name = name
      self.value = value
    }
  }

  /// A value of an inspection.
  public indirect enum Value: Sendable, Equatable {
    /// A single value or a list of them.
    case string(String), int(Int), double(Double), bool(Bool), strings([String]), ints([Int]), uints([UInt64])
    /// Named values (a file's parameters).
    case object([Field])
    /// A text for people, and the value for programs.
    case described(String, Value)
  }

  /// The kind of file.
  public var kind: Kind
  /// The kind for people ("a BFV public key", "a logistic model (HEKit model JSON)").
  public var summary: String
  /// The scheme; nil for a model.
  public var scheme: Scheme?
  /// The named values, in order (key identity, parameters, counts, ...).
  public var fields: [Field] = []

  /// An inspection with no values yet.
  public init(kind: Kind, summary: String, scheme: Scheme?) {
    self.kind = kind
    self.summary = summary
    self.scheme = scheme
  }

  /// The value named `name`, if any.
  public subscript(_ name: String) -> Value? { fields.first { $0.name == name }?.value }

  /// Appends a value if there is one.
  mutating func add(_ name: String, _ value: Value?) {
    if let value { fields.append(Field(name, value)) }
  }
}

extension Inspection {
  /// The largest single JSON document (a key, a ciphertext, a model) read whole, in bytes.
  public static let maximumDocumentBytes = 64 << 20

  /// Reads and checks a file of any HEKit kind.
  /// - Parameters:
  ///   - nextLine: the file's lines in order without their newlines, nil at
  ///     the end (blank lines before the first are skipped here).
  ///   - file: the file's name, for messages.
  ///   - lineLimit: told, once a BFV batch header is read, the longest line
  ///     its batch lines can be (a reader can refuse longer ones before buffering them).
  /// - Throws: ``FormatError`` naming the file (and line) for an empty file, a
  ///   file of no known kind or a garbled one; errors of `nextLine` unchanged.
  /// - Complexity: O(n) in the file's size; holds one line at a time
  ///   (a JSON document, at most ``maximumDocumentBytes``, whole).
  public init(lines nextLine: () throws -> String?, file: String, lineLimit: (Int) -> Void = { _ in }) throws {
    var first = try nextLine()
    while let line = first, line.isBlank { first = try nextLine() }
    guard let first else { throw FormatError.malformed(file: file, reason: "the file is empty: not a HEKit file") }
    if BFVFileHeader.isBFV(first) {
      self = try Self.bfv(first, nextLine, file: file, lineLimit: lineLimit)
    } else if Paillier.Batch.isHeader(first) {
      self = try Self.paillierBatch(first, nextLine, file: file)
    } else {
      var text = first
      while let more = try nextLine() {
        text += "\n" + more
        guard text.utf8.count <= Self.maximumDocumentBytes else {
          throw FormatError.malformed(file: file, reason: "not a HEKit file (no known header, and too large for a key or model)")
        }
      }
      self = try Self.document(Data(text.utf8), file: file)
    }
  }

  /// Reads and checks a file held in memory (see ``init(lines:file:lineLimit:)``).
  /// - Parameters:
  ///   - contents: the whole file.
  ///   - file: its name, for messages.
  /// - Throws: ``FormatError`` naming the file (and line) and the fault.
  /// - Complexity: O(n) in the file's size.
  public init(contents: Data, file: String) throws {
    var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    var next = lines.makeIterator()
    try self.init(
      lines: {
        guard var line = next.next() else { return nil }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
      }, file: file)
  }

  /// The key identity of a Paillier key: the first 16 bytes of SHA-256 over n big-endian, in hex.
  public static func paillierIdentity(_ n: BigInteger) -> String {
    SHA256.hash(data: (try? n.bigEndianBytes()) ?? []).prefix(16).hexString
  }
}

extension String {
  /// Whether the line holds only spaces and tabs.
  var isBlank: Bool { utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
}
