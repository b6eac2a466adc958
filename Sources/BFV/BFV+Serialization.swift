import PolyRing

// Versioned binary formats. Every object starts with a 16-byte header:
//
//   "HEKB"  magic (4 bytes)
//   u8      format version (2 for ciphertexts, 1 for the other kinds)
//   u8      kind (see Kind)
//   u16     reserved, zero
//   u64     parameter identity (BFV.Parameters.identity), little-endian
//
// followed by a payload of bit-packed residues: a polynomial over the first l
// primes stores N residues of ⌈log2 q_i⌉ bits per prime, least significant
// bit first, limb after limb, padded to a whole byte at the end of the
// polynomial. Readers check the magic, version, kind, identity, exact length
// and that every residue is below its prime.
//
// Version 2 stores a ciphertext's polynomials in evaluation (NTT) form, as
// the ciphertext holds them, and the seed of a seeded ciphertext expands to
// c1 in evaluation form; version 1 (still read) stored both in coefficient
// form. Keys were in evaluation form in version 1 already and stay there.

extension BFV {
  /// The kinds of serialized objects.
  enum Kind: UInt8 {
    case publicKey = 1, secretKey, relinearizationKey, galoisKeys, plaintext, ciphertext, seededCiphertext
  }

  /// The version written for keys and plaintexts.
  static let formatVersion: UInt8 = 1
  /// The version written for ciphertexts (evaluation form).
  static let ciphertextFormatVersion: UInt8 = 2
  static let headerSize = 16

  struct Writer {
    var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var filled = 0

