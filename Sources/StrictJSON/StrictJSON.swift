/// Checks that JSON text names no key twice in one object.
///
/// Foundation's parsers keep the last of two equal keys without a word, so
/// `{"intercept": 0, "intercept": 1000}` would be read as 1000. Every reader of
/// HEKit runs this scan first and refuses such text. The scan only looks for
/// duplicates: text that is not well-formed JSON is left for the real parser
/// to refuse, with its own message.
public enum StrictJSON {
  /// A key named twice in one object.
  public struct DuplicateKey: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key, with its escapes decoded.
    public let key: String
    public init(key: String) { self.key = key }
    public var description: String { "the key \"\(key)\" appears twice in one JSON object" }
  }

  /// The deepest nesting scanned; deeper text is left to the parser (which
  /// has its own limit).
  static let maximumDepth = 512

  /// Throws when an object of `bytes` names a key twice. Keys are compared
  /// after decoding escapes (`"a"` and `"\u0061"` are the same key).
  /// - Throws: ``DuplicateKey`` naming the first repeated key.
  /// - Complexity: O(n) in the length of the text.
  public static func checkNoDuplicateKeys(_ bytes: some Sequence<UInt8>) throws(DuplicateKey) {
    let array = Array(bytes)
    var scanner = Scanner(bytes: array)
    try scanner.value(depth: 0)
  }

  /// Throws when an object of `text` names a key twice.
  public static func checkNoDuplicateKeys(_ text: String) throws(DuplicateKey) {
    try checkNoDuplicateKeys(text.utf8)
  }

  private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    /// Scans one value; stops quietly (index at the end) on malformed text.
    mutating func value(depth: Int) throws(DuplicateKey) {
      skipSpace()
      guard index < bytes.count, depth < StrictJSON.maximumDepth else {
        index = bytes.count
        return
      }
      switch bytes[index] {
      case UInt8(ascii: "{"): try object(depth: depth)
      case UInt8(ascii: "["): try array(depth: depth)
      case UInt8(ascii: "\""): _ = string(decoding: false)
      default:
        while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
      }
    }

    mutating func object(depth: Int) throws(DuplicateKey) {
      index += 1
      var keys = Set<String>()
      while true {
        skipSpace()
        guard index < bytes.count else { return }
        if bytes[index] == UInt8(ascii: "}") {
          index += 1
          return
        }
        guard bytes[index] == UInt8(ascii: "\""), let key = string(decoding: true) else {
          index = bytes.count
          return
        }
        guard keys.insert(key).inserted else { throw DuplicateKey(key: key) }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
          index = bytes.count
          return
        }
        index += 1
        try value(depth: depth + 1)
        skipSpace()
        guard index < bytes.count else { return }
        if bytes[index] == UInt8(ascii: ",") { index += 1 }
      }
    }

    mutating func array(depth: Int) throws(DuplicateKey) {
      index += 1
      while true {
        skipSpace()
        guard index < bytes.count else { return }
        if bytes[index] == UInt8(ascii: "]") {
          index += 1
          return
        }
        let before = index
        try value(depth: depth + 1)
        skipSpace()
        guard index < bytes.count else { return }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
        } else if index == before {
          index = bytes.count  // no progress: malformed
          return
        }
      }
    }

    /// Scans a string starting at its opening quote; returns its decoded
    /// text when `decoding` (nil when malformed).
    mutating func string(decoding: Bool) -> String? {
      index += 1
      var scalars = String.UnicodeScalarView()
      var raw: [UInt8] = []
      var pendingHigh: UInt32?
      func flushRaw() {
        if pendingHigh != nil, !raw.isEmpty {
          scalars.append("\u{FFFD}")  // an unpaired high surrogate
          pendingHigh = nil
        }
        if !raw.isEmpty {
          scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
          raw.removeAll()
        }
      }
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\"") {
          guard decoding else { return "" }
          flushRaw()
          if pendingHigh != nil { scalars.append("\u{FFFD}") }
          return String(scalars)
        }
        guard byte == UInt8(ascii: "\\") else {
          if decoding { raw.append(byte) }
          continue
        }
        guard index < bytes.count else { break }
        let escape = bytes[index]
        index += 1
        guard decoding else {
          continue
        }
        flushRaw()
        var code: UInt32
        switch escape {
        case UInt8(ascii: "b"): code = 0x08
        case UInt8(ascii: "f"): code = 0x0C
        case UInt8(ascii: "n"): code = 0x0A
        case UInt8(ascii: "r"): code = 0x0D
        case UInt8(ascii: "t"): code = 0x09
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
          else { return nil }
          index += 4
          code = value
        default: code = UInt32(escape)
        }
        if (0xD800..<0xDC00).contains(code) {
          if pendingHigh != nil { scalars.append("\u{FFFD}") }
          pendingHigh = code
          continue
        }
        if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
          code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
        } else if pendingHigh != nil {
          scalars.append("\u{FFFD}")
        }
        pendingHigh = nil
        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
      }
      return nil
    }
  }
}
