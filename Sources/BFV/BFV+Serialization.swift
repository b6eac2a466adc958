import PolyRing

// Versioned binary formats. Every object starts with a 16-byte header:
//
//   "HEKB"  magic (4 bytes)
//   u8      format version (1)
//   u8      kind (see Kind)
//   u16     reserved, zero
//   u64     parameter identity (BFV.Parameters.identity), little-endian
//
// followed by a payload of bit-packed residues: a polynomial over the first l
// primes stores N residues of ⌈log2 q_i⌉ bits per prime, least significant
// bit first, limb after limb, padded to a whole byte at the end of the
// polynomial. Readers check the magic, version, kind, identity, exact length
// and that every residue is below its prime.

extension BFV {
  /// The kinds of serialized objects.
  enum Kind: UInt8 {
    case publicKey = 1, secretKey, relinearizationKey, galoisKeys, plaintext, ciphertext, seededCiphertext
  }

  static let formatVersion: UInt8 = 1
  static let headerSize = 16

  struct Writer {
    var bytes: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var filled = 0

    init(kind: Kind, identity: UInt64) {
      bytes = Array("HEKB".utf8) + [BFV.formatVersion, kind.rawValue, 0, 0]
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

    mutating func poly<Form>(_ poly: Poly<Form>) {
      let n = poly.context.degree
      for (i, modulus) in poly.context.moduli.enumerated() {
        for j in 0..<n { bits(poly.data[i * n + j], width: modulus.bitWidth) }
      }
      flush()
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var offset: Int
    private var accumulator: UInt128 = 0  // up to 62 + 7 bits pending
    private var available = 0

    /// Checks the header against the expected kind and parameters.
    init(_ bytes: [UInt8], kind: Kind, parameters: Parameters) throws(BFVError) {
      guard bytes.count >= BFV.headerSize, Array(bytes[0..<4]) == Array("HEKB".utf8) else {
        throw .malformedData("not a HEKit BFV object (bad magic or too short)")
      }
      guard bytes[4] == BFV.formatVersion else {
        throw .malformedData("format version \(bytes[4]) is not supported (expected \(BFV.formatVersion))")
      }
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

    mutating func poly<Form: PolyForm>(in context: PolyContext) throws(BFVError) -> Poly<Form> {
      let n = context.degree
      let needed = (context.moduli.reduce(0) { $0 + $1.bitWidth } * n + 7) / 8
      guard needed <= bytes.count - offset else { throw .malformedData("truncated polynomial at byte \(offset)") }
      var words = [UInt64](repeating: 0, count: context.wordCount)
      for (i, modulus) in context.moduli.enumerated() {
        for j in 0..<n {
          let value = try bits(modulus.bitWidth)
          guard value < modulus.value else {
            throw .malformedData("residue \(i * n + j) is not below its prime \(modulus.value)")
          }
          words[i * n + j] = value
        }
      }
      try flush()
      let filled = words
      return try wrapping { () throws(PolyRingError) in try Poly<Form>(context: context, words: filled) }
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

extension BFV.Ciphertext {
  /// The binary form: header, level, polynomial count, then the bit-packed
  /// polynomials; a fresh secret-key ciphertext (with a ``seed``) stores c0 and
  /// the 32-byte seed instead of c1, half the size.
  public func serialized() -> [UInt8] {
    if let seed, polys.count == 2 {
      var writer = BFV.Writer(kind: .seededCiphertext, identity: parameters.identity)
      writer.byte(UInt8(level))
      writer.poly(polys[0])
      writer.bytes += seed
      return writer.bytes
    }
    var writer = BFV.Writer(kind: .ciphertext, identity: parameters.identity)
    writer.byte(UInt8(level))
    writer.byte(UInt8(polys.count))
    for poly in polys { writer.poly(poly) }
    return writer.bytes
  }

  /// The size of ``serialized()`` in bytes: 16 + 2 + polynomials · ⌈N·Σ⌈log2 q_i⌉ / 8⌉
  /// (16 + 1 + one polynomial + 32 when seeded).
  public var serializedSize: Int {
    let poly = BFV.packedSize(parameters, level: level)
    return seed != nil && polys.count == 2 ? BFV.headerSize + 1 + poly + 32 : BFV.headerSize + 2 + polys.count * poly
  }

  /// Reads a ciphertext written by ``serialized()`` (seeded or not).
  /// - Throws: ``BFVError/parameterMismatch`` for another parameter set,
  ///   ``BFVError/malformedData(_:)`` for anything else wrong.
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    let seeded = bytes.count > 5 && bytes[5] == BFV.Kind.seededCiphertext.rawValue
    var reader = try BFV.Reader(bytes, kind: seeded ? .seededCiphertext : .ciphertext, parameters: parameters)
    let level = Int(try reader.byte())
    guard level >= 1, level <= parameters.maximumLevel else {
      throw .malformedData("level \(level) is not in 1...\(parameters.maximumLevel)")
    }
    let ring = parameters.level(level).ring
    if seeded {
      guard level == parameters.maximumLevel else { throw .malformedData("a seeded ciphertext is at the full level") }
      let c0: Poly<Coeff> = try reader.poly(in: ring)
      let seed = try reader.bytes(32)
      try reader.finish()
      let c1: Poly<Coeff> = try wrapping { () throws(PolyRingError) in try Sampler.uniform(in: ring, seed: seed) }
      self.init(parameters: parameters, polys: [c0, c1], seed: seed)
      return
    }
    let count = Int(try reader.byte())
    guard count == 2 || count == 3 else { throw .malformedData("\(count) polynomials (2 or 3 expected)") }
    var polys: [Poly<Coeff>] = []
    for _ in 0..<count { polys.append(try reader.poly(in: ring)) }
    try reader.finish()
    self.init(parameters: parameters, polys: polys)
  }
}

extension BFV.Plaintext {
  /// The binary form: header, then N coefficients of ⌈log2 t⌉ bits.
  public func serialized() -> [UInt8] {
    var writer = BFV.Writer(kind: .plaintext, identity: parameters.identity)
    for c in coefficients { writer.bits(c, width: parameters.plainModulus.bitWidth) }
    writer.flush()
    return writer.bytes
  }

  /// Reads a plaintext written by ``serialized()``.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/malformedData(_:)``.
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    var reader = try BFV.Reader(bytes, kind: .plaintext, parameters: parameters)
    var coefficients: [UInt64] = []
    coefficients.reserveCapacity(parameters.degree)
    for j in 0..<parameters.degree {
      let c = try reader.bits(parameters.plainModulus.bitWidth)
      guard c < parameters.plaintextModulus else {
        throw .malformedData("coefficient \(j) is not below t = \(parameters.plaintextModulus)")
      }
      coefficients.append(c)
    }
    try reader.flush()
    try reader.finish()
    self.init(parameters: parameters, coefficients: coefficients)
  }
}

extension BFV.PublicKey {
  /// The binary form: header, then b and a (evaluation form, bit-packed).
  public func serialized() -> [UInt8] {
    var writer = BFV.Writer(kind: .publicKey, identity: parameters.identity)
    writer.poly(b)
    writer.poly(a)
    return writer.bytes
  }

  /// Reads a public key written by ``serialized()``.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/malformedData(_:)``.
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    var reader = try BFV.Reader(bytes, kind: .publicKey, parameters: parameters)
    let b: Poly<Eval> = try reader.poly(in: parameters.ring)
    let a: Poly<Eval> = try reader.poly(in: parameters.ring)
    try reader.finish()
    self.init(parameters: parameters, b: b, a: a)
  }
}

extension BFV.KeySwitchingKey {
  func write(to writer: inout BFV.Writer) {
    for row in rows {
      writer.poly(row.b)
      writer.poly(row.a)
    }
  }

  static func read(from reader: inout BFV.Reader, parameters: BFV.Parameters) throws(BFVError) -> Self {
    var rows: [(b: Poly<Eval>, a: Poly<Eval>)] = []
    for _ in 0..<parameters.maximumLevel {
      let b: Poly<Eval> = try reader.poly(in: parameters.ring)
      let a: Poly<Eval> = try reader.poly(in: parameters.ring)
      rows.append((b, a))
    }
    return Self(rows: rows)
  }
}

extension BFV.RelinearizationKey {
  /// The binary form: header, then L rows (b_i, a_i), bit-packed.
  public func serialized() -> [UInt8] {
    var writer = BFV.Writer(kind: .relinearizationKey, identity: parameters.identity)
    key.write(to: &writer)
    return writer.bytes
  }

  /// Reads a relinearisation key written by ``serialized()``.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/malformedData(_:)``.
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    var reader = try BFV.Reader(bytes, kind: .relinearizationKey, parameters: parameters)
    let key = try BFV.KeySwitchingKey.read(from: &reader, parameters: parameters)
    try reader.finish()
    self.init(parameters: parameters, key: key)
  }
}

extension BFV.GaloisKeys {
  /// The binary form: header, the number of keys (u32), then per key its
  /// Galois element (u32) and L rows.
  public func serialized() -> [UInt8] {
    var writer = BFV.Writer(kind: .galoisKeys, identity: parameters.identity)
    writer.word32(UInt32(keys.count))
    for element in galoisElements {
      writer.word32(UInt32(element))
      keys[element]?.write(to: &writer)
    }
    return writer.bytes
  }

