internal import CGMP

// Text and byte encodings: decimal and any radix 2...36, big-endian bytes,
// base64url without padding (RFC 7515's encoding of JWK integers), Codable as
// a decimal string.

extension BigInteger {
  /// Parses an integer written in `radix`: an optional `+` or `-`, then one or
  /// more digits (letters either case above 9). For radix 16 a `0x` prefix is
  /// accepted. No spaces, underscores or other characters.
  ///
  /// - Throws: ``BigNumError/malformedInteger(radix:offset:)`` naming the first
  ///   offending offset; ``BigNumError/unsupportedRadix(_:)``.
  public init(_ text: some StringProtocol, radix: Int = 10) throws(BigNumError) {
    guard (2...36).contains(radix) else { throw .unsupportedRadix(radix) }
    var utf8 = Array(text.utf8)
    var start = 0
    var negative = false
    if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      start = 1
    }
    if radix == 16, utf8.count >= start + 2, utf8[start] == UInt8(ascii: "0"),
      utf8[start + 1] | 0x20 == UInt8(ascii: "x")
    {
      start += 2
    }
    guard start < utf8.count else { throw .malformedInteger(radix: radix, offset: utf8.count) }
    for offset in start..<utf8.count {
      guard let digit = BigInteger.digitValue(utf8[offset]), digit < radix else {
        throw .malformedInteger(radix: radix, offset: offset)
      }
    }
    utf8.append(0)
    let digits = utf8[start...]
    self.init()
    let status = withMutablePointer { z in
      digits.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { __gmpz_set_str(z, $0.baseAddress, Int32(radix)) }
      }
    }
    guard status == 0 else { throw .malformedInteger(radix: radix, offset: start) }
    if negative { self = -self }
  }

  private static func digitValue(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(byte - UInt8(ascii: "A")) + 10
    default: return nil
    }
  }

  /// The integer written in `radix` (2...36), lowercase, with a leading `-`
  /// when negative and no prefix.
  /// - Precondition: `radix` is in 2...36.
  public func toString(radix: Int = 10) -> String {
    precondition((2...36).contains(radix), "radix must be in 2...36")
    return withPointer { z in
      // mpz_sizeinbase may overstate by one; +2 for the sign and the NUL.
      let capacity = __gmpz_sizeinbase(z, Int32(radix)) + 2
      let buffer = [CChar](unsafeUninitializedCapacity: capacity) { chars, count in
        __gmpz_get_str(chars.baseAddress, Int32(radix), z)
        count = capacity
      }
      return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
  }

  /// The integer in lowercase hexadecimal, without prefix.
  public var hexString: String { toString(radix: 16) }

  /// A non-negative integer from its big-endian bytes (empty means zero).
  public init(bigEndianBytes bytes: some Collection<UInt8>) {
    self.init()
    let array = Array(bytes)
    guard !array.isEmpty else { return }
    withMutablePointer { z in
      array.withUnsafeBytes { __gmpz_import(z, array.count, 1, 1, 1, 0, $0.baseAddress) }
    }
  }

  /// The magnitude's big-endian bytes, without leading zeros (empty for zero),
  /// left-padded with zeros to at least `minimumCount` bytes.
  ///
  /// - Throws: ``BigNumError/negativeValue`` for a negative integer (whose sign
  ///   the bytes could not carry).
  public func bigEndianBytes(minimumCount: Int = 0) throws(BigNumError) -> [UInt8] {
    guard signum() >= 0 else { throw .negativeValue }
    let needed = (bitWidth + 7) / 8
    let count = max(needed, minimumCount)
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      let padding = count - needed
      for i in 0..<padding { buffer[i] = 0 }
      if needed > 0 {
        withPointer { z in
          var written = 0
          __gmpz_export(buffer.baseAddress! + padding, &written, 1, 1, 1, 0, z)
        }
      }
      initialized = count
    }
  }

  /// The big-endian bytes in exactly `count` bytes, left-padded with zeros.
  /// - Throws: ``BigNumError/negativeValue``; ``BigNumError/valueTooLarge(byteCount:)``.
  public func bigEndianBytes(count: Int) throws(BigNumError) -> [UInt8] {
    guard (bitWidth + 7) / 8 <= count else { throw .valueTooLarge(byteCount: count) }
    return try bigEndianBytes(minimumCount: count)
  }

  /// A non-negative integer from base64url text (RFC 4648 §5) of its
  /// big-endian bytes; padding `=` is optional.
  /// - Throws: ``BigNumError/malformedBase64URL``.
  public init(base64URL text: some StringProtocol) throws(BigNumError) {
    self.init(bigEndianBytes: try Base64URL.decode(text))
  }

  /// The big-endian bytes in base64url without padding, as JWK keys carry
  /// integers ("AQAB" for 65537).
  /// - Throws: ``BigNumError/negativeValue``.
  public func base64URLString() throws(BigNumError) -> String {
    Base64URL.encode(try bigEndianBytes())
  }
}

extension BigInteger: Codable {
  /// Decodes a decimal string (big integers never travel as JSON numbers,
  /// which most readers round to a `Double`).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do {
      try self.init(text, radix: 10)
    } catch {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "expected a decimal integer string: \(error)")
    }
  }

  /// Encodes as a decimal string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// Base64url (RFC 4648 §5): `A-Z a-z 0-9 - _`, written without padding.
enum Base64URL {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var out = [UInt8]()
    out.reserveCapacity((bytes.count * 4 + 2) / 3)
    var i = 0
    while i < bytes.count {
      let chunk = min(3, bytes.count - i)
      var group: UInt32 = 0
      for j in 0..<3 { group = group << 8 | UInt32(j < chunk ? bytes[i + j] : 0) }
      for j in 0...chunk { out.append(alphabet[Int((group >> (18 - 6 * UInt32(j))) & 63)]) }
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func decode(_ text: some StringProtocol) throws(BigNumError) -> [UInt8] {
    var symbols = Array(text.utf8)
    while symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
    let padding = text.utf8.count - symbols.count
    guard symbols.count % 4 != 1, padding == 0 || (symbols.count + padding) % 4 == 0, padding < 3 else {
      throw .malformedBase64URL
    }
    var out = [UInt8]()
    out.reserveCapacity(symbols.count * 3 / 4)
    var group: UInt32 = 0
    var bits = 0
    for symbol in symbols {
      guard let value = sextet(symbol) else { throw .malformedBase64URL }
      group = group << 6 | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        out.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
      }
    }
    // Leftover bits must be zero, or two encodings would mean one value.
    guard group & ((1 << UInt32(bits)) - 1) == 0 else { throw .malformedBase64URL }
    return out
  }

  private static func sextet(_ symbol: UInt8) -> UInt32? {
    switch symbol {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(symbol - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(symbol - UInt8(ascii: "a")) + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(symbol - UInt8(ascii: "0")) + 52
    case UInt8(ascii: "-"): return 62
    case UInt8(ascii: "_"): return 63
    default: return nil
    }
  }
}
