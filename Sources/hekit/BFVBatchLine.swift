import Foundation
import HEKit

// The batch line of the BFV records and scores files (see BFVFiles.swift):
// the base64 of
//
//   "HEKL" | u8 version 1 | u8 content (1 records, 2 scores) | u16 K
//   u32 count (records in the batch, 1...N) | u32 d (values per modulus)
//   K·d × (u32 length | serialized BFV ciphertext), modulus-major
//
// with integers little-endian.

/// One batch line: `count` records, K moduli × d values each (modulus-major).
struct BFVBatchLine {
  enum Content: UInt8 {
    case records = 1, scores = 2
  }

  static let magic = Array("HEKL".utf8)

  /// The base64 line of serialized ciphertexts `blobs[i][j]` (modulus i, value j).
  static func encode(_ content: Content, count: Int, blobs: [[[UInt8]]]) -> String {
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

  let content: Content
  let count: Int
  let moduli: Int
  let values: Int
  /// The whole decoded line; `ranges[i][j]` is the byte range of ciphertext (i, j).
  let bytes: [UInt8]
  let ranges: [[Range<Int>]]

  /// Decodes and checks the framing (not the ciphertexts themselves).
  /// - Throws: a message on what is wrong (the caller adds file and line).
  init(_ line: String) throws(LineError) {
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
    guard moduli >= 1, values >= 1, moduli <= BFVParameterSpec.maximumModuli, values <= 1 << 20 else {
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
  func ciphertext(_ i: Int, _ j: Int, parameters: BFV.Parameters) throws(LineError) -> BFV.Ciphertext {
    do {
      return try BFV.Ciphertext(deserializing: Array(bytes[ranges[i][j]]), parameters: parameters)
    } catch {
      throw LineError("ciphertext \(j + 1) of modulus \(i + 1): \(error.description)")
    }
  }

  /// Checks that the line fits a file whose header says `content`, K moduli,
  /// `values` values per modulus and at most `capacity` records.
  func check(_ expected: Content, moduli k: Int, values d: Int, capacity: Int) throws(LineError) {
    guard content == expected else { throw LineError("a line of \(content) in a file of \(expected)") }
    guard moduli == k, values == d else {
      throw LineError("\(moduli) moduli × \(values) values where the header says \(k) × \(d)")
    }
    guard (1...capacity).contains(count) else { throw LineError("\(count) records in a batch of \(capacity) slots") }
  }

  struct LineError: Error, LocalizedError {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var errorDescription: String? { reason }
  }
}

extension String {
  /// Whether the line holds only spaces and tabs (stops at the first other
  /// byte: batch lines are megabytes).
  var isBlank: Bool { utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
}
