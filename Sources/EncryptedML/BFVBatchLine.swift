import BFV
import Foundation

/// One batch line of the BFV records and scores files that `hekit encrypt`,
/// `score` and `decrypt` stream: `count` records, K plaintext moduli × d
/// values each (modulus-major). The line is the base64 of
///
/// ```
/// "HEKL" | u8 version 1 | u8 content (1 records, 2 scores) | u16 K
/// u32 count (records in the batch, 1...N) | u32 d (values per modulus)
/// K·d × (u32 length | serialized BFV ciphertext), modulus-major
/// ```
///
/// with integers little-endian. Reading checks the framing before anything
/// is allocated for it: every declared length is bounded by the bytes that
/// are really there. The ciphertexts themselves are read (and checked against
/// their parameters) by ``ciphertext(_:_:parameters:)``.
public struct BFVBatchLine: Sendable {
  /// What a batch line holds.
  public enum Content: UInt8, Sendable {
    /// Encrypted feature values of `count` records.
    case records = 1
    /// Encrypted scores of `count` records.
    case scores = 2
  }

  static let magic = Array("HEKL".utf8)

  /// The most plaintext moduli a line may hold (CRT values stay in UInt128).
  public static let maximumModuli = 6
  /// The most values per modulus a line may hold.
  public static let maximumValues = 1 << 20

  /// The base64 line of serialized ciphertexts `blobs[i][j]` (modulus i, value j).
  /// - Parameters:
  ///   - content: records or scores.
  ///   - count: the records in the batch.
  ///   - blobs: K rows of d serialized ciphertexts each.
  public static func encode(_ content: Content, count: Int, blobs: [[[UInt8]]]) -> String {
    var bytes = magic + [1, content.rawValue]
    func u16(_ v: Int) { bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
    func u32(_ v: Int) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
    u16(blobs.count)
    u32(count)
    u32(blobs.first?.count ?? 0)
    bytes.reserveCapacity(bytes.count + blobs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count + 4 } })
    for row in blobs {
      for blob in row {
        u32(blob.count)
        bytes += blob
      }
    }
    return Data(bytes).base64EncodedString()
  }

  /// Records or scores.
  public let content: Content
  /// The records in the batch.
  public let count: Int
  /// K, the plaintext moduli.
  public let moduli: Int
  /// d, the ciphertexts per modulus.
  public let values: Int
  /// The whole decoded line; `ranges[i][j]` is the byte range of ciphertext (i, j).
  let bytes: [UInt8]
  let ranges: [[Range<Int>]]

  /// The longest line (base64 characters) a batch of `moduli` × `values`
  /// ciphertexts under `parameters` can take: the framing plus the largest
  /// ciphertext (``BFV/Ciphertext/maximumSerializedSize(parameters:)``) in
  /// every place. A reader refuses longer lines before buffering them.
  public static func maximumTextLength(moduli: Int, values: Int, parameters: BFV.Parameters) -> Int {
    let ciphertext = 4 + BFV.Ciphertext.maximumSerializedSize(parameters: parameters)
    let (cells, overflow) = moduli.multipliedReportingOverflow(by: values)
    let (bytes, overflow2) = cells.multipliedReportingOverflow(by: ciphertext)
    guard !overflow, !overflow2, bytes < Int.max / 2 else { return Int.max }
    return (16 + bytes + 2) / 3 * 4
  }

  /// Decodes and checks the framing (not the ciphertexts themselves).
  /// - Parameter line: one line of a records or scores file, without its newline.
  /// - Throws: ``LineError`` saying what is wrong (the caller adds file and line).
  public init(_ line: String) throws(LineError) {
    guard let data = Data(base64Encoded: line) else { throw LineError("not base64 (truncated or garbled)") }
    let bytes = [UInt8](data)
    guard bytes.count >= 16, Array(bytes[0..<4]) == Self.magic else { throw LineError("not a HEKit BFV batch line") }
    guard bytes[4] == 1 else { throw LineError("batch line version \(bytes[4]) is not supported") }
    guard let content = Content(rawValue: bytes[5]) else { throw LineError("unknown batch content \(bytes[5])") }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    let moduli = u16(6)
    let count = u32(8)
    let values = u32(12)
    guard moduli >= 1, values >= 1, moduli <= Self.maximumModuli, values <= Self.maximumValues else {
      throw LineError("\(moduli) moduli × \(values) values is not a batch")
    }
    var offset = 16
    var ranges: [[Range<Int>]] = []
    for _ in 0..<moduli {
      var row: [Range<Int>] = []
      for _ in 0..<values {
        guard offset + 4 <= bytes.count else { throw LineError("truncated after \(bytes.count) bytes") }
        let length = u32(offset)
        offset += 4
        guard length <= bytes.count - offset else { throw LineError("truncated after \(bytes.count) bytes") }
        row.append(offset..<(offset + length))
        offset += length
      }
      ranges.append(row)
    }
    guard offset == bytes.count else { throw LineError("\(bytes.count - offset) bytes after the last ciphertext") }
    self.content = content
    self.count = count
    self.moduli = moduli
    self.values = values
    self.bytes = bytes
    self.ranges = ranges
  }

  /// Ciphertext (i, j) under `parameters`.
  /// - Parameters:
  ///   - i: the modulus, `0..<moduli`.
  ///   - j: the value, `0..<values`.
  ///   - parameters: the parameter set of modulus i.
  /// - Throws: ``LineError`` naming the ciphertext when it does not read under `parameters`.
  public func ciphertext(_ i: Int, _ j: Int, parameters: BFV.Parameters) throws(LineError) -> BFV.Ciphertext {
    do {
      return try BFV.Ciphertext(deserializing: Array(bytes[ranges[i][j]]), parameters: parameters)
    } catch {
      throw LineError("ciphertext \(j + 1) of modulus \(i + 1): \(error.description)")
    }
  }

  /// Checks that the line fits a file whose header says `content`, K moduli,
  /// `values` values per modulus and at most `capacity` records.
  /// - Throws: ``LineError`` naming the first mismatch.
  public func check(_ expected: Content, moduli k: Int, values d: Int, capacity: Int) throws(LineError) {
    guard content == expected else { throw LineError("a line of \(content) in a file of \(expected)") }
    guard moduli == k, values == d else {
      throw LineError("\(moduli) moduli × \(values) values where the header says \(k) × \(d)")
    }
    guard (1...capacity).contains(count) else { throw LineError("\(count) records in a batch of \(capacity) slots") }
  }

  /// What is wrong with a batch line (the reader of a file adds its name and line number).
  public struct LineError: Error, LocalizedError, Sendable {
    /// The fault, for a person.
    public let reason: String
    /// An error with `reason`.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var errorDescription: String? { reason }
  }
}
