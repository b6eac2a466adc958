import BFV
import Foundation

/// One batch line of the BFV records and scores files that `hekit encrypt`,
/// `score` and `decrypt` stream: `count` records, K plaintext moduli × d
/// values each (modulus-major). The line is the base64 of
///
/// ```
/// "HEKL" | u8 version 2 | u8 content (1 records, 2 scores) | u16 K
/// u32 count (records in the batch, 1...N) | u32 d (values per modulus)
/// 16 bytes binding (``BFVFileHeader/binding()`` of the file's header)
/// K·d × (u32 length | serialized BFV ciphertext), modulus-major
/// ```
///
/// with integers little-endian. The binding ties the line to the header it
/// was written under (key identity, parameters, columns, exponents, ranges or
/// model fields): a line moved into another file is refused by
/// ``check(_:moduli:values:capacity:binding:)``, while a line keeps no state
/// of its neighbours, so a shard of lines is read on its own given its
/// header. Reading checks the framing before anything is allocated for it:
/// every declared length is bounded by the bytes that are really there. The
/// ciphertexts themselves are read (and checked against their parameters) by
/// ``ciphertext(_:_:parameters:)``.
public struct BFVBatchLine: Sendable {
  /// What a batch line holds.
  public enum Content: UInt8, Sendable {
    /// Encrypted feature values of `count` records.
    case records = 1
    /// Encrypted scores of `count` records.
    case scores = 2
  }

  static let magic = Array("HEKL".utf8)
  /// The framing version this build writes and reads.
  public static let version: UInt8 = 2
  /// The bytes of the binding.
  public static let bindingBytes = 16
  /// The bytes before the first ciphertext.
  static let frameBytes = 16 + bindingBytes

  /// The most plaintext moduli a line may hold (CRT values stay in UInt128).
  public static let maximumModuli = 6
  /// The most values per modulus a line may hold.
  public static let maximumValues = 1 << 20

  /// The base64 line of serialized ciphertexts `blobs[i][j]` (modulus i, value j).
  /// - Parameters:
  ///   - content: records or scores.
  ///   - count: the records in the batch.
  ///   - binding: the header's ``BFVFileHeader/binding()`` (16 bytes).
  ///   - blobs: K rows of d serialized ciphertexts each.
  public static func encode(_ content: Content, count: Int, binding: [UInt8], blobs: [[[UInt8]]]) -> String {
    var writer = Writer(content, count: count, binding: binding, moduli: blobs.count, values: blobs.first?.count ?? 0)
    var text = writer.start()
    for row in blobs {
      for blob in row { text += writer.append(blob) }
    }
    return text + writer.finish()
  }

  /// A batch line written a ciphertext at a time, in constant memory beyond
  /// one ciphertext: the frame, then each `(length | ciphertext)` in
  /// modulus-major order, base64-encoded as it comes (whole 3-byte groups;
  /// at most two bytes are held back between calls).
  public struct Writer: Sendable {
    private var frame: [UInt8]
    private var pending: [UInt8] = []
    private let expected: Int
    private var written = 0

    /// - Parameters:
    ///   - content: records or scores.
    ///   - count: the records in the batch.
    ///   - binding: the header's ``BFVFileHeader/binding()`` (16 bytes).
    ///   - moduli: K.
    ///   - values: d, the ciphertexts per modulus.
    public init(_ content: Content, count: Int, binding: [UInt8], moduli: Int, values: Int) {
      precondition(binding.count == BFVBatchLine.bindingBytes, "a binding is 16 bytes")
      var bytes = magic + [BFVBatchLine.version, content.rawValue]
      func u16(_ v: Int) { bytes += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)] }
      func u32(_ v: Int) { for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
      u16(moduli)
      u32(count)
      u32(values)
      frame = bytes + binding
      expected = moduli * values
    }

    /// The base64 text of the frame (call first).
    public mutating func start() -> String { encode(frame) }

    /// The base64 text of the next ciphertext (modulus-major), but for up to
    /// two bytes held back for the next call.
    public mutating func append(_ blob: [UInt8]) -> String {
      written += 1
      let length = blob.count
      return encode((0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + blob)
    }

    /// The base64 text of the bytes held back (call last).
    public mutating func finish() -> String {
      precondition(written == expected, "a batch line holds K·d ciphertexts")
      defer { pending = [] }
      return Data(pending).base64EncodedString()
    }

    private mutating func encode(_ bytes: [UInt8]) -> String {
      let all = pending + bytes
      let whole = all.count / 3 * 3
      pending = Array(all[whole...])
      return Data(all[..<whole]).base64EncodedString()
    }
  }

  /// Records or scores.
  public let content: Content
  /// The records in the batch.
  public let count: Int
  /// K, the plaintext moduli.
  public let moduli: Int
  /// d, the ciphertexts per modulus.
  public let values: Int
  /// The binding to the header the line was written under (16 bytes).
  public let binding: [UInt8]
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
    return (frameBytes + bytes + 2) / 3 * 4
  }

  /// Decodes and checks the framing (not the ciphertexts themselves).
  /// - Parameter line: one line of a records or scores file, without its newline.
  /// - Throws: ``LineError`` saying what is wrong (the caller adds file and line).
  public init(_ line: String) throws(LineError) {
    guard let data = Data(base64Encoded: line) else { throw LineError("not base64 (truncated or garbled)") }
    let bytes = [UInt8](data)
    guard bytes.count >= 6, Array(bytes[0..<4]) == Self.magic else { throw LineError("not a HEKit BFV batch line") }
    guard bytes[4] == Self.version else {
      throw LineError("batch line version \(bytes[4]) is not supported (this build reads \(Self.version))")
    }
    guard bytes.count >= Self.frameBytes else { throw LineError("truncated after \(bytes.count) bytes") }
    guard let content = Content(rawValue: bytes[5]) else { throw LineError("unknown batch content \(bytes[5])") }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    let moduli = u16(6)
    let count = u32(8)
    let values = u32(12)
    guard moduli >= 1, values >= 1, moduli <= Self.maximumModuli, values <= Self.maximumValues else {
      throw LineError("\(moduli) moduli × \(values) values is not a batch")
    }
    var offset = Self.frameBytes
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
    self.binding = Array(bytes[16..<Self.frameBytes])
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
  /// `values` values per modulus and at most `capacity` records, and whose
  /// ``BFVFileHeader/binding()`` is `binding`.
  /// - Throws: ``LineError`` naming the first mismatch.
  public func check(
    _ expected: Content, moduli k: Int, values d: Int, capacity: Int, binding expectedBinding: [UInt8]
  ) throws(LineError) {
    guard binding == expectedBinding else {
      throw LineError(
        "the line belongs to another file: it was written under another header (another key, parameters, "
          + "columns, ranges or model), and lines cannot be moved between files")
    }
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
