import BigNum

import Foundation

extension Paillier {
  /// A signed integer or real number encoded as a plaintext, with
  /// python-paillier's fixed-point scheme: `value = mantissa · 16^exponent`,
  /// where the mantissa (`|mantissa| ≤ maxInt`) is stored modulo `n`
  /// (negative values wrap to `n − |mantissa|`).
  ///
  /// Encoding and decoding follow python-paillier's `EncodedNumber` exactly,
  /// so a value encoded here and there gives the same `(encoding, exponent)`.
  ///
  /// - Warning: The exponent is not encrypted: it reveals the precision of
  ///   the value to whoever sees the ciphertext.
  public struct EncodedNumber: Sendable, Hashable {
    /// The base of the exponent, 16 as in python-paillier.
    public static let base = 16
    /// The bits of one step of the exponent (`log2(16)`).
    static let bitsPerDigit = 4

    /// The key whose `n` the encoding is reduced by.
    public let publicKey: PublicKey
    /// The mantissa modulo `n`, in `0 ..< n`.
    public let encoding: BigInteger
    /// The power of 16 the mantissa is scaled by.
    public let exponent: Int

    /// An encoding from its parts as decrypted or read (no range check).
    ///
    /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)`` unless `0 ≤ encoding < n`.
    public init(encoding: BigInteger, exponent: Int, publicKey: PublicKey) throws(PaillierError) {
      guard encoding.signum() >= 0, encoding < publicKey.n else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
      self.init(unchecked: encoding, exponent: exponent, publicKey: publicKey)
    }

    init(unchecked encoding: BigInteger, exponent: Int, publicKey: PublicKey) {
      self.encoding = encoding
      self.exponent = exponent
      self.publicKey = publicKey
    }

