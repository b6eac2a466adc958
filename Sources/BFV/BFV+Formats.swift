import PolyRing

// serialized() and init(deserializing:) of every BFV object, on the writer and
// reader of BFV+Serialization.swift (header, bit packing, checks).

extension BFV.Ciphertext {
  /// The binary form (format version 2): header, level, polynomial count,
  /// then the bit-packed polynomials in evaluation form; a fresh secret-key
  /// ciphertext (with a ``seed``) stores c0 and the 32-byte seed instead of
  /// c1, half the size.
  public func serialized() -> [UInt8] {
    let version = BFV.ciphertextFormatVersion
    if let seed, polys.count == 2 {
      var writer = BFV.Writer(kind: .seededCiphertext, identity: parameters.identity, version: version)
      writer.byte(UInt8(level))
      writer.poly(polys[0])
      writer.bytes += seed
      return writer.bytes
    }
    var writer = BFV.Writer(kind: .ciphertext, identity: parameters.identity, version: version)
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

  /// The largest ``serializedSize`` under `parameters`: three polynomials
  /// (a product not yet relinearised) at the full level. Readers use it to
  /// refuse oversized input before decoding it.
  public static func maximumSerializedSize(parameters: BFV.Parameters) -> Int {
    BFV.headerSize + 2 + 3 * BFV.packedSize(parameters, level: parameters.maximumLevel)
  }

  /// Reads a ciphertext written by ``serialized()`` (seeded or not; format
  /// version 2, or version 1 with its polynomials in coefficient form).
  /// - Throws: ``BFVError/parameterMismatch`` for another parameter set,
  ///   ``BFVError/malformedData(_:)`` for anything else wrong.
  public init(deserializing bytes: [UInt8], parameters: BFV.Parameters) throws(BFVError) {
    let seeded = bytes.count > 5 && bytes[5] == BFV.Kind.seededCiphertext.rawValue
    var reader = try BFV.Reader(bytes, kind: seeded ? .seededCiphertext : .ciphertext, parameters: parameters)
    let evaluationForm = reader.version >= 2
    let level = Int(try reader.byte())
    guard level >= 1, level <= parameters.maximumLevel else {
      throw .malformedData("level \(level) is not in 1...\(parameters.maximumLevel)")
    }
    let ring = parameters.level(level).ring
    func read() throws(BFVError) -> Poly<Eval> {
      if evaluationForm { return try reader.poly(in: ring) }
      let coefficients: Poly<Coeff> = try reader.poly(in: ring)
      return coefficients.forwardNTT()
    }
    if seeded {
      guard level == parameters.maximumLevel else { throw .malformedData("a seeded ciphertext is at the full level") }
      let c0 = try read()
      let seed = try reader.bytes(32)
      try reader.finish()
      let c1: Poly<Eval> = try wrapping { () throws(PolyRingError) in
        if evaluationForm { return try Sampler.uniform(in: ring, seed: seed) }
        let coefficients: Poly<Coeff> = try Sampler.uniform(in: ring, seed: seed)
        return coefficients.forwardNTT()
      }
      self.init(parameters: parameters, polys: [c0, c1], seed: evaluationForm ? seed : nil)
      return
    }
    let count = Int(try reader.byte())
    guard count == 2 || count == 3 else { throw .malformedData("\(count) polynomials (2 or 3 expected)") }
    var polys: [Poly<Eval>] = []
    for _ in 0..<count { polys.append(try read()) }
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
    // Wiped on every exit, malformed input included. No second reference to
    // the buffer may exist then, or the wipe would zero a copy of it.
    defer { signs.withUnsafeMutableBytes { wipe($0.baseAddress.unsafelyUnwrapped, byteCount: $0.count) } }
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
    let poly = try wrapping { () throws(PolyRingError) in
      try Poly<Coeff>(context: ring, signedCoefficients: signs)
    }
    self.init(parameters: parameters, secret: poly.forwardNTT())
  }
}