  /// Reads Galois keys written by ``serialized()``.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/malformedData(_:)``
  ///   (also for an even, out-of-range or repeated Galois element).
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    var reader = try BFV.Reader(bytes, kind: .galoisKeys, parameters: parameters)
    let count = Int(try reader.word32())
    guard count <= parameters.degree else { throw .malformedData("\(count) Galois keys") }
    var keys: [Int: BFV.KeySwitchingKey] = [:]
    for _ in 0..<count {
      let element = Int(try reader.word32())
      guard element & 1 == 1, element < 2 * parameters.degree, keys[element] == nil else {
        throw .malformedData("Galois element \(element) is not a new odd number below 2N")
      }
      keys[element] = try BFV.KeySwitchingKey.read(from: &reader, parameters: parameters)
    }
    try reader.finish()
    self.init(parameters: parameters, keys: keys)
  }
}

extension BFV.SecretKey {
  /// The binary form: header, then the N ternary coefficients of s, two bits
  /// each (0, 1, or 2 for −1).
  /// - Warning: the result is the secret key: store it with restricted
  ///   permissions, wipe it after use, never send it to a server.
  public func serialized() -> [UInt8] {
    var writer = BFV.Writer(kind: .secretKey, identity: parameters.identity)
    var coefficients = secret.inverseNTT()
    for j in 0..<parameters.degree {
      let c = coefficients.data[j]
      writer.bits(c == 0 ? 0 : (c == 1 ? 1 : 2), width: 2)
    }
    writer.flush()
    coefficients.wipe()
    return writer.bytes
  }

  /// Reads a secret key written by ``serialized()``.
  /// - Throws: ``BFVError/parameterMismatch`` or ``BFVError/malformedData(_:)``.
  public convenience init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    var reader = try BFV.Reader(bytes, kind: .secretKey, parameters: parameters)
    var signs = [Int64](repeating: 0, count: parameters.degree)
    for j in 0..<parameters.degree {
      switch try reader.bits(2) {
      case 0: signs[j] = 0
      case 1: signs[j] = 1
      case 2: signs[j] = -1
      default: throw .malformedData("secret coefficient \(j) is not ternary")
      }
    }
    try reader.flush()
    try reader.finish()
    let ring = parameters.ring
    let values = signs
    let poly = try wrapping { () throws(PolyRingError) in
      try Poly<Coeff>(context: ring, signedCoefficients: values)
    }
    for j in signs.indices { signs[j] = 0 }
    self.init(parameters: parameters, secret: poly.forwardNTT())
  }
}