    init(kind: Kind, identity: UInt64, version: UInt8 = BFV.formatVersion) {
      bytes = Array("HEKB".utf8) + [version, kind.rawValue, 0, 0]
      for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: identity >> (8 * UInt64(k)))) }
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func word32(_ value: UInt32) {
      for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
    }

    /// Appends `value` (< 2^width, width ≤ 62) to the bit stream.
    mutating func bits(_ value: UInt64, width: Int) {
      accumulator |= value << filled
      let room = 64 - filled
      if width >= room {
        bytes.append(contentsOf: withUnsafeBytes(of: accumulator.littleEndian, Array.init))
        accumulator = room == 64 ? 0 : value >> room
        filled = width - room
      } else {
        filled += width
      }
    }

    /// Pads the bit stream to a byte.
    mutating func flush() {
      var remaining = accumulator
      var count = (filled + 7) / 8
      while count > 0 {
        bytes.append(UInt8(truncatingIfNeeded: remaining))
        remaining >>= 8
        count -= 1
      }
      accumulator = 0
      filled = 0
    }

    /// Appends a polynomial's residues bit-packed, padded to a byte.
    mutating func poly<Form>(_ poly: Poly<Form>) {
      flush()
      let n = poly.context.degree
      let widths = poly.context.moduli.map(\.bitWidth)
      let count = (widths.reduce(0, +) * n + 7) / 8
      let start = bytes.count
      // Whole little-endian words through a pointer (8 spare bytes for the
      // last partial word, removed after).
      bytes.append(contentsOf: repeatElement(0, count: count + 8))
      bytes.withUnsafeMutableBytes { raw in
        let out = raw.baseAddress.unsafelyUnwrapped + start
        poly.data.withUnsafeBufferPointer { data in
          var accumulator: UInt64 = 0
          var filled = 0
          var offset = 0
          for (i, width) in widths.enumerated() {
            for j in (i * n)..<(i * n + n) {
              let value = data[j]
              accumulator |= value &<< UInt64(filled)
              filled &+= width
              if filled >= 64 {
                out.storeBytes(of: accumulator.littleEndian, toByteOffset: offset, as: UInt64.self)
                offset &+= 8
                filled &-= 64
                accumulator = filled == 0 ? 0 : value &>> UInt64(width &- filled)
              }
            }
          }
          out.storeBytes(of: accumulator.littleEndian, toByteOffset: offset, as: UInt64.self)
        }
      }
      bytes.removeLast(8)
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var offset: Int
    private var accumulator: UInt128 = 0  // up to 62 + 7 bits pending
    private var available = 0

    /// The format version read from the header.
    let version: UInt8

    /// Checks the header against the expected kind and parameters: version 1
    /// for every kind, 2 also for ciphertexts.
    init(_ bytes: [UInt8], kind: Kind, parameters: Parameters) throws(BFVError) {
      guard bytes.count >= BFV.headerSize, Array(bytes[0..<4]) == Array("HEKB".utf8) else {
        throw .malformedData("not a HEKit BFV object (bad magic or too short)")
      }
      let ciphertext = kind == .ciphertext || kind == .seededCiphertext
      let newest = ciphertext ? BFV.ciphertextFormatVersion : BFV.formatVersion
      guard bytes[4] >= 1, bytes[4] <= newest else {
        throw .malformedData("format version \(bytes[4]) is not supported (expected 1...\(newest))")
      }
      self.version = bytes[4]
      guard bytes[5] == kind.rawValue else {
        throw .malformedData("object kind \(bytes[5]) where \(kind) (\(kind.rawValue)) was expected")
      }
      guard bytes[6] == 0, bytes[7] == 0 else { throw .malformedData("reserved header bytes are not zero") }
      var identity: UInt64 = 0
      for k in 0..<8 { identity |= UInt64(bytes[8 + k]) << (8 * UInt64(k)) }
      guard identity == parameters.identity else { throw .parameterMismatch }
      self.bytes = bytes
      self.offset = BFV.headerSize
    }

    mutating func byte() throws(BFVError) -> UInt8 {
      guard offset < bytes.count else { throw .malformedData("truncated at byte \(offset)") }
      defer { offset += 1 }
      return bytes[offset]
    }

    mutating func word32() throws(BFVError) -> UInt32 {
      var value: UInt32 = 0
      for k in 0..<4 { value |= UInt32(try byte()) << (8 * UInt32(k)) }
      return value
    }

    mutating func bytes(_ count: Int) throws(BFVError) -> [UInt8] {
      guard count <= bytes.count - offset else { throw .malformedData("truncated at byte \(offset)") }
      defer { offset += count }
      return Array(bytes[offset..<(offset + count)])
    }

    mutating func bits(_ width: Int) throws(BFVError) -> UInt64 {
      while available < width {
        accumulator |= UInt128(try byte()) << available
        available += 8
      }
      let value = UInt64(truncatingIfNeeded: accumulator) & ((1 << width) - 1)
      accumulator >>= width
      available -= width
      return value
    }

    /// Drops the padding bits of the current byte (which must be zero).
    mutating func flush() throws(BFVError) {
      guard accumulator == 0 else { throw .malformedData("nonzero padding bits at byte \(offset)") }
      available = 0
    }

    /// Reads a bit-packed polynomial (padded to a byte), checking every
    /// residue against its prime and the padding bits.
    mutating func poly<Form: PolyForm>(in context: PolyContext) throws(BFVError) -> Poly<Form> {
      try flush()
      let n = context.degree
      let moduli = context.moduli
      let totalBits = moduli.reduce(0) { $0 + $1.bitWidth } * n
      let needed = (totalBits + 7) / 8
      guard needed <= bytes.count - offset else { throw .malformedData("truncated polynomial at byte \(offset)") }
      var bad = -1
      let start = offset
      let words = makeWords(context.wordCount) { out in
        bytes.withUnsafeBytes { raw in
          let input = raw.baseAddress.unsafelyUnwrapped + start
          // A 128-bit window refilled a byte at a time (never past the polynomial).
          var window: UInt128 = 0
          var available = 0
          var position = 0
          for (i, modulus) in moduli.enumerated() {
            let width = modulus.bitWidth
            let mask = (UInt64(1) << UInt64(width)) &- 1
            for j in (i * n)..<(i * n + n) {
              while available < width {
                window |= UInt128(input.load(fromByteOffset: position, as: UInt8.self)) &<< UInt128(available)
                position &+= 1
                available &+= 8
              }
              let value = UInt64(truncatingIfNeeded: window) & mask
              window &>>= UInt128(width)
              available &-= width
              if value >= modulus.value, bad < 0 { bad = j }
              out[j] = value
            }
          }
          if window != 0, bad < 0 { bad = context.wordCount }  // nonzero padding
        }
      }
      if bad == context.wordCount { throw .malformedData("nonzero padding bits at byte \(start + needed)") }
      if bad >= 0 {
        throw .malformedData("residue \(bad) is not below its prime \(moduli[bad / n].value)")
      }
      offset = start + needed
      return Poly<Form>(context: context, uncheckedWords: words)
    }

    func finish() throws(BFVError) {
      guard offset == bytes.count else {
        throw .malformedData("\(bytes.count - offset) trailing bytes after the object")
      }
    }
  }

  /// The size in bytes of one bit-packed polynomial over the first `level` primes.
  static func packedSize(_ parameters: Parameters, level: Int) -> Int {
    let ring = parameters.level(level).ring
    return (ring.moduli.reduce(0) { $0 + $1.bitWidth } * parameters.degree + 7) / 8
  }
}