    /// `mantissa · 16^exponent`.
    /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)`` when `|mantissa| > maxInt`.
    public init(mantissa: BigInteger, exponent: Int, publicKey: PublicKey) throws(PaillierError) {
      guard mantissa.magnitude <= publicKey.maxInt else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
      let wrapped = (try? mantissa.modulo(publicKey.n)) ?? 0  // n > 0
      self.init(unchecked: wrapped, exponent: exponent, publicKey: publicKey)
    }

    /// Encodes an integer exactly, at exponent `min(maxExponent, 0)`.
    /// - Throws: ``PaillierError/plaintextOutOfRange(limit:)``.
    public init(_ value: BigInteger, publicKey: PublicKey, maxExponent: Int? = nil) throws(PaillierError) {
      let exponent = min(maxExponent ?? 0, 0)
      let scale = -exponent * EncodedNumber.bitsPerDigit
      guard value.bitWidth + scale <= publicKey.n.bitWidth else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
      try self.init(mantissa: value << scale, exponent: exponent, publicKey: publicKey)
    }

    /// Encodes a real number as python-paillier does.
    ///
    /// The exponent is the one that keeps every bit of the `Double`
    /// (`⌊(e₂ − 53) / 4⌋` for `value = f · 2^e₂`, `0.5 ≤ |f| < 1`), or
    /// `⌊log16(precision)⌋` when `precision` is given, and at most
    /// `maxExponent`; the mantissa is `value / 16^exponent` rounded half to even.
    ///
    /// - Throws: ``PaillierError/nonFiniteValue``, ``PaillierError/invalidPrecision``,
    ///   ``PaillierError/plaintextOutOfRange(limit:)``.
    public init(_ value: Double, publicKey: PublicKey, precision: Double? = nil, maxExponent: Int? = nil)
      throws(PaillierError)
    {
      guard value.isFinite else { throw .nonFiniteValue }
      var exponent: Int
      if let precision {
        guard precision.isFinite, precision > 0 else { throw .invalidPrecision }
        exponent = Int((log(precision) / log(16.0)).rounded(.down))
      } else {
        // frexp's exponent: value = f · 2^e with 0.5 ≤ |f| < 1 (0 for zero).
        let binaryExponent = value == 0 ? 0 : Int(value.exponent) + 1
        let lsbExponent = binaryExponent - Double.significandBitCount - 1
        exponent = Int((Double(lsbExponent) / 4.0).rounded(.down))
      }
      if let maxExponent { exponent = min(exponent, maxExponent) }
      let mantissa = try EncodedNumber.roundedMantissa(value, exponent: exponent, limit: publicKey.maxInt)
      try self.init(mantissa: mantissa, exponent: exponent, publicKey: publicKey)
    }

    /// Encodes a real number at a chosen exponent: the mantissa is
    /// `value / 16^exponent` rounded half to even, exactly (an error of at
    /// most `16^exponent / 2`). What python-paillier's `precision` selects,
    /// without going through a logarithm.
    ///
    /// - Throws: ``PaillierError/nonFiniteValue``, ``PaillierError/plaintextOutOfRange(limit:)``.
    public init(_ value: Double, exponent: Int, publicKey: PublicKey) throws(PaillierError) {
      guard value.isFinite else { throw .nonFiniteValue }
      let mantissa = try EncodedNumber.roundedMantissa(value, exponent: exponent, limit: publicKey.maxInt)
      try self.init(mantissa: mantissa, exponent: exponent, publicKey: publicKey)
    }

    /// `value · 16^−exponent` rounded half to even, exactly.
    static func roundedMantissa(_ value: Double, exponent: Int, limit: BigInteger) throws(PaillierError) -> BigInteger {
      if value == 0 { return 0 }
      // value = ±m · 2^e exactly, m an integer below 2^53.
      let m = BigInteger(value.significandBitPattern | (value.isNormal ? 1 << 52 : 0))
      let e = (value.isNormal ? Int(value.exponent) : Int(Double.leastNormalMagnitude.exponent)) - 52
      let shift = e - exponent * bitsPerDigit
      var result: BigInteger
      if shift >= 0 {
        guard m.bitWidth + shift <= limit.bitWidth + 1 else { throw .plaintextOutOfRange(limit: limit) }
        result = m << shift
      } else if -shift > 60 {
        result = 0  // m / 2^s < 2^53 / 2^61 < 1/2
      } else {
        let s = -shift
        result = m >> s
        let remainder = m - (result << s)
        let half = BigInteger(1) << (s - 1)
        if remainder > half || (remainder == half && result.isOdd) { result += 1 }
      }
      return value < 0 ? -result : result
    }

    // MARK: Decoding

    /// The signed mantissa: `encoding` when at most `maxInt`, `encoding − n`
    /// when at least `n − maxInt`.
    /// - Throws: ``PaillierError/decodingOverflow`` for a value in the band between.
    public func mantissa() throws(PaillierError) -> BigInteger {
      if encoding <= publicKey.maxInt { return encoding }
      if encoding >= publicKey.n - publicKey.maxInt { return encoding - publicKey.n }
      throw .decodingOverflow
    }

    /// The magnitude of the mantissa when it lies in the window, else `nil`.
    var magnitude: BigInteger? { (try? mantissa())?.magnitude }

    /// The value as an exact integer.
    /// - Throws: ``PaillierError/decodingOverflow``; ``PaillierError/notAnInteger(exponent:)``
    ///   when a negative exponent leaves a fraction.
    public func integerValue() throws(PaillierError) -> BigInteger {
      let m = try mantissa()
      let shift = exponent * EncodedNumber.bitsPerDigit
      if shift >= 0 {
        guard shift <= BigInteger.maximumBitWidth else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
        return m << shift
      }
      guard -shift <= m.bitWidth else {
        if m.isZero { return 0 }
        throw .notAnInteger(exponent: exponent)
      }
      let quotient = m.magnitude >> -shift
      guard quotient << -shift == m.magnitude else { throw .notAnInteger(exponent: exponent) }
      return m.signum() < 0 ? -quotient : quotient
    }

    /// The value as the nearest `Double` (python-paillier's `decode()`).
    /// - Throws: ``PaillierError/decodingOverflow``, ``PaillierError/doubleOverflow``.
    public func doubleValue() throws(PaillierError) -> Double {
      let result = try mantissa().nearestDouble(timesPowerOfTwo: exponent * EncodedNumber.bitsPerDigit)
      guard result.isFinite else { throw .doubleOverflow }
      return result
    }

    /// The same value at a lower exponent: the mantissa times `16^(exponent − newExponent)`.
    /// - Throws: ``PaillierError/cannotIncreaseExponent(from:to:)``,
    ///   ``PaillierError/plaintextOutOfRange(limit:)`` when the mantissa leaves the window.
    public func decreasingExponent(to newExponent: Int) throws(PaillierError) -> EncodedNumber {
      guard newExponent <= exponent else { throw .cannotIncreaseExponent(from: exponent, to: newExponent) }
      let shift = (exponent - newExponent) * EncodedNumber.bitsPerDigit
      let m = try mantissa()
      guard m.bitWidth + shift <= publicKey.n.bitWidth else { throw .plaintextOutOfRange(limit: publicKey.maxInt) }
      return try EncodedNumber(mantissa: m << shift, exponent: newExponent, publicKey: publicKey)
    }
  }
}

extension Paillier.EncodedNumber {
  /// A decimal number as text, encoded as python-paillier's command line
  /// does: an integer exactly (any size that fits), anything else as the
  /// nearest `Double`. Surrounding spaces are ignored.
  /// - Throws: ``PaillierError/malformedData(_:)`` for text that is not a
  ///   number; the encoding's errors (range, non-finite values).
  public init(decimal text: some StringProtocol, publicKey: Paillier.PublicKey) throws(PaillierError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let integer = try? BigInteger(trimmed, radix: 10) {
      try self.init(integer, publicKey: publicKey)
      return
    }
    guard let real = Double(trimmed) else { throw .malformedData("not a number: \"\(text)\"") }
    try self.init(real, publicKey: publicKey)
  }

  /// The value as decimal text: the exact integer at exponent 0 or above,
  /// else the nearest `Double`.
  /// - Throws: ``PaillierError/decodingOverflow``, ``PaillierError/doubleOverflow``.
  public func decimalString() throws(PaillierError) -> String {
    if exponent >= 0 { return try integerValue().description }
    return String(try doubleValue())
  }
}

extension Paillier.Ciphertext {
  /// The ciphertext's JSON (python-paillier's layout) as HEKit writes it:
  /// an exponent between −32 and 0 is lowered to −32 first, so that values
  /// of one column written by different commands share an exponent.
  /// - Throws: ``PaillierError`` when the mantissa would leave the window.
  public func normalizedJSONString() throws(PaillierError) -> String {
    if exponent < 0 && exponent > -32 { return try decreasingExponent(to: -32).jsonString }
    return jsonString
  }
}
